import { createHash, randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import middy from '@middy/core';
import type { LambdaFunctionURLEvent } from 'aws-lambda';
import { type ApiServerOptions, createApiServer } from '../../../lambdas/local/api-server';
import type { FunctionUrlRoute, StreamingHandler } from '../../../lambdas/local/function-url';
import { installResponseStreaming } from '../../../lambdas/local/response-streaming';

installResponseStreaming();

interface StreamedAnswer {
  statusCode: number;
  headers: Record<string, string>;
  body: Readable | string;
}

let events: LambdaFunctionURLEvent[];
let answer: (event: LambdaFunctionURLEvent) => Promise<StreamedAnswer>;

/** A handler made as the render function's is: middy with `streamifyResponse`, answering status, headers, body. */
const streaming = middy<LambdaFunctionURLEvent, StreamedAnswer>(
  async (event: LambdaFunctionURLEvent) => {
    events.push(event);
    return answer(event);
  },
  { streamifyResponse: true },
) as unknown as StreamingHandler;

const RENDER: FunctionUrlRoute = {
  path: /^\/[0-9A-HJKMNP-TV-Z]{26}$/,
  functionName: 'render-image',
  timeoutMs: 30_000,
  handler: streaming,
};
const ID = '01JABCDEFGHJKMNPQRSTVWXYZ9';

let server: Server | undefined;
async function start(options: Partial<ApiServerOptions> = {}): Promise<string> {
  server = createApiServer({ routes: [], functionUrls: [RENDER], ...options });
  const listening = server;
  await new Promise<void>((resolve) => listening.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(listening.address() as AddressInfo).port}`;
}

/** Until the server has no connection open: a client that left is gone on its side too. */
async function closed(listening: Server): Promise<void> {
  for (;;) {
    const open = await new Promise<number>((resolve) => listening.getConnections((_error, count) => resolve(count)));
    if (open === 0) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

beforeEach(() => {
  events = [];
  answer = async () => ({ statusCode: 200, headers: { 'content-type': 'text/plain' }, body: 'ok' });
});
afterEach(async () => {
  const closing = server;
  server = undefined;
  if (!closing) return;
  closing.closeAllConnections();
  await new Promise((resolve) => closing.close(resolve));
});

describe('a function URL beside the API', () => {
  it("answers with the handler's status, headers and streamed body", async () => {
    answer = async () => ({
      statusCode: 403,
      headers: { 'content-type': 'application/json', 'x-rendition-source': 'rendered' },
      body: Readable.from(['{"message":', '"sig: does not match"}']),
    });
    const response = await fetch(`${await start()}/${ID}?w=1`);
    expect(response.status).toBe(403);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('x-rendition-source')).toBe('rendered');
    expect(await response.json()).toEqual({ message: 'sig: does not match' });
  });

  it('hands the handler a function URL event: the raw path and query as sent, headers lowercased', async () => {
    const api = await start();
    await fetch(`${api}/${ID}?w=400&crop=1%2C2,3,4&flip&sig=a-b_c`, { headers: { Accept: 'image/avif,*/*' } });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      version: '2.0',
      rawPath: `/${ID}`,
      rawQueryString: 'w=400&crop=1%2C2,3,4&flip&sig=a-b_c',
      queryStringParameters: { w: '400', crop: '1,2,3,4', flip: '', sig: 'a-b_c' },
      isBase64Encoded: false,
      requestContext: { http: { method: 'GET', path: `/${ID}` }, stage: '$default' },
    });
    expect(events[0]?.headers.accept).toBe('image/avif,*/*');
  });

  it('joins a repeated query parameter with commas, as Lambda does, and leaves prototypes alone', async () => {
    await fetch(`${await start()}/${ID}?w=1&w=2&__proto__=x`);
    expect(events[0]?.queryStringParameters).toEqual({ w: '1,2', ['__proto__']: 'x' });
    expect(Object.getPrototypeOf(events[0]?.queryStringParameters)).toBe(Object.prototype);
  });

  it('streams a body over 6 MB whole (a buffered Lambda answer stops at 6 MB)', async () => {
    const bytes = randomBytes(9 * 1024 * 1024);
    answer = async () => ({
      statusCode: 200,
      headers: { 'content-type': 'image/png', 'content-length': String(bytes.length) },
      // In 64 KB chunks, as a stored object arrives from S3.
      body: Readable.from(
        (function* () {
          for (let at = 0; at < bytes.length; at += 65_536) yield bytes.subarray(at, at + 65_536);
        })(),
      ),
    });
    const response = await fetch(`${await start()}/${ID}`);
    const received = Buffer.from(await response.arrayBuffer());
    expect(received.length).toBe(bytes.length);
    const digest = (data: Buffer) => createHash('sha256').update(data).digest('hex');
    expect(digest(received)).toBe(digest(bytes));
  });

  it('answers 502, as a function URL does, when the handler fails before its first byte', async () => {
    answer = async () => {
      throw new Error('boom');
    };
    const log = jest.fn();
    const response = await fetch(`${await start({ log })}/${ID}`);
    expect(response.status).toBe(502);
    expect(log).toHaveBeenCalledWith(expect.stringContaining('boom'));
  });

  it('keeps serving when a client goes away before the handler answers (a browser closing a page mid-rendition)', async () => {
    let arrived = () => {};
    const inHandler = new Promise<void>((resolve) => {
      arrived = resolve;
    });
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    answer = async () => {
      arrived();
      await held;
      return { statusCode: 200, headers: { 'content-type': 'image/jpeg' }, body: Readable.from([randomBytes(64)]) };
    };
    const log = jest.fn();
    const api = await start({ log });
    const leaving = new AbortController();
    const gone = fetch(`${api}/${ID}`, { signal: leaving.signal }).catch((error: Error) => error.name);
    await inHandler;
    leaving.abort();
    expect(await gone).toBe('AbortError');
    // The runner sees the socket close, then the handler answers into the destroyed stream: neither may throw.
    await closed(server as Server);
    release();
    answer = async () => ({ statusCode: 200, headers: { 'content-type': 'text/plain' }, body: 'still here' });
    const next = await fetch(`${api}/${ID}`);
    expect(await next.text()).toBe('still here');
    // Nor is it logged as a failure: the client's leaving is not the handler's.
    expect(log).not.toHaveBeenCalled();
  });

  it("is not behind the API's auth: the URL's signature is its access control", async () => {
    const api = await start({
      auth: { mode: 'jwt', verify: async () => undefined },
      routes: [{ method: 'GET', resource: '/images', functionName: 'list-images', handler: async () => undefined }],
    });
    expect((await fetch(`${api}/images`)).status).toBe(401);
    expect((await fetch(`${api}/${ID}`)).status).toBe(200);
  });

  it('serves only GET, and only paths that are image ids', async () => {
    const api = await start();
    expect((await fetch(`${api}/${ID}`, { method: 'POST' })).status).toBe(404);
    expect((await fetch(`${api}/${ID.toLowerCase()}`)).status).toBe(404);
    expect((await fetch(`${api}/${ID}/x`)).status).toBe(404);
    expect(events).toEqual([]);
  });
});
