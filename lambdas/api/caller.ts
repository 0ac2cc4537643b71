import type { APIGatewayProxyEvent } from 'aws-lambda';
import { z } from 'zod';
import { ForbiddenError, UnauthenticatedError } from '../shared/errors';

export { ForbiddenError, UnauthenticatedError } from '../shared/errors';

import type { AuthMode } from '../settings/index';

/** Who is calling: the owner their images are filed under, and whether they may see every owner's images. */
export interface Caller {
  readonly owner: string;
  readonly admin: boolean;
}

/**
 * The one owner of every image with `auth=none` (a deployment without users, such as the local runner's default);
 * the caller is also an admin there, so images without an owner are not hidden from the only caller there is.
 */
export const LOCAL_OWNER = 'local';

/** Members of this Cognito group see and manage every owner's images. */
export const ADMIN_GROUP = 'admins';

/**
 * What an owner may look like: a Cognito `sub` (a UUID), an API client's name or `local`. It becomes part of index
 * keys (`<owner>#<shard>`), so `#` and anything unprintable are excluded.
 */
export const OwnerSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.@:-]{0,127}$/, 'must be an owner id: letters, digits and _ . @ : - (at most 128)');

/** An API client's name (`apiClients` setting): it is the owner of what the client uploads. */
export const ApiClientNameSchema = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,62}$/, 'must be a lowercase letter, then up to 62 lowercase letters, digits or hyphens');

/** What a function knows of each API key (`API_CLIENTS`): the key's id (not its value) to its client. */
export const ApiClientDirectorySchema = z.record(
  z.string().min(1),
  z.object({ name: ApiClientNameSchema, admin: z.boolean() }),
);
export type ApiClientDirectory = z.infer<typeof ApiClientDirectorySchema>;

export interface CallerSource {
  mode: AuthMode;
  clients: ApiClientDirectory;
}

/**
 * The caller, from what API Gateway verified before the function ran, never from anything else the client sent:
 * - `cognito`: the user pool authorizer's claims (`sub`; `cognito:groups` for admins), which API Gateway presents
 *   only for a token it verified (signature, expiry, audience), every value a string;
 * - `apikey`: the id of the key API Gateway matched to a usage plan, looked up in the deployment's clients;
 * - `none`: the local owner, an admin (there is no one else).
 * API Gateway refuses a request without these before any function runs; their absence here means a caller found
 * another way in (a misconfigured method, a direct invoke), which is refused, not served as anyone.
 */
export function callerOf(event: APIGatewayProxyEvent, source: CallerSource): Caller {
  // The one caller of an open API sees everything there is, images without an owner included.
  if (source.mode === 'none') return { owner: LOCAL_OWNER, admin: true };
  if (source.mode === 'apikey') {
    const keyId = event.requestContext?.identity?.apiKeyId;
    if (!keyId) throw new UnauthenticatedError('an API key is required (x-api-key header)');
    const client = source.clients[keyId];
    if (!client) throw new ForbiddenError('this API key belongs to no configured API client');
    return { owner: client.name, admin: client.admin };
  }
  const claims = (event.requestContext?.authorizer as { claims?: Record<string, unknown> } | null)?.claims;
  const sub = claims?.sub;
  if (typeof sub !== 'string' || !OwnerSchema.safeParse(sub).success) {
    throw new UnauthenticatedError('a valid token is required (Authorization header)');
  }
  return { owner: sub, admin: groupsOf(claims?.['cognito:groups']).includes(ADMIN_GROUP) };
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

/** May this caller see and change an image filed under `owner`? An image without an owner is for admins only. */
export function mayAccess(caller: Caller, owner: string | undefined): boolean {
  return caller.admin || (owner !== undefined && owner === caller.owner);
}
