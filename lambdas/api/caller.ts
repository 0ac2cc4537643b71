import type { APIGatewayProxyEvent } from 'aws-lambda';
import { ADMIN_GROUP, type AuthMode } from '../settings/api';
import { ForbiddenError, UnauthenticatedError } from '../shared/errors';
import { type Caller, LOCAL_OWNER, OwnerSchema } from '../store/owner';
import { type ApiClientLookup, apiClientLookup } from './api-clients';
import type { ApiEnv } from './env';

export interface CallerSource {
  mode: AuthMode;
  /** With `apikey`: the deployment's API clients by key id. */
  clients: ApiClientLookup;
}

/**
 * The caller, from what API Gateway verified before the function ran, never from anything else the client sent:
 * - `cognito`: the user pool authorizer's claims (`sub`; `cognito:groups` for admins; the sign-in, `signInOf`), which
 *   API Gateway presents only for a token it verified (signature, expiry, audience), every value a string;
 * - `apikey`: the id of the key API Gateway matched to a usage plan, looked up in the deployment's clients;
 * - `none`: the local owner, an admin (there is no one else).
 * API Gateway refuses a request without these before any function runs; their absence here means a caller found
 * another way in (a misconfigured method, a direct invoke), which is refused, not served as anyone.
 */
export async function callerOf(event: APIGatewayProxyEvent, source: CallerSource): Promise<Caller> {
  // The one caller of an open API sees everything there is, images without an owner included.
  if (source.mode === 'none') return { owner: LOCAL_OWNER, admin: true };
  if (source.mode === 'apikey') {
    const keyId = event.requestContext?.identity?.apiKeyId;
    if (!keyId) throw new UnauthenticatedError('an API key is required (x-api-key header)');
    // A key the cached directory does not know may belong to a client added since: read the directory again.
    const client = (await source.clients())[keyId] ?? (await source.clients({ refresh: true }))[keyId];
    if (!client) throw new ForbiddenError('this API key belongs to no configured API client');
    return { owner: client.name, admin: client.admin };
  }
  const claims = (event.requestContext?.authorizer as { claims?: Record<string, unknown> } | null)?.claims;
  const sub = claims?.sub;
  if (typeof sub !== 'string' || !OwnerSchema.safeParse(sub).success) {
    throw new UnauthenticatedError('a valid token is required (Authorization header)');
  }
  const signIn = signInOf(claims);
  return {
    owner: sub,
    admin: groupsOf(claims?.['cognito:groups']).includes(ADMIN_GROUP),
    ...(signIn !== undefined && { signIn }),
  };
}

/**
 * The sign-in a Cognito token was issued under: `origin_jti`, which every token refreshed from one sign-in keeps and
 * the next sign-in changes, else `auth_time`, when that sign-in happened (which refreshes keep too). Cognito's ID
 * tokens carry both (`origin_jti` since revocation came, on by default), as the runner's do (local/local-tokens.ts);
 * a token with neither is bound to no sign-in, as with `apikey` and `none`.
 */
export function signInOf(claims: Record<string, unknown> | undefined): string | undefined {
  const origin = claims?.origin_jti;
  if (typeof origin === 'string' && origin !== '') return `jti:${origin}`;
  const at = claims?.auth_time;
  if ((typeof at === 'string' && at !== '') || typeof at === 'number') return `at:${at}`;
  return undefined;
}

/**
 * `cognito:groups` as API Gateway passes it: a REST API's Cognito authorizer turns the token's array into a string,
 * `admins` or `admins,editors` (HTTP APIs write `[admins editors]`); an array is taken as it is.
 */
export function groupsOf(claim: unknown): string[] {
  if (Array.isArray(claim)) return claim.filter((group): group is string => typeof group === 'string');
  if (typeof claim !== 'string') return [];
  return claim
    .replace(/^\[|\]$/g, '')
    .split(/[,\s]+/)
    .filter(Boolean);
}

/** Where a function reads its callers from, out of its parsed environment: made once, at load. */
export function callerSource(config: ApiEnv): CallerSource {
  if (config.AUTH_MODE === 'apikey' && config.API_CLIENTS_PARAMETER === '') {
    throw new Error('invalid environment: API_CLIENTS_PARAMETER is required with AUTH_MODE=apikey');
  }
  return { mode: config.AUTH_MODE, clients: apiClientLookup(config.API_CLIENTS_PARAMETER) };
}
