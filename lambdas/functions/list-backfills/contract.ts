import { z } from 'zod';
import { ApiEnvSchema, type ApiWiring, apiEnvironment, type FunctionEnvironment } from '../../api/env';

/** `GET /backfills`: every variable it reads. */
export const ListBackfillsEnvSchema = ApiEnvSchema.extend({
  /** The backfill state machine (the stack's `BackfillStateMachineArn`). */
  BACKFILL_STATE_MACHINE_ARN: z.string().min(1),
});
export type ListBackfillsEnv = z.output<typeof ListBackfillsEnvSchema>;

export interface ListBackfillsWiring extends ApiWiring {
  readonly backfillStateMachineArn: string;
}

/** The environment the stack and the local runner give this function. */
export function environmentFor(wiring: ListBackfillsWiring): FunctionEnvironment {
  return { ...apiEnvironment(wiring), BACKFILL_STATE_MACHINE_ARN: wiring.backfillStateMachineArn };
}
