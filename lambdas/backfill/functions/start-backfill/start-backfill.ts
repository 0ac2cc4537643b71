import type { z } from 'zod';
import type { SameType } from '../../../api/schemas';
import { BadRequestError, ConflictError, ForbiddenError } from '../../../shared/errors';
import type { Caller } from '../../../store/owner';
import type { IBackfillExecutions } from '../../executions';
import { findOverlappingRun, type OverlapDeps, overlapMessage } from '../../overlap';
import { type BackfillInput, BackfillRequestError, type BackfillScope, newRunId, planBackfill } from '../../plan';
import { type IStartLeases, START_LEASE_SECONDS } from '../../start-lease';
import type { BackfillRequestBody, StartedBackfillSchema } from './route';

/** `POST /backfills` → 202: the run as it started. */
export interface StartedBackfill {
  id: string;
  status: 'RUNNING';
  bucket: string;
  prefix: string;
  owner: string | null;
  reprocess: boolean;
  regroupFaces: boolean;
  reown: boolean;
  startedAt: string;
  /** Where to follow it, under the API's base URL: `/backfills/<id>`. */
  location: string;
}

// The use case answers exactly what the document says.
const _answerChecked: SameType<StartedBackfill, z.output<typeof StartedBackfillSchema>> = true;

export interface StartBackfillDeps extends OverlapDeps {
  executions: Pick<IBackfillExecutions, 'start' | 'list' | 'describe'>;
  /** One start at a time per bucket (start-lease.ts), so two at once cannot both pass the overlap check. */
  leases: IStartLeases;
  /** The pipeline's bucket and the deployment's `sourceBuckets`: what the state machine may list. */
  scope: BackfillScope;
  newId?: () => string;
}

/**
 * Start a backfill run:
 * 1. admins only (it brings in another bucket's photos, under any owner);
 * 2. the request checked against what the deployment may read (planBackfill): a 400 saying what to deploy, rather
 *    than a run that fails at its first listing;
 * 3. unless `force`: the bucket's start lease (a 409 while another start of that bucket holds it), then no run over
 *    the same bucket and an overlapping prefix that is not done yet (findOverlappingRun): a 409 naming it, so
 *    repeated requests, one after the other or at once, do not analyse the same images again and again;
 * 4. an execution named by a new run id (a ULID), with the planned input; Step Functions' limits are a 429.
 */
export async function startBackfill(
  request: BackfillRequestBody,
  caller: Caller,
  deps: StartBackfillDeps,
): Promise<StartedBackfill> {
  if (!caller.admin) throw new ForbiddenError('only an admin may start a backfill');
  let input: ReturnType<typeof planBackfill>;
  try {
    input = planBackfill(request, deps.scope);
  } catch (error) {
    if (error instanceof BackfillRequestError) throw new BadRequestError(error.message);
    throw error;
  }
  const id = (deps.newId ?? newRunId)();
  if (request.force) return started(id, input, await deps.executions.start(id, input));
  const lease = await deps.leases.take(input.bucket, id);
  if (!lease.taken) {
    throw new ConflictError(
      `another backfill of ${input.bucket} is being started at this moment: try again in ${START_LEASE_SECONDS} seconds`,
    );
  }
  let startedAt: string | undefined;
  try {
    const running = await findOverlappingRun(input, deps, lease.lastRun);
    if (running) {
      throw new ConflictError(
        overlapMessage(input, running, { follow: `GET /backfills/${running.id}`, force: '"force": true' }),
      );
    }
    startedAt = await deps.executions.start(id, input);
    return started(id, input, startedAt);
  } finally {
    // Best effort: a lease not given back lapses after START_LEASE_SECONDS.
    await deps.leases.release(input.bucket, id, startedAt !== undefined).catch(() => undefined);
  }
}

function started(id: string, input: BackfillInput, startedAt: string): StartedBackfill {
  return { id, status: 'RUNNING', ...input, startedAt, location: `/backfills/${id}` };
}
