import { z } from 'zod';

/** Who is calling: the owner their images are filed under, and whether they may see every owner's images. */
export interface Caller {
  readonly owner: string;
  readonly admin: boolean;
  /**
   * The sign-in the request was made under, where the auth mode has one (api/caller.ts): the same for every token
   * refreshed from one sign-in, another after signing in again. An unlock token is bound to it (locked/unlock-token.ts).
   */
  readonly signIn?: string;
}

/**
 * The one owner of every image with `auth=none` (a deployment without users, such as the local runner's default);
 * the caller is also an admin there, so images without an owner are not hidden from the only caller there is.
 */
export const LOCAL_OWNER = 'local';

/**
 * What an owner may look like: a Cognito `sub` (a UUID), an API client's name or `local`. It becomes part of index
 * keys (`<owner>#<shard>`), so `#` and anything unprintable are excluded.
 */
export const OwnerSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.@:-]{0,127}$/, 'must be an owner id: letters, digits and _ . @ : - (at most 128)');

/** May this caller see and change an image filed under `owner`? An image without an owner is for admins only. */
export function mayAccess(caller: Caller, owner: string | undefined): boolean {
  return caller.admin || (owner !== undefined && owner === caller.owner);
}
