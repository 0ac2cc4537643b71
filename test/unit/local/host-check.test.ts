import type { IncomingMessage, ServerResponse } from 'node:http';
import { hostChecked, hostProblem, loopbackHosts, portsOf } from '../../../lambdas/local/host-check';

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

describe('hostChecked', () => {
  /** The listener's answer to one request with this Host, and whether the wrapped listener saw it. */
  function ask(host: string) {
    const reached: string[] = [];
    const answer = { status: 0, body: '' };
    const response = {
      writeHead: (status: number) => {
        answer.status = status;
      },
      end: (body: string) => {
        answer.body = body;
      },
    } as unknown as ServerResponse;
    const listener = hostChecked(
      () => loopbackHosts(4000),
      (request) => reached.push(request.headers.host as string),
    );
    listener({ headers: { host } } as IncomingMessage, response);
    return { reached, ...answer };
  }

  it('passes a request addressed to its port by a loopback name to the listener', () => {
    expect(ask('127.0.0.1:4000')).toEqual({ reached: ['127.0.0.1:4000'], status: 0, body: '' });
  });

  it('answers 421 to another name, and the listener never sees the request', () => {
    const answer = ask('rebind.example:4000');
    expect(answer.reached).toEqual([]);
    expect(answer.status).toBe(421);
    expect(JSON.parse(answer.body)).toEqual({ message: hostProblem('rebind.example:4000', loopbackHosts(4000)) });
  });
});

describe('portsOf', () => {
  it('is each URL’s port, or its scheme’s', () => {
    expect(portsOf(['http://localhost:3000', 'http://127.0.0.1:41235', 'https://sfn.example', 'http://x'])).toEqual([
      3000, 41_235, 443, 80,
    ]);
  });
});
