import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { exportSPKI, generateKeyPair, type JWTPayload, SignJWT, UnsecuredJWT } from 'jose';
import { callerOf } from '../../../lambdas/api/caller';
import { createApiServer, type Route } from '../../../lambdas/local/api-server';
import {
  authorizerClaims,
  generateSigningKeys,
  LocalTokens,
  type SigningKeys,
  tokenEndpoint,
} from '../../../lambdas/local/local-tokens';
import { LOCAL_AUDIENCE } from '../../../lambdas/local/token-request';

const ISSUER = 'http://localhost:3000/_local';

let events: APIGatewayProxyEvent[];
const ROUTES: Route[] = [
  {
    method: 'GET',
    resource: '/images',
    functionName: 'list-images',
    handler: async (event): Promise<APIGatewayProxyResult> => {
      events.push(event);
      return { statusCode: 200, body: '{}' };
    },
  },
];

let keys: SigningKeys;
let tokens: LocalTokens;
let server: Server | undefined;
let api: string;

beforeAll(async () => {
  keys = await generateSigningKeys();
  tokens = new LocalTokens(keys, ISSUER);
});
beforeEach(async () => {
  events = [];
  server = createApiServer({
    routes: ROUTES,
    auth: { mode: 'jwt', verify: (token) => tokens.verify(token) },
    extras: [tokenEndpoint(tokens)],
  });
  const listening = server;
  await new Promise<void>((resolve) => listening.listen(0, '127.0.0.1', resolve));
  api = `http://127.0.0.1:${(listening.address() as AddressInfo).port}`;
});
afterEach(async () => {
  const closing = server;
  server = undefined;
  if (!closing) return;
  closing.closeAllConnections();
  await new Promise((resolve) => closing.close(resolve));
});

const now = () => Math.floor(Date.now() / 1000);

/** Claims a valid token for alice would carry, with `overrides` (undefined removes a claim). */
function claims(overrides: JWTPayload = {}): JWTPayload {
  const all: JWTPayload = {
    sub: 'alice',
    'cognito:username': 'alice',
    'cognito:groups': ['admins'],
    token_use: 'id',
    iss: ISSUER,
    aud: LOCAL_AUDIENCE,
    iat: now(),
    exp: now() + 600,
    ...overrides,
  };
  return Object.fromEntries(Object.entries(all).filter(([, value]) => value !== undefined));
}

const signES256 = (payload: JWTPayload, privateKey = keys.privateKey) =>
  new SignJWT(payload).setProtectedHeader({ alg: 'ES256', typ: 'JWT' }).sign(privateKey);

const listImages = (authorization?: string) =>
  fetch(`${api}/images`, { headers: authorization === undefined ? {} : { authorization } });

async function expectUnauthorized(authorization?: string): Promise<void> {
  const response = await listImages(authorization);
  expect(response.status).toBe(401);
  expect(await response.json()).toEqual({ message: 'Unauthorized' });
  expect(events).toHaveLength(0);
}

const requestToken = (body: unknown) =>
  fetch(`${api}/_local/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

describe('the API with --auth jwt', () => {
  it('answers 401 Unauthorized without an Authorization header', () => expectUnauthorized());

  it.each([
    ['not a JWT', 'Bearer not-a-token'],
    ['three parts that are not JSON', 'Bearer aaa.bbb.ccc'],
    ['another scheme', 'Basic YWxpY2U6c2VjcmV0'],
    ['Bearer without a token', 'Bearer '],
  ])('answers 401 for a malformed header: %s', (_, header) => expectUnauthorized(header));

  it('answers 401 for a token that has expired', async () => {
    const { token } = await tokens.issue({ user: 'alice', ttlSeconds: 60 }, new Date(Date.now() - 3_600_000));
    await expectUnauthorized(`Bearer ${token}`);
  });

  it('answers 401 for a token without an expiry', async () => {
    await expectUnauthorized(`Bearer ${await signES256(claims({ exp: undefined }))}`);
  });

  it('answers 401 for an unsigned token (alg none), whatever it claims', async () => {
    const unsigned = new UnsecuredJWT(claims()).encode();
    await expectUnauthorized(`Bearer ${unsigned}`);
  });

  it('answers 401 for HS256 tokens signed with guessed secrets, the public key among them', async () => {
    const secrets = ['secret', LOCAL_AUDIENCE, await exportSPKI(keys.publicKey)];
    for (const secret of secrets) {
      const forged = await new SignJWT(claims())
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .sign(new TextEncoder().encode(secret));
      await expectUnauthorized(`Bearer ${forged}`);
    }
  });

  it('answers 401 for an ES256 token signed by another key, and its admin claim reaches no handler', async () => {
    const other = await generateKeyPair('ES256');
    await expectUnauthorized(`Bearer ${await signES256(claims(), other.privateKey)}`);
  });

  it('answers 401 for a token of this runner’s key for another audience', async () => {
    await expectUnauthorized(`Bearer ${await signES256(claims({ aud: 'another-app-client' }))}`);
  });

  it('answers 401 for a token of this runner’s key from another issuer', async () => {
    await expectUnauthorized(`Bearer ${await signES256(claims({ iss: 'http://localhost:3001/_local' }))}`);
  });

  it('hands the handler the claims of a valid token, every value a string, as a Cognito authorizer does', async () => {
    const { token } = await tokens.issue({ user: 'alice', admin: true });
    const response = await listImages(`Bearer ${token}`);
    expect(response.status).toBe(200);
    expect(events).toHaveLength(1);
    const authorizer = events[0]?.requestContext.authorizer as { claims: Record<string, unknown> };
    const javaDate = /^(Sun|Mon|Tue|Wed|Thu|Fri|Sat) [A-Z][a-z]{2} \d{2} \d{2}:\d{2}:\d{2} UTC \d{4}$/;
    expect(authorizer.claims).toEqual({
      sub: 'alice',
      'cognito:username': 'alice',
      'cognito:groups': 'admins',
      token_use: 'id',
      iss: ISSUER,
      aud: LOCAL_AUDIENCE,
      iat: expect.stringMatching(javaDate),
      exp: expect.stringMatching(javaDate),
      auth_time: expect.stringMatching(/^\d{10}$/),
      origin_jti: expect.stringMatching(/^[0-9a-f-]{36}$/),
      jti: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    // What the functions make of it (lambdas/api/caller.ts).
    expect(await callerOf(events[0] as APIGatewayProxyEvent, { mode: 'cognito', clients: async () => ({}) })).toEqual({
      owner: 'alice',
      admin: true,
      signIn: `jti:${authorizer.claims.origin_jti}`,
    });
  });

  it('takes the token bare or after a lowercase bearer, as a Cognito authorizer does', async () => {
    const { token } = await tokens.issue({ user: 'bob' });
    expect((await listImages(token)).status).toBe(200);
    expect((await listImages(`bearer ${token}`)).status).toBe(200);
    expect(events.map((event) => event.requestContext.authorizer?.claims.sub)).toEqual(['bob', 'bob']);
  });
});

describe('authorizerClaims', () => {
  it('turns exp and iat into dates as Java prints them, other numbers, booleans and arrays into text', () => {
    // The values of a real REST API event: auth_time 1616935242 gave iat "Sun Mar 28 12:40:42 UTC 2021".
    expect(
      authorizerClaims({
        iat: 1616935242,
        exp: 1616938842,
        auth_time: 1616935242,
        email_verified: false,
        'cognito:groups': ['admins', 'editors'],
      }),
    ).toEqual({
      iat: 'Sun Mar 28 12:40:42 UTC 2021',
      exp: 'Sun Mar 28 13:40:42 UTC 2021',
      auth_time: '1616935242',
      email_verified: 'false',
      'cognito:groups': 'admins,editors',
    });
  });
});

describe('POST /_local/token', () => {
  it('issues a token for the user that the API accepts, with sub, username and no group by default', async () => {
    const before = Date.now();
    const response = await requestToken({ user: 'alice' });
    expect(response.status).toBe(200);
    const { token, expiresAt } = (await response.json()) as { token: string; expiresAt: string };
    const lifetime = Date.parse(expiresAt) - before;
    expect(lifetime).toBeGreaterThan(3_598_000);
    expect(lifetime).toBeLessThanOrEqual(3_601_000);
    expect((await listImages(`Bearer ${token}`)).status).toBe(200);
    const seen = events[0]?.requestContext.authorizer?.claims as Record<string, string>;
    expect(seen).toMatchObject({ sub: 'alice', 'cognito:username': 'alice', token_use: 'id' });
    expect(seen).not.toHaveProperty('cognito:groups');
  });

  it('makes each token a sign-in of its own, as Cognito does: a fresh origin_jti, and its auth_time', async () => {
    const signIns: Record<string, string>[] = [];
    for (const _ of [1, 2]) {
      const { token } = (await (await requestToken({ user: 'alice' })).json()) as { token: string };
      events.length = 0;
      await listImages(`Bearer ${token}`);
      signIns.push(events[0]?.requestContext.authorizer?.claims as Record<string, string>);
    }
    const [first, second] = signIns;
    expect(first?.origin_jti).toMatch(/^[0-9a-f-]{36}$/);
    expect(first?.auth_time).toMatch(/^\d{10}$/);
    expect(second?.origin_jti).not.toBe(first?.origin_jti);
    expect(second?.jti).not.toBe(first?.jti);
  });

  it('puts an admin in the admins group and honours ttlSeconds', async () => {
    const response = await requestToken({ user: 'root@example.com', admin: true, ttlSeconds: 60 });
    const { token, expiresAt } = (await response.json()) as { token: string; expiresAt: string };
    expect(Date.parse(expiresAt) - Date.now()).toBeLessThanOrEqual(60_000);
    await listImages(`Bearer ${token}`);
    expect(events[0]?.requestContext.authorizer?.claims).toMatchObject({
      sub: 'root@example.com',
      'cognito:groups': 'admins',
    });
  });

  it.each([
    ['a body that is not JSON', 'user=alice', /^body: a JSON object/],
    ['no user', { admin: true }, /^user: /],
    ['a user that cannot be an owner id', { user: 'alice#1' }, /^user: must be an owner id/],
    ['an empty user', { user: '' }, /^user: /],
    ['a ttl of 0', { user: 'alice', ttlSeconds: 0 }, /^ttlSeconds: /],
    ['a ttl over a day', { user: 'alice', ttlSeconds: 86_401 }, /^ttlSeconds: /],
    ['a fractional ttl', { user: 'alice', ttlSeconds: 1.5 }, /^ttlSeconds: /],
    ['admin as text', { user: 'alice', admin: 'yes' }, /^admin: /],
    ['an unknown field', { user: 'alice', ttl: 60 }, /ttl/],
  ])('answers 400 naming the field for %s', async (_, body, message) => {
    const response = await requestToken(body);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string }).message).toMatch(message);
  });

  it('is not served on GET', async () => {
    expect((await fetch(`${api}/_local/token`)).status).toBe(404);
  });
});
