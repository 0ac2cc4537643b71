import { z } from 'zod';
import { ApiEnvSchema, type ApiWiring, apiEnvironment } from '../../../api/env';
import type { ApiRouteFactory } from '../../../api/route';
import { BackfillInputShape } from '../../../api/schemas';
import type { DeploymentSettings } from '../../../settings';
import { formatSources } from '../../../settings/backfill';
import { type FunctionEnvironment, setting } from '../../../settings/env';
import { validUnicode } from '../../../store/client-text';

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

/** `POST /backfills` body: what `image-intel backfill` takes as flags. */
export const BackfillRequestSchema = z.strictObject(
  {
    bucket: z.string().min(3).max(63).meta({ description: "The bucket to bring in: the pipeline's own, or a source" }),
    // A lone surrogate has no UTF-8 form: the run would start and fail at its first listing, saying nothing.
    prefix: z.string().max(1024).check(validUnicode).optional().meta({
      description: "Only the keys under it: default `uploads/` in the pipeline's bucket, a source's own prefix",
    }),
    owner: z
      .string()
      .optional()
      .meta({
        description:
          "The owner of the images whose `sourceBuckets` entry names none (the pipeline's uploads keep theirs); one " +
          'that an entry the run reaches contradicts is refused',
      }),
    reprocess: z.boolean().optional().meta({
      description: 'Analyse again the images whose record came from an older analysis version (default false)',
    }),
    regroupFaces: z
      .boolean()
      .optional()
      .meta({
        description:
          'Analyse every image again and group its faces afresh under the current match distance (face grouping on; ' +
          'implies `reprocess`; default false): `image-intel people recluster` (docs/people.md#re-clustering)',
      }),
    reown: z
      .boolean()
      .optional()
      .meta({
        description:
          'Give each image recorded under another owner the one its key gets now, its search postings and faces with ' +
          'it (default false: an image keeps the owner it has; docs/api.md#backfills)',
      }),
    force: z
      .boolean()
      .optional()
      .meta({
        description:
          'Start it even though a run over the same bucket and an overlapping prefix is not done yet (default false: ' +
          'that is a 409 naming the run)',
      }),
  },
  { error: 'must be a JSON object {bucket, prefix?, owner?, reprocess?, regroupFaces?, reown?, force?}' },
);
export type BackfillRequestBody = z.output<typeof BackfillRequestSchema>;

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
