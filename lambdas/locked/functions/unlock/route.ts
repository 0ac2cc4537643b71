import { z } from 'zod';
import { ApiEnvSchema, type ApiWiring, apiEnvironment } from '../../../api/env';
import type { ApiRouteFactory } from '../../../api/route';
import type { DeploymentSettings } from '../../../settings';
import { type FunctionEnvironment, setting } from '../../../settings/env';
import { MAX_PIN_CHARS, MIN_PIN_CHARS } from '../../pin-contract';
import { UnlockCheckEnvShape, type UnlockCheckWiring, unlockCheckEnvironment } from '../../wiring';

/** `POST /locked/unlock`: every variable it reads. */
export const UnlockEnvSchema = ApiEnvSchema.extend(UnlockCheckEnvShape).extend({
  UNLOCK_TOKEN_TTL_SECONDS: setting('unlockTokenTtlSeconds'),
});
export type UnlockEnv = z.output<typeof UnlockEnvSchema>;

export interface UnlockWiring extends ApiWiring, UnlockCheckWiring {
  readonly settings: Pick<DeploymentSettings, 'corsOrigins' | 'auth' | 'unlockTokenTtlSeconds'>;
}

/** The environment the stack and the local runner give this function. */
export function environmentFor(wiring: UnlockWiring): FunctionEnvironment {
  return {
    ...apiEnvironment(wiring),
    ...unlockCheckEnvironment(wiring),
    UNLOCK_TOKEN_TTL_SECONDS: String(wiring.settings.unlockTokenTtlSeconds),
  };
}

export const UnlockSchema = z.strictObject(
  {
    pin: z
      .string({ error: 'must be a string' })
      .min(MIN_PIN_CHARS, `at least ${MIN_PIN_CHARS} characters`)
      .max(MAX_PIN_CHARS, `at most ${MAX_PIN_CHARS} characters`)
      .meta({ description: 'The PIN or passphrase set with `PUT /locked/pin`' }),
  },
  { error: 'must be a JSON object {pin}' },
);
export type Unlock = z.output<typeof UnlockSchema>;

/** `POST /locked/unlock` → 200. */
export const UnlockedSchema = z
  .object({
    token: z.string().meta({ description: 'Send it as `X-Unlock-Token` to list and read the locked folder' }),
    expiresAt: z.iso.datetime().meta({ description: 'When it stops opening the folder (`unlockTokenTtlSeconds`)' }),
  })
  .meta({ id: 'Unlocked' });

export const route: ApiRouteFactory = () => ({
  method: 'POST',
  path: '/locked/unlock',
  operationId: 'unlock',
  // It records the failed attempts (the throttle), so it writes.
  access: 'write',
  summary: "Open the caller's locked folder for a while",
  description:
    'Answers a short-lived unlock token (10 minutes by default: `unlockTokenTtlSeconds`) for `X-Unlock-Token`; a ' +
    'new PIN shuts it, and so does another sign-in (a token is bound to the one it was made under). Wrong PINs are throttled per owner: after 5 in a row the folder shuts for 30 s, doubling ' +
    'with each further one up to an hour (429 with `Retry-After`).',
  request: { body: UnlockSchema },
  answers: { 200: { description: 'The folder is open until `expiresAt`', body: UnlockedSchema } },
  errors: {
    400: 'A malformed body',
    403: 'Not the PIN',
    409: 'No PIN set yet (`PUT /locked/pin`)',
    429: 'Too many wrong PINs in a row: `Retry-After` says when the next try is taken',
  },
});
