import type { z } from 'zod';
import type { SameType } from '../../../api/schemas';
import { ForbiddenError } from '../../../shared/errors';
import { UPLOAD_PREFIX } from '../../../store/keys';
import type { Caller } from '../../../store/owner';
import type { BackfillExecutionPage, IBackfillExecutions } from '../../executions';
import type { BackfillScope } from '../../plan';
import { type BackfillPageSchema, DEFAULT_LIMIT, type ListBackfillsQuery, MAX_LIMIT } from './route';

/** A bucket and prefix a backfill may read, and the owner its images get when its `sourceBuckets` entry names one. */
export interface BackfillSource {
  bucket: string;
  prefix: string;
  owner?: string;
}

/**
 * `GET /backfills` → 200: runs newest first, without their counts (one call per run: `GET /backfills/{id}`), and
 * where a backfill may read: the pipeline's own uploads, then the deployment's `sourceBuckets` entries.
 */
export type BackfillPage = BackfillExecutionPage & { sources: BackfillSource[] };

// The use case answers exactly what the document says.
const _answerChecked: SameType<BackfillPage, z.output<typeof BackfillPageSchema>> = true;

export interface ListBackfillsDeps {
  executions: Pick<IBackfillExecutions, 'list'>;
  /** What `POST /backfills` may read (the same variables as start-backfill's). */
  scope: BackfillScope;
}

/**
 * One page of backfill runs, newest first, as ListExecutions answers them: one call to Step Functions, however
 * many runs are RUNNING. Their counts would cost two Step Functions calls and a BatchGetItem each, so they are
 * on `GET /backfills/{id}`, asked for the runs a caller follows.
 */
export async function listBackfills(
  query: ListBackfillsQuery,
  caller: Caller,
  deps: ListBackfillsDeps,
): Promise<BackfillPage> {
  if (!caller.admin) throw new ForbiddenError('only an admin may list backfills');
  const limit = Math.min(query.limit ?? DEFAULT_LIMIT, MAX_LIMIT);
  const page = await deps.executions.list({ limit, next: query.next });
  return { ...page, sources: sourcesOf(deps.scope) };
}

/** The pipeline's own `uploads/` first, then each `sourceBuckets` entry as the deployment was given it. */
export function sourcesOf(scope: BackfillScope): BackfillSource[] {
  return [
    { bucket: scope.pipelineBucket, prefix: UPLOAD_PREFIX },
    ...scope.sources.map(({ bucket, prefix, owner }) =>
      owner === undefined ? { bucket, prefix } : { bucket, prefix, owner },
    ),
  ];
}
