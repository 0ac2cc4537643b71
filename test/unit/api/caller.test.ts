import type { APIGatewayProxyEvent } from 'aws-lambda';
import { callerOf, groupsOf } from '../../../lambdas/api/caller';
import { LOCAL_OWNER, mayAccess } from '../../../lambdas/store/owner';
import { apiEvent } from '../../support/api-events';

const event = (requestContext: Partial<APIGatewayProxyEvent['requestContext']>): APIGatewayProxyEvent => {
  const base = apiEvent({ method: 'GET', resource: '/images', path: '/images', as: null });
  return { ...base, requestContext: { ...base.requestContext, ...requestContext } };
};
const none = async () => ({});
const cognito = { mode: 'cognito', clients: none } as const;
const claims = (values: Record<string, unknown>) => event({ authorizer: { claims: values } });
const keyed = (apiKeyId?: string) =>
  event({ identity: { apiKeyId, sourceIp: '203.0.113.7' } as APIGatewayProxyEvent['requestContext']['identity'] });
const directory = { k1: { name: 'web', admin: false }, k2: { name: 'ops', admin: true } };
const apikey = { mode: 'apikey', clients: async () => directory } as const;

describe('callerOf', () => {
  it("is the Cognito user's sub, not an admin without the group", async () => {
    expect(await callerOf(claims({ sub: 'u-1', 'cognito:username': 'alice' }), cognito)).toEqual({
      owner: 'u-1',
      admin: false,
    });
  });

  it("carries the sign-in: Cognito's origin_jti, else its auth_time, else none", async () => {
    const signed = async (values: Record<string, unknown>) =>
      (await callerOf(claims({ sub: 'u-1', ...values }), cognito)).signIn;
    expect(await signed({ origin_jti: 'o-1', auth_time: '1764417600', jti: 'j-1' })).toBe('jti:o-1');
    expect(await signed({ auth_time: '1764417600', jti: 'j-1' })).toBe('at:1764417600');
    expect(await signed({ jti: 'j-1' })).toBeUndefined();
    // Two sign-ins of one user are two; two tokens of one sign-in (a refresh: another jti) are one.
    expect(await signed({ origin_jti: 'o-2', jti: 'j-2' })).not.toBe(await signed({ origin_jti: 'o-1', jti: 'j-1' }));
    expect(await signed({ origin_jti: 'o-1', jti: 'j-3' })).toBe(await signed({ origin_jti: 'o-1', jti: 'j-1' }));
  });

  it('carries no sign-in with an API key or auth=none', async () => {
    expect((await callerOf(keyed('k1'), apikey)).signIn).toBeUndefined();
    const none_ = await callerOf(claims({ sub: 'u-1', origin_jti: 'o-1' }), { mode: 'none', clients: none });
    expect(none_.signIn).toBeUndefined();
  });

  it.each(['admins', 'editors,admins', '[editors admins]', 'admins, editors'])(
    'is an admin when cognito:groups is %p',
    async (groups) => {
      expect((await callerOf(claims({ sub: 'u-1', 'cognito:groups': groups }), cognito)).admin).toBe(true);
    },
  );

  it.each(['admin', 'Admins', 'xadmins', 'admins-ro', ''])(
    'is not an admin when cognito:groups is %p',
    async (groups) => {
      expect((await callerOf(claims({ sub: 'u-1', 'cognito:groups': groups }), cognito)).admin).toBe(false);
    },
  );

  it.each([
    ['no authorizer context', event({ authorizer: null })],
    ['no claims', event({ authorizer: {} })],
    ['no sub', claims({ 'cognito:username': 'alice' })],
    ['a sub that could be a key prefix', claims({ sub: 'alice#3' })],
    ['an empty sub', claims({ sub: '' })],
  ])('refuses %s with 401', async (_name, input) => {
    await expect(callerOf(input, cognito)).rejects.toMatchObject({ statusCode: 401 });
  });

  it("is the API client's name for the key API Gateway matched, admin as configured", async () => {
    expect(await callerOf(keyed('k1'), apikey)).toEqual({ owner: 'web', admin: false });
    expect(await callerOf(keyed('k2'), apikey)).toEqual({ owner: 'ops', admin: true });
  });

  it('refuses a key no client owns with 403, after reading the directory again, and no key with 401', async () => {
    const reads: unknown[] = [];
    const clients = async (options?: { refresh?: boolean }) => {
      reads.push(options ?? {});
      return directory;
    };
    await expect(callerOf(keyed('k9'), { mode: 'apikey', clients })).rejects.toMatchObject({ statusCode: 403 });
    expect(reads).toEqual([{}, { refresh: true }]);
    await expect(callerOf(keyed(undefined), apikey)).rejects.toMatchObject({ statusCode: 401 });
  });

  it('knows a client added since the directory was cached, by reading it again', async () => {
    const clients = async (options?: { refresh?: boolean }) =>
      options?.refresh ? { ...directory, k3: { name: 'new', admin: false } } : directory;
    expect(await callerOf(keyed('k3'), { mode: 'apikey', clients })).toEqual({ owner: 'new', admin: false });
  });

  it('ignores claims a request carries when the API authenticates by key', async () => {
    const input = {
      ...keyed('k1'),
      requestContext: {
        ...keyed('k1').requestContext,
        authorizer: { claims: { sub: 'x', 'cognito:groups': 'admins' } },
      },
    };
    expect(await callerOf(input, apikey)).toEqual({ owner: 'web', admin: false });
  });

  it('is the local owner, and an admin, with auth=none, whatever the request says', async () => {
    expect(await callerOf(claims({ sub: 'u-1' }), { mode: 'none', clients: none })).toEqual({
      owner: LOCAL_OWNER,
      admin: true,
    });
  });
});

describe('groupsOf', () => {
  it('reads an array as it is and drops what is not a string', () => {
    expect(groupsOf(['admins', 3, 'x'])).toEqual(['admins', 'x']);
    expect(groupsOf(undefined)).toEqual([]);
  });
});

describe('mayAccess', () => {
  it('lets owners reach their own images and admins every image, ownerless ones too', () => {
    expect(mayAccess({ owner: 'a', admin: false }, 'a')).toBe(true);
    expect(mayAccess({ owner: 'a', admin: false }, 'b')).toBe(false);
    expect(mayAccess({ owner: 'a', admin: false }, undefined)).toBe(false);
    expect(mayAccess({ owner: 'a', admin: true }, undefined)).toBe(true);
  });
});
