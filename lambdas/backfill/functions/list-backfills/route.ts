import { z } from 'zod';
import { ApiEnvSchema, type ApiWiring, apiEnvironment } from '../../../api/env';
import { type ApiRouteFactory, withFieldMeta } from '../../../api/route';
import type { DeploymentSettings } from '../../../settings';
import { formatSources } from '../../../settings/backfill';
import { type FunctionEnvironment, setting } from '../../../settings/env';
import { BACKFILL_STATUSES } from '../../run-contract';

/** `GET /backfills`: every variable it reads. */
export const ListBackfillsEnvSchema = ApiEnvSchema.extend({
  /** The backfill state machine (the stack's `BackfillStateMachineArn`). */
  BACKFILL_STATE_MACHINE_ARN: z.string().min(1),
  /** The pipeline's own bucket, and the `sourceBuckets` setting: the answer says where a backfill may read. */
  BUCKET_NAME: z.string().min(1),
  SOURCE_BUCKETS: setting('sourceBuckets'),
});
export type ListBackfillsEnv = z.output<typeof ListBackfillsEnvSchema>;

export interface ListBackfillsWiring extends ApiWiring {
  readonly backfillStateMachineArn: string;
  readonly bucketName: string;
  readonly settings: Pick<DeploymentSettings, 'corsOrigins' | 'auth' | 'sourceBuckets'>;
}

/** The environment the stack and the local runner give this function. */
export function environmentFor(wiring: ListBackfillsWiring): FunctionEnvironment {
  return {
    ...apiEnvironment(wiring),
    BACKFILL_STATE_MACHINE_ARN: wiring.backfillStateMachineArn,
    BUCKET_NAME: wiring.bucketName,
    SOURCE_BUCKETS: formatSources(wiring.settings.sourceBuckets).join(','),
  };
}

export const DEFAULT_LIMIT = 20;
/** ListExecutions' own maximum. */
export const MAX_LIMIT = 100;

/** `GET /backfills?limit=&next=`. */
export const ListBackfillsQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).optional(),
  next: z.string().min(1).max(3096).optional(),
});
export type ListBackfillsQuery = z.output<typeof ListBackfillsQuerySchema>;

/** `GET /backfills` → 200. */
export const BackfillPageSchema = z
  .object({
    items: z
      .array(
        z
          .object({
            id: z.string().meta({ description: 'The run id: `GET /backfills/{id}` has its input and counts' }),
            status: z.enum(BACKFILL_STATUSES),
            startedAt: z.string(),
            stoppedAt: z.string().optional(),
          })
          .meta({ id: 'BackfillSummary' }),
      )
      .meta({ description: 'Newest first' }),
    next: z.string().optional().meta({ description: 'Present while more runs may follow: pass it back as `next`' }),
    sources: z
      .array(
        z
          .object({
            bucket: z.string(),
            prefix: z.string().meta({ description: "Only keys under it; '' for the whole bucket" }),
            owner: z.string().optional().meta({ description: 'The owner its images get, when its entry names one' }),
          })
          .meta({ id: 'BackfillSource' }),
      )
      .meta({
        description:
          "Where a backfill may read: the pipeline's own bucket under `uploads/`, then each `sourceBuckets` entry",
      }),
  })
  .meta({ id: 'BackfillPage' });

export const route: ApiRouteFactory = () => ({
  method: 'GET',
  path: '/backfills',
  operationId: 'list-backfills',
  access: 'read',
  summary: 'List backfill runs, newest first (admins only)',
  description:
    'One page of runs with their status; `GET /backfills/{id}` has each one’s input and counts. `sources` says ' +
    'which buckets and prefixes `POST /backfills` may read in this deployment.',
  request: {
    query: withFieldMeta(ListBackfillsQuerySchema, {
      limit: { description: `Runs per page: default ${DEFAULT_LIMIT}; more than ${MAX_LIMIT} is served ${MAX_LIMIT}` },
      next: { description: 'From the previous page (opaque)' },
    }),
  },
  answers: { 200: { description: 'One page of runs', body: BackfillPageSchema } },
  errors: { 400: 'A bad limit, or a `next` this API did not return', 403: 'The caller is not an admin' },
});
