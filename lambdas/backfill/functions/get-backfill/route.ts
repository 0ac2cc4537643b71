import { z } from 'zod';
import { ApiEnvSchema, type ApiWiring, apiEnvironment } from '../../../api/env';
import type { ApiRouteFactory } from '../../../api/route';
import { BackfillInputShape, type SameType } from '../../../api/schemas';
import type { FunctionEnvironment } from '../../../settings/env';
import { BACKFILL_STATUSES } from '../../run-contract';
import type { RunOutcome } from '../../run-keys';
import type { BackfillRun } from './get-backfill';

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

/**
 * `{id}` of `/backfills/{id}`: an execution name, as Step Functions allows them (newRunId makes ULIDs; a run started
 * with the AWS CLI has the name given there). Nothing else reaches the execution ARN made from it.
 */
export const BackfillIdPathSchema = z.object({
  id: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,80}$/, 'not a backfill id (an execution name: 1 to 80 letters, digits, _ and -)')
    .meta({ description: 'The run id: the execution name (a ULID for runs the API or the CLI started)' }),
});

const count = (description: string) => z.number().int().meta({ description });

/** `GET /backfills/{id}` → 200. */
export const BackfillRunSchema = z
  .object({
    id: z.string(),
    status: z.enum(BACKFILL_STATUSES).meta({ description: "The execution's status" }),
    ...BackfillInputShape,
    startedAt: z.string(),
    stoppedAt: z.string().optional(),
    error: z.string().optional().meta({ description: 'Why the execution failed (`States.ItemReaderFailed`...)' }),
    cause: z.string().optional(),
    listed: count('Objects the map has listed so far'),
    queued: count('Objects sent to the ingest queue'),
    ...({
      processed: count('Analysed and recorded PROCESSED'),
      rejected: count('Recorded REJECTED: not an image the pipeline takes (type, size, a broken file)'),
      skipped: count('Already recorded as processing would record them (the same version and analysis)'),
      placeholders: count('Folder placeholder keys (ending in /), skipped'),
      missing: count('Gone before the processor read them'),
      failed: count('Failed on their last attempt (on the dead-letter queue)'),
    } satisfies Record<RunOutcome, z.ZodNumber>),
    inFlight: count('Queued objects without an outcome yet'),
    done: z.boolean().meta({ description: 'The execution SUCCEEDED and nothing is in flight' }),
  })
  .meta({ id: 'BackfillRun' });

// The use case answers exactly what the document says.
const _answerChecked: SameType<BackfillRun, z.output<typeof BackfillRunSchema>> = true;

export const route: ApiRouteFactory = () => ({
  method: 'GET',
  path: '/backfills/{id}',
  operationId: 'get-backfill',
  access: 'read',
  summary: 'A backfill run and its counts (admins only)',
  description:
    'What the map listed, what was queued and what the processor made of each object (`processed`, `rejected`, ' +
    '`skipped`, `placeholders`, `missing`, `failed`). Counts are at least once: an object processed twice counts ' +
    'twice. `done` once the execution SUCCEEDED and `inFlight` is 0.',
  request: { path: BackfillIdPathSchema },
  answers: { 200: { description: 'The run', body: BackfillRunSchema } },
  errors: { 400: 'The id cannot be an execution name', 403: 'The caller is not an admin', 404: 'No such run' },
});
