import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { callerOf } from '../../../lambdas/api/caller';
import { apiRequestListener } from '../../../lambdas/local/api-server';
import { apiClientsFor, authSettingFor, prepareLocalAuth, type ServedAuth } from '../../../lambdas/local/local-auth';
import { LOCAL_AUDIENCE } from '../../../lambdas/local/token-request';

const JSON_TYPE = { 'content-type': 'application/json' };

let server: Server | undefined;
let events: APIGatewayProxyEvent[];

/** Serve as the runner does: prepare, listen, then hand the server the auth made for its URL. */
async function serve(auth: Parameters<typeof prepareLocalAuth>[0]): Promise<{ apiUrl: string; served: ServedAuth }> {
  const prepared = await prepareLocalAuth(auth);
  server = createServer();
  const listening = server;
  await new Promise<void>((resolve) => listening.listen(0, '127.0.0.1', resolve));
  const apiUrl = `http://127.0.0.1:${(listening.address() as AddressInfo).port}`;
  const served = prepared.at(apiUrl);
  const handler = async (event: APIGatewayProxyEvent) => {
    events.push(event);
    return { statusCode: 200, body: '{}' };
  };
  listening.on(
    'request',
    apiRequestListener({
      routes: [{ method: 'GET', resource: '/images', functionName: 'list-images', handler }],
      auth: served.api,
      extras: served.extras,
    }),
  );
  return { apiUrl, served };
}

beforeEach(() => {
  events = [];
});
afterEach(async () => {
  const closing = server;
  server = undefined;
  if (!closing) return;
  closing.closeAllConnections();
  await new Promise((resolve) => closing.close(resolve));
});

describe('the runner’s auth modes', () => {
  it('runs the handlers as the stack would: none as none, apikey as apikey, jwt as cognito', () => {
    expect([authSettingFor('none'), authSettingFor('apikey'), authSettingFor('jwt')]).toEqual([
      'none',
      'apikey',
      'cognito',
    ]);
  });

  it('maps the API key’s id to the client local, not an admin, and knows no client otherwise', () => {
    expect(apiClientsFor('apikey')).toEqual({ 'local-key': { name: 'local', admin: false } });
    expect(apiClientsFor('none')).toEqual({});
    expect(apiClientsFor('jwt')).toEqual({});
  });

  it('with apikey, presents the key id that the functions map to the client local', async () => {
    const { apiUrl, served } = await serve({ mode: 'apikey', key: 'k-1' });
    expect(served.info).toEqual({ mode: 'apikey', apiKey: 'k-1', apiKeyId: 'local-key', client: 'local' });
    await fetch(`${apiUrl}/images`, { headers: { 'x-api-key': 'k-1' } });
    const caller = await callerOf(events[0] as APIGatewayProxyEvent, {
      mode: 'apikey',
      clients: async () => apiClientsFor('apikey'),
    });
    expect(caller).toEqual({ owner: 'local', admin: false });
  });

  it('with none, says every image belongs to local and lets everyone in', async () => {
    const { apiUrl, served } = await serve({ mode: 'none' });
    expect(served.info).toEqual({ mode: 'none', owner: 'local' });
    expect((await fetch(`${apiUrl}/images`)).status).toBe(200);
  });

  it('with jwt, issues tokens under its own URL that it accepts and its JWKS verifies', async () => {
    const { apiUrl, served } = await serve({ mode: 'jwt' });
    if (served.info.mode !== 'jwt') throw new Error(`expected jwt, got ${served.info.mode}`);
    expect(served.info).toMatchObject({
      tokenUrl: `${apiUrl}/_local/token`,
      issuer: `${apiUrl}/_local`,
      audience: LOCAL_AUDIENCE,
    });
    expect(served.info.jwks.keys).toEqual([expect.objectContaining({ kty: 'EC', crv: 'P-256', alg: 'ES256' })]);
    expect(served.info.jwks.keys[0]).not.toHaveProperty('d');

    const response = await fetch(served.info.tokenUrl, {
      method: 'POST',
      headers: JSON_TYPE,
      body: JSON.stringify({ user: 'carol' }),
    });
    const { token } = (await response.json()) as { token: string };
    const { payload } = await jwtVerify(token, createLocalJWKSet(served.info.jwks), {
      issuer: served.info.issuer,
      audience: LOCAL_AUDIENCE,
    });
    expect(payload.sub).toBe('carol');
    expect((await fetch(`${apiUrl}/images`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    expect((await fetch(`${apiUrl}/images`)).status).toBe(401);
  });

  it('with jwt, refuses a token from another runner (another key, another issuer)', async () => {
    const first = await serve({ mode: 'jwt' });
    const firstServer = server;
    const tokenUrl = first.served.info.mode === 'jwt' ? first.served.info.tokenUrl : '';
    const { token } = (await (
      await fetch(tokenUrl, { method: 'POST', headers: JSON_TYPE, body: JSON.stringify({ user: 'dave' }) })
    ).json()) as { token: string };
    firstServer?.closeAllConnections();
    await new Promise((resolve) => firstServer?.close(resolve));

    const second = await serve({ mode: 'jwt' });
    const response = await fetch(`${second.apiUrl}/images`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(401);
    expect(events).toHaveLength(0);
  });
});
