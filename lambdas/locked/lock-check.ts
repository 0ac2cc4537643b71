import type { SigningKeySet } from '../renditions/signing-keys';
import { ForbiddenError } from '../shared/errors';
import type { LockStore } from './lock-store';
import { readUnlockToken } from './unlock-token';

/** The header an unlock token travels in (docs/api.md "The locked folder"). */
export const UNLOCK_TOKEN_HEADER = 'X-Unlock-Token';

/** What checking a token reads: the owner's PIN version, and the signing keys (cached: renditions/key-secret.ts). */
export interface UnlockCheckDeps {
  locks: Pick<LockStore, 'get'>;
  keys: () => Promise<SigningKeySet>;
  now?: () => Date;
}

/**
 * Whether `token` opens `owner`'s locked folder now: signed for them by a key of the set, not expired, and made
 * under their current PIN (a new PIN shuts every earlier token). Answers its expiry (unix seconds), or throws a 403
 * saying what is missing or wrong. One GetItem of the owner's item, and the key set from its cache.
 */
export async function requireUnlocked(
  owner: string,
  token: string | undefined,
  deps: UnlockCheckDeps,
  what = 'this is in the locked folder',
): Promise<number> {
  if (token === undefined || token === '') {
    throw new ForbiddenError(`${what}: locked: send X-Unlock-Token (POST /locked/unlock with the PIN answers one)`);
  }
  const read = readUnlockToken(token, owner, await deps.keys(), deps.now?.() ?? new Date());
  if ('refused' in read) {
    const why = read.refused === 'expired' ? 'has expired' : `is not one the API made for you (${read.refused})`;
    throw new ForbiddenError(`${what}: locked: the X-Unlock-Token ${why}; unlock again (POST /locked/unlock)`);
  }
  const lock = await deps.locks.get(owner);
  if (lock?.pinVersion !== read.pinVersion) {
    throw new ForbiddenError(`${what}: locked: the X-Unlock-Token was made under an earlier PIN; unlock again`);
  }
  return read.expires;
}
