import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { type ApiServerOptions, createApiServer, type Route } from '../../../lambdas/local/api-server';

let calls: { event: APIGatewayProxyEvent; context: Context }[];
let reply: () => Promise<APIGatewayProxyResult>;
const ok = async (): Promise<APIGatewayProxyResult> => ({ statusCode: 200, body: '{}' });

const route = (method: string, resource: string, functionName: string): Route => ({
  method,
  resource,
  functionName,
  handler: (event, context) => {
    calls.push({ event, context });
    return reply();
  },
});
const ROUTES = [
  route('POST', '/uploads', 'create-upload'),
  route('GET', '/images', 'list-images'),
  route('GET', '/images/{id}', 'get-image'),
  route('DELETE', '/images/{id}', 'delete-image'),
  route('PATCH', '/images/{id}/labels', 'correct-labels'),
];

let server: Server | undefined;

async function start(options: Partial<ApiServerOptions> = {}): Promise<string> {
  server = createApiServer({ routes: ROUTES, ...options });
  const listening = server;
  await new Promise<void>((resolve) => listening.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(listening.address() as AddressInfo).port}`;
}

beforeEach(() => {
  calls = [];
  reply = ok;
});
afterEach(async () => {
  const closing = server;
  server = undefined;
  if (!closing) return;
  closing.closeAllConnections();
  await new Promise((resolve) => closing.close(resolve));
});

function onlyCall() {
  expect(calls).toHaveLength(1);
  return calls[0] as { event: APIGatewayProxyEvent; context: Context };
}

describe('createApiServer', () => {
  it('turns a request into the proxy event of its route: method, resource, decoded path parameters, headers', async () => {
    const api = await start();
    await fetch(`${api}/images/01J%2Fa%20b`, { headers: { 'x-trace': 'abc', accept: 'application/json' } });
    const { event, context } = onlyCall();
    expect(event).toMatchObject({
      httpMethod: 'GET',
      resource: '/images/{id}',
      path: '/images/01J%2Fa%20b',
      pathParameters: { id: '01J/a b' },
      queryStringParameters: null,
      multiValueQueryStringParameters: null,
      body: null,
      isBase64Encoded: false,
      requestContext: { httpMethod: 'GET', resourcePath: '/images/{id}', stage: 'local' },
    });
    expect(event.headers).toMatchObject({ 'x-trace': 'abc', accept: 'application/json' });
    expect(event.multiValueHeaders['x-trace']).toEqual(['abc']);
    expect(context.functionName).toBe('get-image');
  });

  it('passes a path segment that is not valid percent-encoding as it came, for the handler to refuse', async () => {
    const url = await start();
    await fetch(`${url}/images/%E0%A4%A`);
    expect(onlyCall().event.pathParameters).toEqual({ id: '%E0%A4%A' });
  });

  it('answers with every value of a multi-value header', async () => {
    reply = async () => ({ statusCode: 200, body: '{}', multiValueHeaders: { 'set-cookie': ['a=1', 'b=2'] } });
    const url = await start();
    const response = await fetch(`${url}/images`);
    expect(response.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
  });

  it('passes query strings as single values (the last one wins) and as every value', async () => {
    const api = await start();
    await fetch(`${api}/images?status=PROCESSED&tag=cat&tag=dog%20house`);
    const { event } = onlyCall();
    expect(event.pathParameters).toBeNull();
    expect(event.queryStringParameters).toEqual({ status: 'PROCESSED', tag: 'dog house' });
    expect(event.multiValueQueryStringParameters).toEqual({ status: ['PROCESSED'], tag: ['cat', 'dog house'] });
  });

  it('passes the body as text', async () => {
    const api = await start();
    const body = JSON.stringify({ contentType: 'image/jpeg', size: 1234, filename: 'pier é.jpg' });
    await fetch(`${api}/uploads`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(onlyCall().event).toMatchObject({ httpMethod: 'POST', resource: '/uploads', body });
  });

  it('passes a PATCH body as text, with the path parameter', async () => {
    const api = await start();
    const body = JSON.stringify({ add: ['pier'], remove: ['dog'] });
    await fetch(`${api}/images/01J/labels`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body });
    const { event, context } = onlyCall();
    expect(event).toMatchObject({
      httpMethod: 'PATCH',
      resource: '/images/{id}/labels',
      pathParameters: { id: '01J' },
    });
    expect(event.body).toBe(body);
    expect(context.functionName).toBe('correct-labels');
  });

  it('passes null for an empty body', async () => {
    const api = await start();
    await fetch(`${api}/uploads`, { method: 'POST' });
    expect(onlyCall().event.body).toBeNull();
  });

  it('answers with the handler’s status, headers and body', async () => {
    reply = async () => ({
      statusCode: 201,
      headers: { 'content-type': 'application/json', 'x-request-id': 'r-1' },
      body: '{"imageId":"01J"}',
    });
    const api = await start();
    const response = await fetch(`${api}/uploads`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(201);
    expect(response.headers.get('x-request-id')).toBe('r-1');
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.text()).toBe('{"imageId":"01J"}');
  });

  it('decodes a base64-encoded result body to bytes', async () => {
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff]);
    reply = async () => ({
      statusCode: 200,
      headers: { 'content-type': 'image/png' },
      body: bytes.toString('base64'),
      isBase64Encoded: true,
    });
    const api = await start();
    const response = await fetch(`${api}/images/01J`);
    expect(Buffer.from(await response.arrayBuffer())).toEqual(bytes);
  });

  it('answers 404 for a path or a method no route has, without calling a handler', async () => {
    const api = await start();
    const unknownPath = await fetch(`${api}/nothing/here`);
    const unknownMethod = await fetch(`${api}/images`, { method: 'DELETE' });
    expect([unknownPath.status, unknownMethod.status]).toEqual([404, 404]);
    expect(await unknownPath.json()).toEqual({ message: 'no route for GET /nothing/here' });
    expect(calls).toHaveLength(0);
  });

  it('answers 403 without x-api-key or with a wrong one when an API key is set', async () => {
    const api = await start({ auth: { mode: 'apikey', key: 'k-123', keyId: 'key-id-1' } });
    const without = await fetch(`${api}/images`);
    const wrong = await fetch(`${api}/images`, { headers: { 'x-api-key': 'k-124' } });
    expect([without.status, wrong.status]).toEqual([403, 403]);
    expect(await without.json()).toEqual({ message: 'Forbidden' });
    expect(calls).toHaveLength(0);
  });

  it('calls the handler with the right x-api-key, presenting the key and its id as API Gateway does', async () => {
    const api = await start({ auth: { mode: 'apikey', key: 'k-123', keyId: 'key-id-1' } });
    const response = await fetch(`${api}/images`, { headers: { 'x-api-key': 'k-123' } });
    expect(response.status).toBe(200);
    const { event } = onlyCall();
    expect(event.requestContext.identity).toMatchObject({ apiKey: 'k-123', apiKeyId: 'key-id-1' });
    expect(event.requestContext.authorizer).toBeNull();
  });

  it('presents no key, key id or authorizer without auth', async () => {
    const api = await start();
    await fetch(`${api}/images`, { headers: { 'x-api-key': 'k-123' } });
    const { event } = onlyCall();
    expect(event.requestContext.identity.apiKeyId).toBeUndefined();
    expect(event.requestContext.identity.apiKey).toBeUndefined();
    expect(event.requestContext.authorizer).toBeNull();
  });

  it.each([
    ['jwt', { mode: 'jwt', verify: async () => ({ sub: 'alice' }) }],
    ['apikey', { mode: 'apikey', key: 'k-123', keyId: 'key-id-1' }],
  ] as const)(
    'lets anyone into a public route with auth %s, presenting no one, and still guards the others',
    async (_mode, auth) => {
      const open: Route = { ...route('GET', '/shared/{token}', 'get-shared'), public: true };
      server = createApiServer({ routes: [...ROUTES, open], auth });
      const listening = server;
      await new Promise<void>((resolve) => listening.listen(0, '127.0.0.1', resolve));
      const api = `http://127.0.0.1:${(listening.address() as AddressInfo).port}`;
      const shared = await fetch(`${api}/shared/abc`, {
        headers: { authorization: 'Bearer a.b.c', 'x-api-key': 'k-123' },
      });
      expect(shared.status).toBe(200);
      const { event } = onlyCall();
      expect(event.requestContext.authorizer).toBeNull();
      expect(event.requestContext.identity.apiKeyId).toBeUndefined();
      expect((await fetch(`${api}/images`)).status).toBe(auth.mode === 'jwt' ? 401 : 403);
      expect(calls).toHaveLength(1);
    },
  );

  it('answers 413 for a body over the limit, without calling a handler', async () => {
    const api = await start({ maxBodyBytes: 16 });
    const over = await fetch(`${api}/uploads`, { method: 'POST', body: 'x'.repeat(17) });
    expect(over.status).toBe(413);
    expect(calls).toHaveLength(0);
    const atLimit = await fetch(`${api}/uploads`, { method: 'POST', body: 'x'.repeat(16) });
    expect(atLimit.status).toBe(200);
    expect(onlyCall().event.body).toBe('x'.repeat(16));
  });

  it('answers 502 with nothing internal when the handler throws', async () => {
    reply = async () => {
      throw new Error('connect ECONNREFUSED 10.0.0.7:5432 password=hunter2');
    };
    const lines: string[] = [];
    const api = await start({ log: (line) => lines.push(line) });
    const response = await fetch(`${api}/images`);
    expect(response.status).toBe(502);
    expect(await response.json()).toEqual({ message: 'Internal server error' });
    expect(lines.join('\n')).toContain('ECONNREFUSED');
  });

  it('serves the local-only extras on GET, without a handler and without the API’s auth', async () => {
    const api = await start({
      auth: { mode: 'apikey', key: 'k-123', keyId: 'key-id-1' },
      extras: [
        { method: 'GET', path: '/_local/stats', handle: () => ({ status: 200, body: { poller: { batches: 3 } } }) },
      ],
    });
    const response = await fetch(`${api}/_local/stats`);
    expect(await response.json()).toEqual({ poller: { batches: 3 } });
    expect(calls).toHaveLength(0);
  });

  it('hands a POST extra its body and answers with its status', async () => {
    const bodies: string[] = [];
    const api = await start({
      extras: [
        {
          method: 'POST',
          path: '/_local/echo',
          handle: (body) => {
            bodies.push(body);
            return { status: 201, body: { got: body.length } };
          },
        },
      ],
    });
    const response = await fetch(`${api}/_local/echo`, { method: 'POST', body: '{"a":1}' });
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ got: 7 });
    expect(bodies).toEqual(['{"a":1}']);
    const wrongMethod = await fetch(`${api}/_local/echo`);
    expect(wrongMethod.status).toBe(404);
    expect(calls).toHaveLength(0);
  });
});
