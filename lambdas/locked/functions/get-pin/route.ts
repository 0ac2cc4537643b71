import { z } from 'zod';
import { ApiEnvSchema, type ApiWiring, apiEnvironment } from '../../../api/env';
import type { ApiRouteFactory } from '../../../api/route';
import type { FunctionEnvironment } from '../../../settings/env';
import { type LockedWiring, lockedTableOf } from '../../table-design';

/** `GET /locked/pin`: every variable it reads. */
export const GetPinEnvSchema = ApiEnvSchema.extend({
  /** The locked folders' table (lambdas/locked/table-design.ts). */
  LOCKED_TABLE_NAME: z.string().min(1),
});
export type GetPinEnv = z.output<typeof GetPinEnvSchema>;

export interface GetPinWiring extends ApiWiring {
  readonly locked?: LockedWiring;
}

/** The environment the stack and the local runner give this function. */
export function environmentFor(wiring: GetPinWiring): FunctionEnvironment {
  return { ...apiEnvironment(wiring), LOCKED_TABLE_NAME: lockedTableOf(wiring) };
}

/** `GET /locked/pin` → 200. */
export const PinStateSchema = z
  .object({
    set: z.boolean().meta({
      description:
        'Whether the caller has set a PIN: `POST /locked/unlock` takes it, `PUT /locked/pin` wants `current`',
    }),
  })
  .meta({ id: 'PinState' });
export type PinState = z.output<typeof PinStateSchema>;

export const route: ApiRouteFactory = () => ({
  method: 'GET',
  path: '/locked/pin',
  operationId: 'get-pin',
  access: 'read',
  summary: 'Whether the caller has set a locked-folder PIN',
  description:
    'Says only whether there is one, never anything of it, so that a client asks for a new PIN or for the one set: ' +
    'one read of the owner’s item, no attempt counted.',
  answers: { 200: { description: 'Whether a PIN is set', body: PinStateSchema } },
});
