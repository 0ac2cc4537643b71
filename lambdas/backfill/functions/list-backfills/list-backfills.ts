import { z } from 'zod';
import { ForbiddenError } from '../../../shared/errors';
import type { Caller } from '../../../store/owner';
import type { BackfillExecutionPage, IBackfillExecutions } from '../../executions';

export const DEFAULT_LIMIT = 20;
/** ListExecutions' own maximum. */
export const MAX_LIMIT = 100;

/** `GET /backfills?limit=&next=`. */
export const ListBackfillsQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).optional(),
  next: z.string().min(1).max(3096).optional(),
});
export type ListBackfillsQuery = z.output<typeof ListBackfillsQuerySchema>;

/** `GET /backfills` → 200: runs newest first, without their counts (one call per run: `GET /backfills/{id}`). */
export type BackfillPage = BackfillExecutionPage;

export interface ListBackfillsDeps {
  executions: Pick<IBackfillExecutions, 'list'>;
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
  return deps.executions.list({ limit, next: query.next });
}
