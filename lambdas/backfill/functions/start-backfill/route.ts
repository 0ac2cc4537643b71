import { z } from 'zod';
import { ApiEnvSchema, type ApiWiring, apiEnvironment } from '../../../api/env';
import type { ApiRouteFactory } from '../../../api/route';
import { BackfillInputShape, type SameType } from '../../../api/schemas';
import type { DeploymentSettings } from '../../../settings';
import { formatSources } from '../../../settings/backfill';
import { type FunctionEnvironment, setting } from '../../../settings/env';
import { BackfillRequestSchema, type StartedBackfill } from './start-backfill';

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

/** `POST /backfills` → 202: the run, started. */
export const StartedBackfillSchema = z
  .object({
    id: z.string().meta({ description: 'The run id (a ULID), the execution name' }),
    status: z.literal('RUNNING'),
    ...BackfillInputShape,
    startedAt: z.string(),
    location: z.string().meta({ description: 'Its `GET /backfills/{id}`, under the API base URL' }),
  })
  .meta({ id: 'StartedBackfill' });

// The use case answers exactly what the document says.
const _answerChecked: SameType<StartedBackfill, z.output<typeof StartedBackfillSchema>> = true;

export const route: ApiRouteFactory = () => ({
  method: 'POST',
  path: '/backfills',
  operationId: 'start-backfill',
  access: 'write',
  summary: 'Start a backfill: bring a bucket’s existing photos in (admins only)',
  description:
    "Lists `bucket` under `prefix` and sends every object through the processor, as an upload would be. The bucket is the pipeline's own (`uploads/`, to re-analyse with `reprocess`) or one of the deployment's `sourceBuckets`. Follow it with `GET /backfills/{id}` (docs/api.md#backfills).",
  request: { body: BackfillRequestSchema },
  answers: { 202: { description: 'Started; follow it at `location`', body: StartedBackfillSchema } },
  errors: {
    400: 'A malformed body, or one the deployment cannot serve: a bucket that is no source, a prefix outside the granted ones, an owner the source contradicts (the message says what to deploy)',
    403: 'The caller is not an admin',
    409: 'A run over the same bucket and an overlapping prefix is not done yet (running, or its objects still being processed): the message names it; or another start of the bucket is being checked at this moment. `force` starts this one anyway',
    429: "Step Functions' execution limit or throttling, or more runs running than the overlap check reads: try again later (`Retry-After`)",
  },
});
