import { z } from 'zod';
import { ApiEnvSchema, type ApiWiring, apiEnvironment, type FunctionEnvironment, setting } from '../../api/env';
import { formatSources } from '../../backfill/plan';
import type { DeploymentSettings } from '../../settings';

/** `POST /backfills`: every variable it reads. */
export const StartBackfillEnvSchema = ApiEnvSchema.extend({
  /** The backfill state machine (the stack's `BackfillStateMachineArn`). */
  BACKFILL_STATE_MACHINE_ARN: z.string().min(1),
  /** The pipeline's own bucket: its `uploads/` may be backfilled (re-analysed). */
  BUCKET_NAME: z.string().min(1),
  /** The `sourceBuckets` setting, as it is written (`bucket[/prefix][=owner]`, comma-separated): what may be read. */
  SOURCE_BUCKETS: setting('sourceBuckets'),
});
export type StartBackfillEnv = z.output<typeof StartBackfillEnvSchema>;

export interface StartBackfillWiring extends ApiWiring {
  readonly backfillStateMachineArn: string;
  readonly bucketName: string;
  readonly settings: Pick<DeploymentSettings, 'corsOrigins' | 'auth' | 'sourceBuckets'>;
}

/** The environment the stack and the local runner give this function. */
export function environmentFor(wiring: StartBackfillWiring): FunctionEnvironment {
  return {
    ...apiEnvironment(wiring),
    BACKFILL_STATE_MACHINE_ARN: wiring.backfillStateMachineArn,
    BUCKET_NAME: wiring.bucketName,
    SOURCE_BUCKETS: formatSources(wiring.settings.sourceBuckets).join(','),
  };
}
