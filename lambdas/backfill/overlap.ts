import { TooManyRequestsError } from '../shared/errors';
import type { IBackfillExecutions } from './executions';
import { inFlight, type RunCounts } from './run-status';

/** Where a run lists: a bucket and a key prefix ('' for the whole bucket). */
export interface RunScope {
  bucket: string;
  prefix: string;
}

/**
 * Two runs overlap when they list the same bucket and one prefix holds the other (S3 prefixes are string prefixes:
 * `team` lists `team2/` too). Equal prefixes overlap; so does '' with anything in that bucket.
 */
export function overlaps(a: RunScope, b: RunScope): boolean {
  return a.bucket === b.bucket && (a.prefix.startsWith(b.prefix) || b.prefix.startsWith(a.prefix));
}

/**
 * The newest runs checked for one that is stopped but still being processed, beside every RUNNING one (up to this
 * many too): each is one DescribeExecution. A run older than these whose objects are still queued is not seen.
 */
export const OVERLAP_CHECKED_RUNS = 20;

/** Describes at once: Step Functions' DescribeExecution token bucket is shared with `GET /backfills/{id}`. */
const DESCRIBES_AT_ONCE = 5;

/** A run that overlaps the one asked for and is not done: still RUNNING, or with objects still with the processor. */
export interface OverlappingRun extends RunScope {
  id: string;
  status: string;
  /** Queued objects the processor has no outcome for yet (0 while the execution is RUNNING and not read). */
  inFlight: number;
}

export interface OverlapDeps {
  executions: Pick<IBackfillExecutions, 'list' | 'describe'>;
  /** The run's counters in the results table (readRunCounts). */
  counts: (id: string) => Promise<RunCounts>;
}

/**
 * The newest run over `wanted` that is not done, if any. A backfill's execution ends once it has queued every
 * object, long before the processor has analysed them, so a run counts until it is done as `GET /backfills/{id}`
 * says: RUNNING, or stopped with objects in flight.
 *
 * 1. ListExecutions of the RUNNING runs (one page of OVERLAP_CHECKED_RUNS; more running than that is a 429: the
 *    check could not see them all) and of the newest runs of any status (one page as large).
 * 2. DescribeExecution of each (its input: bucket and prefix), five at a time, newest first.
 * 3. For an overlapping run no longer RUNNING, its counters (one BatchGetItem of 17 keys): in flight, or done.
 *
 * Cost per call: 2 ListExecutions, up to 40 DescribeExecution (Step Functions charges no API request; they count
 * against its API throttles), and one BatchGetItem per overlapping stopped run.
 */
export async function findOverlappingRun(
  wanted: RunScope,
  deps: OverlapDeps,
  /** A run known to have been started last over the bucket (start-lease.ts), which the lists may not show yet. */
  lastRun?: string,
): Promise<OverlappingRun | undefined> {
  const [running, recent] = await Promise.all([
    deps.executions.list({ limit: OVERLAP_CHECKED_RUNS, status: 'RUNNING' }),
    deps.executions.list({ limit: OVERLAP_CHECKED_RUNS }),
  ]);
  if (running.next) {
    throw new TooManyRequestsError(
      `more than ${OVERLAP_CHECKED_RUNS} backfills are running, too many to check this one against: start it once ` +
        'some have finished, or force it to start without the check',
      60,
    );
  }
  const listed = [...running.items, ...recent.items].map((run) => run.id);
  const ids = [...new Set([...listed, ...(lastRun ? [lastRun] : [])])].sort().reverse();
  for (let i = 0; i < ids.length; i += DESCRIBES_AT_ONCE) {
    const found = await Promise.all(ids.slice(i, i + DESCRIBES_AT_ONCE).map((id) => notDoneOver(id, wanted, deps)));
    const first = found.find((run) => run !== undefined);
    if (first) return first;
  }
  return undefined;
}

async function notDoneOver(id: string, wanted: RunScope, deps: OverlapDeps): Promise<OverlappingRun | undefined> {
  const run = await deps.executions.describe(id);
  const input = (run?.input ?? {}) as Partial<Record<keyof RunScope, unknown>>;
  // A run started by hand without a bucket or prefix is not one this API can compare.
  if (!run || typeof input.bucket !== 'string' || typeof input.prefix !== 'string') return undefined;
  const scope = { bucket: input.bucket, prefix: input.prefix };
  if (!overlaps(scope, wanted)) return undefined;
  if (run.status === 'RUNNING') return { id, status: run.status, ...scope, inFlight: 0 };
  const pending = inFlight(await deps.counts(id));
  return pending > 0 ? { id, status: run.status, ...scope, inFlight: pending } : undefined;
}

/**
 * What a refusal says of the run in the way: which, over what, why it is not done, and how to go on (`how`: the
 * API's `GET /backfills/<id>` and `"force": true`, the CLI's flags).
 */
export function overlapMessage(wanted: RunScope, run: OverlappingRun, how: { follow: string; force: string }): string {
  const why =
    run.status === 'RUNNING' ? 'is running' : `is ${run.status}, with ${run.inFlight} objects still being processed`;
  return (
    `${wanted.bucket}/${wanted.prefix} overlaps backfill ${run.id} over ${run.bucket}/${run.prefix}, which ${why}: ` +
    `wait until it is done (${how.follow}), or give ${how.force} to start this one anyway`
  );
}
