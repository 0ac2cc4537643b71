import type { IncomingMessage, ServerResponse } from 'node:http';
import { loopbackHosts } from '../../../lambdas/local/host-check';
import { originChecked, originProblem, runnerOrigins } from '../../../lambdas/local/origin-check';

const ALLOWED = runnerOrigins(loopbackHosts(3000), ['https://app.example.com']);
const ask = (method: string, url: string, headers: Record<string, string> = {}) =>
  originProblem({ method, url, headers }, ALLOWED);

describe('runnerOrigins', () => {
  it("is each loopback name's origin on the runner's port, and the configured web app origins", () => {
    expect([...ALLOWED]).toEqual([
      'http://localhost:3000',
      'http://127.0.0.1:3000',
      'http://[::1]:3000',
      'https://app.example.com',
    ]);
  });
});

describe('originProblem', () => {
  it.each(['POST', 'PUT', 'PATCH', 'DELETE'])('refuses a %s from a page elsewhere', (method) => {
    expect(ask(method, '/trash', { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' })).toBe(
      'Origin "https://evil.example": the local runner takes ' +
        `${method} only from its own pages (http://localhost:3000, http://127.0.0.1:3000, http://[::1]:3000, ` +
        'https://app.example.com) and clients that are not browsers; a page elsewhere cannot drive it. A web app on ' +
        'another origin goes in -c corsOrigins',
    );
  });

  it.each([
    ['another port of localhost (the same site, another origin)', 'http://localhost:8080'],
    ['the runner on https', 'https://localhost:3000'],
    ['an opaque origin (a sandboxed frame, a file)', 'null'],
    ['an allowed origin with a path', 'https://app.example.com/'],
    ['a name that merely starts like an allowed one', 'https://app.example.com.evil.example'],
  ])('refuses %s', (_, origin) => {
    expect(ask('POST', '/webhooks', { origin })).toMatch(/^Origin .*: the local runner takes POST only from/);
  });

  it.each(['http://localhost:3000', 'http://127.0.0.1:3000', 'http://[::1]:3000', 'https://app.example.com'])(
    'lets a POST from %s in',
    (origin) => {
      expect(ask('POST', '/webhooks', { origin, 'sec-fetch-site': 'same-origin' })).toBeUndefined();
    },
  );

  it('compares origins whatever their case', () => {
    expect(ask('DELETE', '/trash', { origin: 'HTTP://LOCALHOST:3000' })).toBeUndefined();
  });

  it('lets a client that is not a browser in (no Origin, no Sec-Fetch-Site): curl, the CLI, the SDKs', () => {
    expect(ask('POST', '/people/p1/merge', {})).toBeUndefined();
    expect(ask('POST', '/_local/token', {})).toBeUndefined();
  });

  it.each(['cross-site', 'same-site'])('refuses a request with no Origin that a %s page sent', (site) => {
    expect(ask('POST', '/backfills', { 'sec-fetch-site': site })).toMatch(
      new RegExp(`^a ${site} page \\(Sec-Fetch-Site\\): the local runner takes POST only from`),
    );
  });

  it.each(['same-origin', 'none'])('lets in a request with no Origin and Sec-Fetch-Site %s', (site) => {
    expect(ask('PUT', '/policy', { 'sec-fetch-site': site })).toBeUndefined();
  });

  it.each(['GET', 'HEAD', 'OPTIONS'])('leaves a %s of the API to its auth, wherever it comes from', (method) => {
    expect(ask(method, '/images?q=cat', { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' })).toBe(
      undefined,
    );
  });

  it.each([
    ['/_local/outputs', '/_local/outputs'],
    ['/_local/stats?x=1', '/_local/stats'],
    ['/./_local/outputs', '/_local/outputs'],
  ])("checks a GET of the runner's own endpoint %s too", (url, path) => {
    expect(ask('GET', url, { origin: 'https://evil.example' })).toMatch(
      new RegExp(`^Origin "https://evil.example": the local runner takes GET ${path} only from`),
    );
    expect(ask('GET', url, { 'sec-fetch-site': 'cross-site' })).toMatch(/^a cross-site page/);
    expect(ask('GET', url, { origin: 'http://localhost:3000' })).toBeUndefined();
    expect(ask('GET', url, {})).toBeUndefined();
  });
});

describe('originChecked', () => {
  function send(headers: Record<string, string>) {
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
    const listener = originChecked(
      () => ALLOWED,
      (request) => reached.push(request.url as string),
    );
    listener({ method: 'POST', url: '/trash/empty', headers } as IncomingMessage, response);
    return { reached, ...answer };
  }

  it("passes the runner's own page's request to the listener", () => {
    expect(send({ origin: 'http://127.0.0.1:3000' })).toEqual({ reached: ['/trash/empty'], status: 0, body: '' });
  });

  it('answers 403 to a page elsewhere, and the listener never sees the request', () => {
    const answer = send({ origin: 'https://evil.example', 'content-type': 'text/plain' });
    expect(answer.reached).toEqual([]);
    expect(answer.status).toBe(403);
    expect(JSON.parse(answer.body)).toEqual({
      message: ask('POST', '/trash/empty', { origin: 'https://evil.example' }),
    });
  });
});
