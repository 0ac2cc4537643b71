import { z } from 'zod';
import { ForbiddenError, NotFoundError } from '../../../shared/errors';
import type { Caller } from '../../../store/owner';
import type { BackfillExecutionDetail, IBackfillExecutions } from '../../executions';
import { inFlight, type RunCounts } from '../../run-status';

/** A run's input as the state machine got it; one started by hand may lack fields, which then read as defaults. */
const InputSchema = z.object({
  bucket: z.string().catch(''),
  prefix: z.string().catch(''),
  owner: z.string().nullable().catch(null),
  reprocess: z.boolean().catch(false),
  regroupFaces: z.boolean().catch(false),
  reown: z.boolean().catch(false),
});

/** `GET /backfills/{id}` → 200: the run, what it has listed and queued, and what the processor made of it. */
export type BackfillRun = Omit<BackfillExecutionDetail, 'input'> &
  z.output<typeof InputSchema> &
  RunCounts & {
    /** Objects its map has listed so far (the map run's item count). */
    listed: number;
    /** Queued objects the processor has not finished with yet. */
    inFlight: number;
    /** The execution SUCCEEDED and nothing is in flight: every listed object has its outcome. */
    done: boolean;
  };

export interface GetBackfillDeps {
  executions: Pick<IBackfillExecutions, 'describe' | 'listed'>;
  /** The run's counters in the results table (readRunCounts). */
  counts: (id: string) => Promise<RunCounts>;
}

/**
 * A backfill run and its progress:
 * 1. admins only, as for starting one;
 * 2. the execution (404 when the state machine has none of that name): status, input, when, why it failed;
 * 3. beside it, what its map run listed and the run's counters: queued by the state machine, then each outcome.
 */
export async function getBackfill(id: string, caller: Caller, deps: GetBackfillDeps): Promise<BackfillRun> {
  if (!caller.admin) throw new ForbiddenError('only an admin may follow backfills');
  const execution = await deps.executions.describe(id);
  if (!execution) throw new NotFoundError(`backfill ${id} not found`);
  const [listed, counts] = await Promise.all([deps.executions.listed(id), deps.counts(id)]);
  const { input, ...rest } = execution;
  const running = inFlight(counts);
  return {
    ...rest,
    ...InputSchema.parse(typeof input === 'object' && input !== null ? input : {}),
    listed,
    ...counts,
    inFlight: running,
    done: execution.status === 'SUCCEEDED' && running === 0,
  };
}
