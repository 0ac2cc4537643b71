import type { ImageItem } from '../store/image-item';
import type { ImageTrash } from '../store/image-trash';
import { LIST_SHARDS } from '../store/table-design';
import type { TrashMessage } from './messages';
import { type PurgeImageDeps, purgeImage } from './purge-image';
import type { ITrashQueue } from './queue';
import type { ITrashPages } from './trash-pages';

const DAY_MS = 24 * 3600 * 1000;
/** The purge acts for the deployment, past any owner check: what it deletes, the trash's rules chose. */
const SYSTEM = { owner: 'trash-purge', admin: true } as const;

export interface PurgeDeps {
  pages: ITrashPages;
  queue: ITrashQueue;
  trash: Pick<ImageTrash, 'claimForPurge'>;
  /** Today's delete (objects, each room's data, record, `Image Deleted`). */
  delete: PurgeImageDeps;
  /** The `trashDays` setting: the sweep reads images trashed at least this long ago. */
  trashDays: number;
  now?: () => Date;
}

export type PurgeOutcome = 'swept' | 'paged' | 'purged' | 'skipped';

/**
 * One message of the trash queue (messages.ts):
 * - `sweep`: a `shard` message for each of the LIST_SHARDS shards;
 * - `shard`: one page of the shard (trash-pages.ts), each image on it as a `purge`, then the next page as another
 *   `shard`; sending the purges before the next page means a retried message sends some again, which is harmless;
 * - `purge`: read the record; unless it is still TRASHED and due (its `purgeAt` passed, or, for an emptied trash,
 *   trashed at or before `before`), skip it: a restore, or a delete, got there first. Else claim it (`purging`, so
 *   no restore can bring back a record whose objects are going) and run today's delete.
 * A failure fails the message alone (partial batch responses): SQS retries it, then keeps it in the DLQ, under its
 * alarm. Deleting a record the delete already deleted is a 404 it skips, so a retried purge is safe.
 */
export async function handleTrashMessage(message: TrashMessage, deps: PurgeDeps): Promise<PurgeOutcome> {
  const now = deps.now?.() ?? new Date();
  if (message.kind === 'sweep') {
    await deps.queue.sendAll(Array.from({ length: LIST_SHARDS }, (_, shard) => ({ kind: 'shard', shard })));
    return 'swept';
  }
  if (message.kind === 'shard') {
    const { shard, owner, before, cursor } = message;
    const trashedBy = before ?? new Date(now.getTime() - deps.trashDays * DAY_MS).toISOString();
    const page = await deps.pages.page({ shard, owner, trashedBy, cursor });
    await deps.queue.sendAll(page.imageIds.map((imageId) => ({ kind: 'purge', imageId, before })));
    if (page.cursor) await deps.queue.sendAll([{ ...message, cursor: page.cursor }]);
    return 'paged';
  }
  const item = await deps.delete.store.get(message.imageId);
  if (!item || !isDue(item, message.before, now)) return 'skipped';
  if (!(await deps.trash.claimForPurge(item.imageId))) return 'skipped';
  try {
    await purgeImage(item.imageId, SYSTEM, deps.delete);
  } catch (error) {
    // Deleted meanwhile (a DELETE ?permanently=true, or this message's first delivery): nothing is left to purge.
    if ((error as Error).name === 'NotFoundError') return 'skipped';
    throw error;
  }
  return 'purged';
}

/** Still in the trash, and due: emptied (trashed at or before the empty), or past its own `purgeAt`. */
function isDue(item: ImageItem, before: string | undefined, now: Date): boolean {
  if (item.status !== 'TRASHED') return false;
  if (before !== undefined) return item.trashedAt !== undefined && item.trashedAt <= before;
  return item.purgeAt !== undefined && item.purgeAt <= now.toISOString();
}
