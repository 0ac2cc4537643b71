import { addressProblem, urlProblem } from '../../../lambdas/webhooks/destination';

/** Names resolve where each test says: no DNS is asked. */
const resolver = (table: Record<string, string[]>) => async (host: string) => {
  const addresses = table[host];
  if (!addresses) throw new Error(`ENOTFOUND ${host}`);
  return addresses;
};
const deployment = { allowLoopback: false };
const runner = { allowLoopback: true };

describe('which URLs may be webhook endpoints', () => {
  it.each([
    ['http://169.254.169.254/latest/meta-data', /169\.254\.169\.254 is a link-local address/],
    ['https://10.0.0.1/hook', /10\.0\.0\.1 is a private address/],
    ['https://192.168.1.20/', /private address/],
    ['https://[fd00::1]/', /unique local/],
    ['https://[::ffff:10.0.0.1]/', /::ffff:a00:1 is a private address/],
    ['https://100.64.0.1/', /carrier-grade NAT/],
    ['https://0.0.0.0/', /unspecified/],
    ['https://127.0.0.1/', /loopback/],
    ['http://8.8.8.8/', /must be https/],
    ['ftp://8.8.8.8/', /ftp: URLs cannot receive webhooks/],
    ['https://user:pass@8.8.8.8/', /credentials/],
    ['not a url', /not a URL/],
  ])('a deployment refuses %s', async (url, reason) => {
    expect(await urlProblem(url, deployment, resolver({}))).toMatch(reason);
  });

  it('a name is checked by every address it resolves to', async () => {
    const names = resolver({ 'internal.example.com': ['8.8.8.8', '10.1.2.3'], 'hooks.example.com': ['8.8.4.4'] });
    expect(await urlProblem('https://internal.example.com/in', deployment, names)).toBe(
      'internal.example.com resolves to 10.1.2.3, a private address',
    );
    expect(await urlProblem('https://hooks.example.com/in', deployment, names)).toBeUndefined();
    expect(await urlProblem('https://nowhere.example.com/', deployment, names)).toBe(
      'nowhere.example.com does not resolve',
    );
  });

  it('the runner allows loopback, over http too, and nothing else private', async () => {
    const names = resolver({ localhost: ['127.0.0.1', '::1'] });
    expect(await urlProblem('http://localhost:8787/hook', runner, names)).toBeUndefined();
    expect(await urlProblem('http://127.0.0.1:8787/hook', runner, names)).toBeUndefined();
    expect(await urlProblem('http://localhost:8787/hook', deployment, names)).toMatch(
      /resolves to 127\.0\.0\.1, a loopback/,
    );
    expect(await urlProblem('https://10.0.0.1/', runner, names)).toMatch(/private/);
    expect(await urlProblem('http://8.8.8.8/', runner, names)).toMatch(/must be https/);
  });

  it('public unicast addresses pass, IPv4 and IPv6', () => {
    expect(addressProblem('8.8.8.8', deployment)).toBeUndefined();
    expect(addressProblem('2606:4700::1111', deployment)).toBeUndefined();
  });
});
