import { z } from 'zod';
import { BadRequestError, ConflictError, ForbiddenError } from '../../../shared/errors';
import { validUnicode } from '../../../store/client-text';
import type { Caller } from '../../../store/owner';
import type { IBackfillExecutions } from '../../executions';
import { findOverlappingRun, type OverlapDeps, overlapMessage } from '../../overlap';
import { type BackfillInput, BackfillRequestError, type BackfillScope, newRunId, planBackfill } from '../../plan';
import { type IStartLeases, START_LEASE_SECONDS } from '../../start-lease';

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
