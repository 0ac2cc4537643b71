import { type IEventPublisher, imageEvent } from '../events/events';
import { type ImageCleanup, leaveLists, listAgain } from '../kit/image-cleanup';
import { ConflictError, NotFoundError } from '../shared/errors';
import type { ImageItem } from '../store/image-item';
import type { ImageStore } from '../store/image-store';
import type { ImageTrash } from '../store/image-trash';
import { type Caller, mayAccess } from '../store/owner';
import { TRASH_EVENTS } from './events';

/** A race lost this many times in a row (a processing run writing the record meanwhile) is a 409: try again. */
const ATTEMPTS = 3;
const DAY_MS = 24 * 3600 * 1000;

export interface TrashDeps {
  store: Pick<ImageStore, 'get'>;
  trash: Pick<ImageTrash, 'trash' | 'restore'>;
  /**
   * The rooms that list an image and take it out of their lists while it is in the trash (its search postings),
   * with the `trashed` and `restored` hooks (lambdas/manifest/cleanups.ts, occasion `trash`).
   */
  cleanups: readonly Pick<ImageCleanup, 'name' | 'trashed' | 'restored'>[];
  publisher: IEventPublisher;
  /** The `trashDays` setting, at least 1 (0 is no trash: the caller deletes instead). */
  trashDays: number;
  now?: () => Date;
}

/**
 * Move an image to the trash:
 * 1. read the item (404 when there is none, or it is another owner's);
 * 2. write it TRASHED, conditional on it being as read (ImageTrash: it leaves every list but the trash), with
 *    `purgeAt` `trashDays` from now; read again and retry when a processing run wrote it meanwhile;
 * 3. each listing room's `trashed`, with the record as step 2's write answered it: its search postings go (it
 *    leaves search, filtered lists and a person's images; the record keeps its terms for a restore), and come back
 *    if a restore ran meanwhile;
 * 4. publish `Image Trashed`.
 * Its objects, renditions, vector and faces stay until the purge (purge-trash). Trashing an image already in the
 * trash removes its postings again and answers it as it is, so a DELETE retried after a failure at step 3 finishes
 * the move; it publishes nothing twice.
 */
export async function trashImage(imageId: string, caller: Caller, deps: TrashDeps): Promise<ImageItem> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const item = await readOwn(imageId, caller, deps);
    if (item.status === 'TRASHED') {
      await leaveLists(item, deps.cleanups, (id) => deps.store.get(id));
      return item;
    }
    const now = deps.now?.() ?? new Date();
    const purgeAt = new Date(now.getTime() + deps.trashDays * DAY_MS).toISOString();
    const trashed = await deps.trash.trash(item, { at: now.toISOString(), purgeAt });
    if (!trashed) continue;
    await leaveLists(trashed, deps.cleanups, (id) => deps.store.get(id));
    await deps.publisher.publish(trashedEvent(trashed, now.toISOString()));
    return trashed;
  }
  throw new ConflictError(`image ${imageId} kept changing while it was being moved to the trash: try again`);
}

/**
 * Put an image back from the trash:
 * 1. read the item (404 as for a GET; 409 when it is not in the trash, or its purge has begun);
 * 2. write it back to that status with its list keys, conditional on it being as read (and on no purge begun);
 * 3. each listing room's `restored`: its search postings back from the record as that write answered it (no vision
 *    runs again); the record
 *    first, since a posting is only kept while a record carries it (index-table.ts: postings put while it is still
 *    TRASHED would be taken back by their own check, and a purge could never see them);
 * 4. publish `Image Restored`.
 * A failure at step 3 leaves an image restored but missing from search until its next write (a correction, a
 * reprocess); it answers 500, and the image is listed and shown as restored.
 * Its vector and faces never left (search by meaning and a person's images skip TRASHED records), so it is as it
 * was before the trash.
 */
export async function restoreImage(
  imageId: string,
  caller: Caller,
  deps: Omit<TrashDeps, 'trashDays'>,
): Promise<ImageItem> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const item = await readOwn(imageId, caller, deps);
    const status = item.trashedFrom;
    if (item.status !== 'TRASHED' || status === undefined) {
      throw new ConflictError(`image ${imageId} is not in the trash (it is ${item.status})`);
    }
    if (item.purging) throw new ConflictError(`image ${imageId} is being deleted for good: it cannot be restored`);
    const now = (deps.now?.() ?? new Date()).toISOString();
    const restored = await deps.trash.restore(item, now);
    if (!restored) continue;
    await listAgain(restored, deps.cleanups);
    await deps.publisher.publish(restoredEvent(restored, now));
    return restored;
  }
  throw new ConflictError(`image ${imageId} kept changing while it was being restored: try again`);
}

/** Take a trashed image out of every room's lists; each may read the record again (a restore may have run since). */
async function readOwn(imageId: string, caller: Caller, deps: Pick<TrashDeps, 'store'>): Promise<ImageItem> {
  const item = await deps.store.get(imageId);
  if (!item || !mayAccess(caller, item.owner)) throw new NotFoundError(`image ${imageId} not found`);
  return item;
}

/** `Image Trashed` of a record as the trash wrote it (status TRASHED, `trashedFrom` and `purgeAt` set). */
export function trashedEvent(item: ImageItem, occurredAt: string) {
  return imageEvent(TRASH_EVENTS.trashed, item, occurredAt, {
    status: item.status as 'TRASHED',
    trashedFrom: item.trashedFrom as Exclude<ImageItem['status'], 'TRASHED'>,
    purgeAt: item.purgeAt as string,
  });
}

/** `Image Restored` of a record as the restore wrote it. */
export function restoredEvent(item: ImageItem, occurredAt: string) {
  return imageEvent(TRASH_EVENTS.restored, item, occurredAt, {
    status: item.status as Exclude<ImageItem['status'], 'TRASHED'>,
  });
}
