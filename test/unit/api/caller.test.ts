import type { APIGatewayProxyEvent } from 'aws-lambda';
import { callerOf, groupsOf } from '../../../lambdas/api/caller';
import { LOCAL_OWNER, mayAccess } from '../../../lambdas/store/owner';
import { apiEvent } from '../../support/api-events';

const event = (requestContext: Partial<APIGatewayProxyEvent['requestContext']>): APIGatewayProxyEvent => {
  const base = apiEvent({ method: 'GET', resource: '/images', path: '/images', as: null });
  return { ...base, requestContext: { ...base.requestContext, ...requestContext } };
};
const cognito = { mode: 'cognito', clients: {} } as const;
const claims = (values: Record<string, unknown>) => event({ authorizer: { claims: values } });
const keyed = (apiKeyId?: string) =>
  event({ identity: { apiKeyId, sourceIp: '203.0.113.7' } as APIGatewayProxyEvent['requestContext']['identity'] });
const apikey = {
  mode: 'apikey',
  clients: { k1: { name: 'web', admin: false }, k2: { name: 'ops', admin: true } },
} as const;

describe('callerOf', () => {
  it("is the Cognito user's sub, not an admin without the group", () => {
    expect(callerOf(claims({ sub: 'u-1', 'cognito:username': 'alice' }), cognito)).toEqual({
      owner: 'u-1',
      admin: false,
    });
  });

  it.each(['admins', 'editors,admins', '[editors admins]', 'admins, editors'])(
    'is an admin when cognito:groups is %p',
    (groups) => {
      expect(callerOf(claims({ sub: 'u-1', 'cognito:groups': groups }), cognito).admin).toBe(true);
    },
  );

  it.each(['admin', 'Admins', 'xadmins', 'admins-ro', ''])('is not an admin when cognito:groups is %p', (groups) => {
    expect(callerOf(claims({ sub: 'u-1', 'cognito:groups': groups }), cognito).admin).toBe(false);
  });

  it.each([
    ['no authorizer context', event({ authorizer: null })],
    ['no claims', event({ authorizer: {} })],
    ['no sub', claims({ 'cognito:username': 'alice' })],
    ['a sub that could be a key prefix', claims({ sub: 'alice#3' })],
    ['an empty sub', claims({ sub: '' })],
  ])('refuses %s with 401', (_name, input) => {
    expect(() => callerOf(input, cognito)).toThrow(expect.objectContaining({ statusCode: 401 }));
  });

  it("is the API client's name for the key API Gateway matched, admin as configured", () => {
    expect(callerOf(keyed('k1'), apikey)).toEqual({ owner: 'web', admin: false });
    expect(callerOf(keyed('k2'), apikey)).toEqual({ owner: 'ops', admin: true });
  });

  it('refuses a key no client owns with 403, and no key with 401', () => {
    expect(() => callerOf(keyed('k9'), apikey)).toThrow(expect.objectContaining({ statusCode: 403 }));
    expect(() => callerOf(keyed(undefined), apikey)).toThrow(expect.objectContaining({ statusCode: 401 }));
  });

  it('ignores claims a request carries when the API authenticates by key', () => {
    const input = {
      ...keyed('k1'),
      requestContext: {
        ...keyed('k1').requestContext,
        authorizer: { claims: { sub: 'x', 'cognito:groups': 'admins' } },
      },
    };
    expect(callerOf(input, apikey)).toEqual({ owner: 'web', admin: false });
  });

  it('is the local owner, and an admin, with auth=none, whatever the request says', () => {
    expect(callerOf(claims({ sub: 'u-1' }), { mode: 'none', clients: {} })).toEqual({
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
