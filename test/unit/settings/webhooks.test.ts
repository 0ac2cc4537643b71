import { parseDeploymentSettings } from '../../../lambdas/settings';
import { formatPortRanges } from '../../../lambdas/settings/webhooks';

describe('webhookLoopbackPorts', () => {
  it('is none by default: a deployment sends to no loopback port', () => {
    expect(parseDeploymentSettings({}).webhookLoopbackPorts).toEqual([]);
  });

  it('takes ports and ranges, from -c text or a cdk.json array, and writes them back as it takes them', () => {
    const text = parseDeploymentSettings({ webhookLoopbackPorts: '8787, 9000-9100' }).webhookLoopbackPorts;
    expect(text).toEqual([
      { from: 8787, to: 8787 },
      { from: 9000, to: 9100 },
    ]);
    expect(parseDeploymentSettings({ webhookLoopbackPorts: ['8787', '9000-9100'] }).webhookLoopbackPorts).toEqual(text);
    expect(formatPortRanges(text)).toBe('8787,9000-9100');
  });

  it.each(['0', '65536', '9100-9000', 'http', '80-', '1-2-3'])('refuses %s', (value) => {
    expect(() => parseDeploymentSettings({ webhookLoopbackPorts: value })).toThrow(/webhookLoopbackPorts/);
  });
});

describe('a switch (webhooks, faceGrouping, ...)', () => {
  it('takes a boolean, or the text true or false as -c gives it', () => {
    expect(parseDeploymentSettings({}).webhooks).toBe(true);
    expect(parseDeploymentSettings({ webhooks: 'false' }).webhooks).toBe(false);
    expect(parseDeploymentSettings({ webhooks: false }).webhooks).toBe(false);
    expect(parseDeploymentSettings({ faceGrouping: 'true' }).faceGrouping).toBe(true);
  });

  it.each(['on', 'yes', '1', 'False', ''])('refuses %j rather than read it as false', (value) => {
    expect(() => parseDeploymentSettings({ webhooks: value })).toThrow('webhooks: must be true or false');
  });
});
