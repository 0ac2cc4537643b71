import { z } from 'zod';
import { ApiEnvSchema, type ApiWiring, apiEnvironment } from '../../../api/env';
import type { ApiRouteFactory } from '../../../api/route';
import type { FunctionEnvironment } from '../../../settings/env';
import { MAX_PIN_CHARS, MIN_PIN_CHARS } from '../../pin-contract';
import { type LockedWiring, lockedTableOf } from '../../table-design';

/** `PUT /locked/pin`: every variable it reads. */
export const SetPinEnvSchema = ApiEnvSchema.extend({
  /** The locked folders' table (lambdas/locked/table-design.ts). */
  LOCKED_TABLE_NAME: z.string().min(1),
});
export type SetPinEnv = z.output<typeof SetPinEnvSchema>;

export interface SetPinWiring extends ApiWiring {
  readonly locked?: LockedWiring;
}

/** The environment the stack and the local runner give this function. */
export function environmentFor(wiring: SetPinWiring): FunctionEnvironment {
  return { ...apiEnvironment(wiring), LOCKED_TABLE_NAME: lockedTableOf(wiring) };
}

/** A PIN or a passphrase, as typed. */
export const PinSchema = z
  .string({ error: 'must be a string' })
  .min(MIN_PIN_CHARS, `at least ${MIN_PIN_CHARS} characters`)
  .max(MAX_PIN_CHARS, `at most ${MAX_PIN_CHARS} characters`);

export const SetPinSchema = z.strictObject(
  {
    pin: PinSchema.meta({ description: `The new PIN or passphrase: ${MIN_PIN_CHARS} to ${MAX_PIN_CHARS} characters` }),
    current: PinSchema.optional().meta({ description: 'The current PIN: needed to change one' }),
  },
  { error: 'must be a JSON object {pin, current?}' },
);
export type SetPin = z.output<typeof SetPinSchema>;

/** `PUT /locked/pin` → 200. */
export const PinSetSchema = z
  .object({
    pinVersion: z
      .number()
      .int()
      .min(1)
      .meta({ description: 'Its version: 1 for the first PIN, one more with each change (earlier tokens stop)' }),
  })
  .meta({ id: 'PinSet' });

export const route: ApiRouteFactory = () => ({
  method: 'PUT',
  path: '/locked/pin',
  operationId: 'set-pin',
  access: 'write',
  summary: "Set or change the caller's locked-folder PIN",
  description:
    'Kept only as a salted scrypt hash. Changing it needs the current one (`current`), which counts as an attempt ' +
    'at it (wrong ones are throttled as `POST /locked/unlock`’s are), and shuts every unlock token made before.',
  request: { body: SetPinSchema },
  answers: { 200: { description: 'The PIN is set', body: PinSetSchema } },
  errors: {
    400: 'A malformed body, a PIN shorter than 4 or longer than 64 characters, or a change without `current`',
    403: '`current` is not the PIN',
    409: 'The PIN changed meanwhile (try again)',
    429: 'Too many wrong PINs in a row: `Retry-After` says when the next try is taken',
  },
});
