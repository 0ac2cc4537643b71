import { TooManyRequestsError } from '../shared/errors';
import type { LockStore, OwnerLock } from './lock-store';
import { FREE_FAILURES, verifyPin } from './pin';

export interface PinAttemptDeps {
  locks: Pick<LockStore, 'claimAttempt' | 'forgetFailures'>;
  now?: () => Date;
}

/**
 * Check a PIN against the owner's, at the pace the folder allows:
 * 1. claim the attempt (lock-store.ts): 429 with `Retry-After` while the folder is shut after too many wrong ones, or
 *    while another attempt is being checked;
 * 2. check it (scrypt, ~50 ms);
 * 3. right: the failures are forgotten. Wrong: the claim counted it already.
 * Answers whether it was right, and how many wrong ones the owner has in a row.
 */
export async function tryPin(
  lock: OwnerLock,
  pin: string,
  deps: PinAttemptDeps,
): Promise<{ right: true } | { right: false; failures: number }> {
  const claim = await deps.locks.claimAttempt(lock, deps.now?.() ?? new Date());
  if (!claim.claimed) {
    throw new TooManyRequestsError(
      `too many wrong PINs: the locked folder opens to another try in ${claim.retryAfterSeconds} s`,
      claim.retryAfterSeconds,
    );
  }
  if (await verifyPin(pin, lock.pin)) {
    await deps.locks.forgetFailures(lock);
    return { right: true };
  }
  return { right: false, failures: (lock.failures ?? 0) + 1 };
}

/** The 403's words for a wrong PIN: how many in a row, and what comes next. */
export function wrongPinMessage(failures: number, what = 'pin'): string {
  const left = FREE_FAILURES - failures;
  const next =
    left > 0
      ? `${left} more wrong and the locked folder shuts for a while`
      : 'the locked folder is shut for a while (longer with each wrong one)';
  return `${what}: not your PIN (${failures} wrong in a row; ${next})`;
}
