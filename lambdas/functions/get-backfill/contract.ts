import { z } from 'zod';
import { ApiEnvSchema, type ApiWiring, apiEnvironment, type FunctionEnvironment } from '../../api/env';

/** `GET /backfills/{id}`: every variable it reads (`TABLE_NAME` holds the runs' counters). */
export const GetBackfillEnvSchema = ApiEnvSchema.extend({
  /** The backfill state machine (the stack's `BackfillStateMachineArn`). */
  BACKFILL_STATE_MACHINE_ARN: z.string().min(1),
});
export type GetBackfillEnv = z.output<typeof GetBackfillEnvSchema>;

export interface GetBackfillWiring extends ApiWiring {
  readonly backfillStateMachineArn: string;
}

/** The environment the stack and the local runner give this function. */
export function environmentFor(wiring: GetBackfillWiring): FunctionEnvironment {
  return { ...apiEnvironment(wiring), BACKFILL_STATE_MACHINE_ARN: wiring.backfillStateMachineArn };
}
