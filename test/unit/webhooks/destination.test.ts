import { addressProblem, loopbackAllowedOn, urlProblem } from '../../../lambdas/webhooks/destination';

/** Names resolve where each test says: no DNS is asked. */
const resolver = (table: Record<string, string[]>) => async (host: string) => {
  const addresses = table[host];
  if (!addresses) throw new Error(`ENOTFOUND ${host}`);
  return addresses;
};
const deployment = { loopbackPorts: [] };
/** The runner's default: loopback on 8787 only (`webhooks listen`'s port). */
const runner = { loopbackPorts: [{ from: 8787, to: 8787 }] };

describe('which URLs may be webhook endpoints', () => {
  it.each([
    ['http://169.254.169.254/latest/meta-data', /169\.254\.169\.254 is a link-local address/],
    ['https://10.0.0.1/hook', /10\.0\.0\.1 is a private address/],
    ['https://192.168.1.20/', /private address/],
    ['https://[fd00::1]/', /unique local/],
    ['https://[::ffff:10.0.0.1]/', /::ffff:a00:1 is an IPv6 address carrying 10\.0\.0\.1, a private address/],
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

  it('the runner allows loopback on its allowed port, over http too, and nothing else private', async () => {
    const names = resolver({ localhost: ['127.0.0.1', '::1'] });
    expect(await urlProblem('http://localhost:8787/hook', runner, names)).toBeUndefined();
    expect(await urlProblem('http://127.0.0.1:8787/hook', runner, names)).toBeUndefined();
    expect(await urlProblem('https://[::1]:8787/hook', runner, names)).toBeUndefined();
    expect(await urlProblem('http://localhost:8787/hook', deployment, names)).toMatch(
      /resolves to 127\.0\.0\.1, a loopback/,
    );
    expect(await urlProblem('https://10.0.0.1/', runner, names)).toMatch(/private/);
    expect(await urlProblem('http://8.8.8.8/', runner, names)).toMatch(/must be https/);
  });

  it.each([
    ['the emulator’s port', 'http://127.0.0.1:5000/moto-api/reset', 5000],
    ['a name of loopback on another port', 'http://localhost:3000/trash/empty', 3000],
    ['the scheme’s port (80)', 'http://127.0.0.1/hook', 80],
    ['the scheme’s port (443)', 'https://[::1]/hook', 443],
  ])('the runner refuses loopback on any other port: %s', async (_, url, port) => {
    const problem = await urlProblem(url, runner, resolver({ localhost: ['127.0.0.1'] }));
    expect(problem).toMatch(/(is|resolves to \S+,) a loopback address/);
    expect(problem).toMatch(new RegExp(`\\(loopback only on port 8787, webhookLoopbackPorts, not ${port}\\)$`));
  });

  it('a deployment names no port: it allows loopback on none', async () => {
    expect(await urlProblem('https://127.0.0.1:8787/', deployment, resolver({}))).toBe(
      '127.0.0.1 is a loopback address',
    );
  });

  it('public unicast addresses pass, IPv4 and IPv6', () => {
    expect(addressProblem('8.8.8.8')).toBeUndefined();
    expect(addressProblem('2606:4700::1111')).toBeUndefined();
  });
});

describe('IPv6 addresses that carry an IPv4 one', () => {
  it.each([
    ['IPv4-compatible', '::7f00:1'],
    ['IPv4-compatible, dotted', '::127.0.0.1'],
    ['IPv4-mapped, dotted', '::ffff:127.0.0.1'],
    ['IPv4-mapped', '::ffff:7f00:1'],
    ['IPv4-translated (SIIT)', '::ffff:0:7f00:1'],
    ['NAT64, the well-known prefix', '64:ff9b::7f00:1'],
    ['NAT64, the local-use prefix', '64:ff9b:1::7f00:1'],
    ['6to4', '2002:7f00:0001::'],
    ['6to4, a host behind it', '2002:7f00:1:0:1::1'],
  ])('%s (%s) is judged by the loopback address it carries, even on an allowed port', async (_, address) => {
    const reason = /is an IPv6 address carrying 127\.0\.0\.1, a loopback address/;
    expect(addressProblem(address)).toMatch(reason);
    expect(addressProblem(address, true)).toMatch(reason);
    expect(await urlProblem(`http://[${address}]:8787/hook`, runner, resolver({}))).toMatch(reason);
    expect(await urlProblem(`https://[${address}]/hook`, deployment, resolver({}))).toMatch(reason);
  });

  it.each([
    ['::a9fe:a9fe', '169.254.169.254, a link-local address (such as the cloud metadata service, 169.254.169.254)'],
    ['64:ff9b::a00:1', '10.0.0.1, a private address'],
    ['2002:c0a8:0101::', '192.168.1.1, a private address'],
    ['::ffff:a00:1', '10.0.0.1, a private address'],
  ])('%s carries %s', (address, carried) => {
    expect(addressProblem(address)).toBe(`${address} is an IPv6 address carrying ${carried}`);
  });

  it('a public IPv4 address carried is refused too (the sender would refuse it): give the address itself', () => {
    expect(addressProblem('::ffff:8.8.8.8')).toBe(
      '::ffff:8.8.8.8 is an IPv6 address carrying 8.8.8.8 (give 8.8.8.8 itself)',
    );
    expect(addressProblem('::808:808')).toBe('::808:808 is an IPv6 address carrying 8.8.8.8 (give 8.8.8.8 itself)');
    expect(addressProblem('64:ff9b::808:808')).toBe(
      '64:ff9b::808:808 is an IPv6 address carrying 8.8.8.8 (give 8.8.8.8 itself)',
    );
  });

  it('a name that resolves to one is refused for the address it carries', async () => {
    const names = resolver({ 'rebind.example.com': ['2606:4700::1111', '::7f00:1'] });
    expect(await urlProblem('http://rebind.example.com:8787/', runner, names)).toBe(
      'rebind.example.com resolves to ::7f00:1, an IPv6 address carrying 127.0.0.1, a loopback address',
    );
  });

  it(':: and ::1 are themselves, not carriers', () => {
    expect(addressProblem('::')).toBe(':: is the unspecified address');
    expect(addressProblem('::1')).toBe('::1 is a loopback address');
    expect(addressProblem('::1', true)).toBeUndefined();
  });
});

describe('loopbackAllowedOn', () => {
  const policy = {
    loopbackPorts: [
      { from: 8787, to: 8787 },
      { from: 9000, to: 9100 },
    ],
  };
  it.each([
    [8787, true],
    [9000, true],
    [9100, true],
    [8786, false],
    [9101, false],
  ])('port %d: %s', (port, allowed) => {
    expect(loopbackAllowedOn(port, policy)).toBe(allowed);
  });
});
