import type { z } from 'zod';
import type { SameType } from '../../../api/schemas';
import { BadRequestError, ConflictError, ForbiddenError } from '../../../shared/errors';
import type { LockStore } from '../../lock-store';
import { hashPin } from '../../pin';
import { type PinAttemptDeps, tryPin, wrongPinMessage } from '../../pin-attempt';
import type { PinSetSchema, SetPin } from './route';

export interface PinSet {
  pinVersion: number;
}

const _answerChecked: SameType<PinSet, z.output<typeof PinSetSchema>> = true;

export type SetPinDeps = PinAttemptDeps & { locks: Pick<LockStore, 'get' | 'create' | 'replace'> };

/**
 * Set an owner's PIN, or change it:
 * 1. read their item; none: keep the new PIN's hash as version 1, if none was set meanwhile (409);
 * 2. else `current` is needed (400 without), tried as an unlock tries a PIN (pin-attempt.ts: 429 while shut, 403
 *    when wrong);
 * 3. right: the new hash as the next version, if the item is still the one read (409), its failures forgotten.
 * Every unlock token names the version it was made under, so the change shuts them all (lock-check.ts).
 */
export async function setPin(owner: string, asked: SetPin, deps: SetPinDeps): Promise<PinSet> {
  const lock = await deps.locks.get(owner);
  if (lock === undefined) {
    if (!(await deps.locks.create(owner, await hashPin(asked.pin)))) {
      throw new ConflictError('a PIN was set meanwhile: change it with `current`');
    }
    return { pinVersion: 1 };
  }
  if (asked.current === undefined) {
    throw new BadRequestError('current: you have a PIN; give it as `current` to change it');
  }
  const tried = await tryPin(lock, asked.current, deps);
  if (!tried.right) throw new ForbiddenError(wrongPinMessage(tried.failures, 'current'));
  if (!(await deps.locks.replace(lock, await hashPin(asked.pin)))) {
    throw new ConflictError('the PIN changed meanwhile: try again');
  }
  return { pinVersion: lock.pinVersion + 1 };
}
