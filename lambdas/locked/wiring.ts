import { z } from 'zod';
import type { FunctionEnvironment } from '../settings/env';
import { type LockedWiring, lockedTableOf } from './table-design';

/*
 * What a function that checks an unlock token is wired with (the locked folder's own routes, and the reads that
 * answer a locked image: GET /images?locked=true, GET /images/{id}): the PINs' table, for the PIN version, and the
 * rendition signing key set the token is signed with.
 */

export const UnlockCheckEnvShape = {
  /** The locked folders' table (lambdas/locked/table-design.ts): each owner's PIN version. */
  LOCKED_TABLE_NAME: z.string().min(1),
  /** The signing key set (renditions/signing-keys.ts), which signs unlock tokens too. */
  SIGNING_SECRET_ARN: z.string().min(1),
};

export interface UnlockCheckWiring {
  readonly locked?: LockedWiring;
  readonly signingSecretArn: string;
}

/** The environment the stack and the local runner give a function that checks unlock tokens. */
export function unlockCheckEnvironment(wiring: UnlockCheckWiring): FunctionEnvironment {
  return { LOCKED_TABLE_NAME: lockedTableOf(wiring), SIGNING_SECRET_ARN: wiring.signingSecretArn };
}
