import type { SigningKeySet } from '../renditions/signing-keys';
import { ForbiddenError } from '../shared/errors';
import type { LockStore } from './lock-store';
import { readUnlockToken, type TokenRefusal, type UnlockHolder } from './unlock-token';

/** The header an unlock token travels in (docs/api.md "The locked folder"). */
export const UNLOCK_TOKEN_HEADER = 'X-Unlock-Token';

/** What checking a token reads: the owner's PIN version, and the signing keys (cached: renditions/key-secret.ts). */
export interface UnlockCheckDeps {
  locks: Pick<LockStore, 'get'>;
  keys: () => Promise<SigningKeySet>;
  now?: () => Date;
}

/** The 403's words for each refusal. */
const REFUSED: Record<TokenRefusal, string> = {
  expired: 'has expired',
  'another sign-in': 'was made under another sign-in (signing out shuts the folder)',
  malformed: 'is not one the API made for you (malformed)',
  'unknown key': 'is not one the API made for you (unknown key)',
  forged: 'is not one the API made for you (forged)',
};

/**
 * Whether `token` opens the holder's locked folder now: signed for its owner under the caller's sign-in (where the
 * auth mode has one) by a key of the set, not expired, and made under the owner's current PIN (a new PIN shuts every
 * earlier token). Answers its expiry (unix seconds), or throws a 403 saying what is missing or wrong. One GetItem of
 * the owner's item, and the key set from its cache.
 */
export async function requireUnlocked(
  holder: UnlockHolder,
  token: string | undefined,
  deps: UnlockCheckDeps,
  what = 'this is in the locked folder',
): Promise<number> {
  if (token === undefined || token === '') {
    throw new ForbiddenError(`${what}: locked: send X-Unlock-Token (POST /locked/unlock with the PIN answers one)`);
  }
  const read = readUnlockToken(token, holder, await deps.keys(), deps.now?.() ?? new Date());
  if ('refused' in read) {
    throw new ForbiddenError(
      `${what}: locked: the X-Unlock-Token ${REFUSED[read.refused]}; unlock again (POST /locked/unlock)`,
    );
  }
  const lock = await deps.locks.get(holder.owner);
  if (lock?.pinVersion !== read.pinVersion) {
    throw new ForbiddenError(`${what}: locked: the X-Unlock-Token was made under an earlier PIN; unlock again`);
  }
  return read.expires;
}
