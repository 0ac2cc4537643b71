import type { z } from 'zod';
import type { SameType } from '../../../api/schemas';
import type { IEventPublisher } from '../../../events/events';
import { type ImageCleanup, leaveLists, listAgain } from '../../../kit/image-cleanup';
import { ConflictError, NotFoundError } from '../../../shared/errors';
import type { ImageItem } from '../../../store/image-item';
import type { ImageStore } from '../../../store/image-store';
import type { Caller } from '../../../store/owner';
import { updatedEvent } from '../edit-api';
import type { LockedAnswerSchema, LockedChange } from './route';

export interface LockedAnswer {
  imageId: string;
  locked: boolean;
}

// The use case answers exactly what the document says.
const _answerChecked: SameType<LockedAnswer, z.output<typeof LockedAnswerSchema>> = true;

export interface LockDeps {
  store: Pick<ImageStore, 'get' | 'setLocked'>;
  /** The rooms that list an image (its search postings), with the hooks of the occasion `trash` (image-cleanup.ts). */
  cleanups: readonly Pick<ImageCleanup, 'name' | 'trashed' | 'restored'>[];
  publisher: IEventPublisher;
  now?: () => Date;
}

/**
 * Move an image into its owner's locked folder, or out of it:
 * 1. read the image: 404 unless it is the caller's own (an admin locks none of another's); 409 until PROCESSED;
 * 2. already as asked: answer so, writing and publishing nothing;
 * 3. else write `locked` with every list key (store/list-shards.ts) if the record is as it was read (409 if it
 *    changed meanwhile): it leaves, or rejoins, every list in that one write;
 * 4. each listing room's hook, as for the trash (lambdas/kit/image-cleanup.ts): locked, `trashed` (its postings go,
 *    the record keeps its terms); unlocked, `restored` (its postings back from the record);
 * 5. publish `Image Updated` (`changed: ["locked"]`) without the photo's content: no tags, metadata or dates.
 * A failure at step 4 answers 500 and a retry finds it as asked: a lock retried removes the postings again.
 */
export async function setLocked(
  imageId: string,
  change: LockedChange,
  caller: Caller,
  deps: LockDeps,
): Promise<LockedAnswer> {
  const item = await deps.store.get(imageId);
  if (!item || item.owner === undefined || item.owner !== caller.owner) {
    throw new NotFoundError(`image ${imageId} not found`);
  }
  if (item.status !== 'PROCESSED') {
    throw new ConflictError(`image ${imageId} is ${item.status}: it can be locked once it is PROCESSED`);
  }
  if ((item.locked === true) === change.locked) {
    // A lock retried after a failure of its hooks finishes taking it out of the lists.
    if (change.locked) await leaveLists(item, deps.cleanups, (id) => deps.store.get(id));
    return { imageId, locked: change.locked };
  }
  const at = (deps.now?.() ?? new Date()).toISOString();
  const written: ImageItem = { ...item, locked: change.locked, updatedAt: at };
  if (!(await deps.store.setLocked(written, item.updatedAt))) {
    throw new ConflictError(`image ${imageId} changed while it was being moved: try again`);
  }
  if (change.locked) await leaveLists(written, deps.cleanups, (id) => deps.store.get(id));
  else await listAgain(written, deps.cleanups);
  await deps.publisher.publish(lockEvent(written, caller.owner, at));
  return { imageId, locked: change.locked };
}

/**
 * `Image Updated` of a lock or an unlock: which image, whose, and that `locked` changed, nothing of what the photo
 * shows or says (its tags, metadata, dates, crop), which a subscriber could otherwise keep of a locked photo.
 */
export function lockEvent(item: ImageItem, by: string | undefined, at: string) {
  const bare: ImageItem = {
    ...item,
    tags: undefined,
    metadata: undefined,
    takenCorrection: undefined,
    analysis: undefined,
    rotation: undefined,
    crop: undefined,
    favourite: undefined,
    archived: undefined,
  };
  return updatedEvent(bare, ['locked'], by, at);
}
