import type { z } from 'zod';
import type { SameType } from '../../../api/schemas';
import type { SigningKeySet } from '../../../renditions/signing-keys';
import { ConflictError, ForbiddenError } from '../../../shared/errors';
import type { LockStore } from '../../lock-store';
import { type PinAttemptDeps, tryPin, wrongPinMessage } from '../../pin-attempt';
import { signUnlockToken, type UnlockHolder } from '../../unlock-token';
import type { Unlock, UnlockedSchema } from './route';

export interface Unlocked {
  token: string;
  expiresAt: string;
}

const _answerChecked: SameType<Unlocked, z.output<typeof UnlockedSchema>> = true;

export type UnlockDeps = PinAttemptDeps & {
  locks: Pick<LockStore, 'get'>;
  keys: () => Promise<SigningKeySet>;
  ttlSeconds: number;
};

/**
 * Open an owner's locked folder:
 * 1. read their item (409 when they set no PIN);
 * 2. try the PIN (pin-attempt.ts: 429 while shut, 403 when wrong);
 * 3. right: a token for the owner under the caller's sign-in and their PIN's version, signed, expiring
 *    `ttlSeconds` from now.
 */
export async function unlock(holder: UnlockHolder, asked: Unlock, deps: UnlockDeps): Promise<Unlocked> {
  const lock = await deps.locks.get(holder.owner);
  if (lock === undefined) throw new ConflictError('no PIN set: set one with PUT /locked/pin first');
  const tried = await tryPin(lock, asked.pin, deps);
  if (!tried.right) throw new ForbiddenError(wrongPinMessage(tried.failures));
  const now = deps.now?.() ?? new Date();
  const expires = Math.floor(now.getTime() / 1000) + deps.ttlSeconds;
  const token = signUnlockToken(holder, { expires, pinVersion: lock.pinVersion }, await deps.keys());
  return { token, expiresAt: new Date(expires * 1000).toISOString() };
}
