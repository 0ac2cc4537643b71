import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { decodeJwt } from 'jose';
import { type ApiServerOptions, createApiServer } from '../../../../lambdas/local/api-server';
import { generateSigningKeys, LocalTokens, tokenEndpoint } from '../../../../lambdas/local/local-tokens';
import { fixturePath } from '../../../fixtures';
import { run, runWithEnv } from '../run-cli';

let events: APIGatewayProxyEvent[];
const servers: Server[] = [];

/** The runner's API server: GET /images and a POST /uploads that stops there; with jwt, its token endpoint. */
async function startApi(jwt: boolean): Promise<string> {
  const record = async (event: APIGatewayProxyEvent) => {
    events.push(event);
    return event.httpMethod === 'POST'
      ? { statusCode: 400, body: JSON.stringify({ message: 'seen, not stored' }) }
      : { statusCode: 200, body: '{"items":[]}' };
  };
  const options: ApiServerOptions = {
    routes: [
      { method: 'GET', resource: '/images', functionName: 'list-images', handler: record },
      { method: 'POST', resource: '/uploads', functionName: 'create-upload', handler: record },
    ],
  };
  if (jwt) {
    const tokens = new LocalTokens(await generateSigningKeys(), 'http://localhost/_local');
    options.auth = { mode: 'jwt', verify: (token) => tokens.verify(token) };
    options.extras = [tokenEndpoint(tokens)];
  }
  const server = createApiServer(options);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeEach(() => {
  events = [];
});
afterAll(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

const claimsSeen = () => events.map((event) => event.requestContext.authorizer?.claims as Record<string, string>);

describe('image-intel token', () => {
  it('prints only the token, which the runner accepts as the user, in the admins group with --admin', async () => {
    const api = await startApi(true);
    const { code, stdout, stderr } = await run('token', '--api', api, '--user', 'alice', '--admin');
    expect([code, stderr]).toEqual([0, '']);
    expect(stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    const response = await fetch(`${api}/images`, { headers: { authorization: `Bearer ${stdout.trim()}` } });
    expect(response.status).toBe(200);
    expect(claimsSeen()).toEqual([expect.objectContaining({ sub: 'alice', 'cognito:groups': 'admins' })]);
  });

  it('asks for --ttl seconds, and no admin group without --admin', async () => {
    const api = await startApi(true);
    const { code, stdout } = await run('token', '--api', api, '--user', 'bob', '--ttl', '120');
    expect(code).toBe(0);
    const claims = decodeJwt(stdout.trim());
    expect((claims.exp as number) - (claims.iat as number)).toBe(120);
    expect(claims).not.toHaveProperty('cognito:groups');
  });

  it('says how to get tokens, and exits 1, when the API is not a runner in jwt mode', async () => {
    const api = await startApi(false);
    const { code, stdout, stderr } = await run('token', '--api', api, '--user', 'alice');
    expect([code, stdout]).toEqual([1, '']);
    expect(stderr).toBe(
      `image-intel: ${api} hands out no tokens: they come from the local runner started with ` +
        "`npm start -- --auth jwt` (a deployed stack's from its Cognito user pool)\n",
    );
  });

  it('says it cannot reach an API that is not there, and exits 1', async () => {
    const api = await startApi(false);
    const server = servers.pop() as Server;
    await new Promise((resolve) => server.close(resolve));
    const { code, stdout, stderr } = await run('token', '--api', api, '--user', 'alice');
    expect([code, stdout]).toEqual([1, '']);
    expect(stderr).toMatch(new RegExp(`^image-intel: cannot reach ${api}: .*ECONNREFUSED`));
  });

  it.each([
    ['a user that cannot be an owner id', ['--user', 'alice#1'], /--user <name>.*must be an owner id/],
    ['no user', [], /required option '--user <name>'/],
    ['a ttl over a day', ['--user', 'alice', '--ttl', '86401'], /--ttl <s>.*at most 86400/],
    ['a ttl of 0', ['--user', 'alice', '--ttl', '0'], /--ttl <s>.*positive integer/],
  ])('refuses %s as a usage error (exit 2) without asking the API', async (_, args, message) => {
    const { code, stdout, stderr } = await run('token', '--api', 'http://127.0.0.1:9', ...args);
    expect([code, stdout]).toEqual([2, '']);
    expect(stderr).toMatch(message);
  });
});

describe('image-intel upload with a token', () => {
  it('sends --token as Authorization: Bearer, and the API sees the user', async () => {
    const api = await startApi(true);
    const token = (await run('token', '--api', api, '--user', 'carol')).stdout.trim();
    const { records } = await run('upload', '--api', api, '--token', token, fixturePath('photos/kite.jpg'));
    expect(records[0]?.error).toEqual({ code: 'UPLOAD_FAILED', message: 'POST /uploads: 400 seen, not stored' });
    expect(events[0]?.headers.authorization).toBe(`Bearer ${token}`);
    expect(claimsSeen()).toEqual([expect.objectContaining({ sub: 'carol' })]);
  });

  it('takes the token from IMAGE_INTEL_TOKEN', async () => {
    const api = await startApi(true);
    const token = (await run('token', '--api', api, '--user', 'dave')).stdout.trim();
    await runWithEnv({ IMAGE_INTEL_TOKEN: token }, 'upload', '--api', api, fixturePath('photos/kite.jpg'));
    expect(claimsSeen()).toEqual([expect.objectContaining({ sub: 'dave' })]);
  });

  it('records the 401 of an API that wants a token when none is given', async () => {
    const api = await startApi(true);
    const { code, records } = await runWithEnv(
      { IMAGE_INTEL_TOKEN: '' },
      'upload',
      '--api',
      api,
      fixturePath('photos/kite.jpg'),
    );
    expect(code).toBe(1);
    expect(records[0]?.error).toEqual({ code: 'UPLOAD_FAILED', message: 'POST /uploads: 401 Unauthorized' });
    expect(events).toHaveLength(0);
  });
});
