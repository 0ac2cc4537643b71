import { hostProblem, loopbackHosts } from '../../../lambdas/local/host-check';

describe('hostProblem', () => {
  const allowed = loopbackHosts(3000);

  it.each(['localhost:3000', '127.0.0.1:3000', '[::1]:3000', 'LOCALHOST:3000'])('lets %s in', (host) => {
    expect(hostProblem(host, allowed)).toBeUndefined();
  });

  it.each([
    ['another name on the port (DNS rebinding)', 'evil.example:3000'],
    ['the right name on another port', 'localhost:3001'],
    ['a name without the port', 'localhost'],
    ['a name that merely starts like one', 'localhost.evil.example:3000'],
  ])('refuses %s', (_, host) => {
    expect(hostProblem(host, allowed)).toBe(
      `Host ${JSON.stringify(host)}: the local runner answers only localhost:3000, 127.0.0.1:3000, [::1]:3000 ` +
        '(a page elsewhere cannot reach it through DNS rebinding)',
    );
  });

  it('refuses a request with no Host header', () => {
    expect(hostProblem(undefined, allowed)).toMatch(/^no Host header: /);
  });
});
