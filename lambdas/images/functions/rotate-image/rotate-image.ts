import type { z } from 'zod';
import type { SameType } from '../../../api/schemas';
import type { SourceObjectMessage } from '../../../backfill/source-object';
import type { Rotation } from '../../../core/options';
import { type IEventPublisher, updatedEvent } from '../../../events/events';
import { ConflictError } from '../../../shared/errors';
import type { ImageItem } from '../../../store/image-item';
import type { ImageStore } from '../../../store/image-store';
import type { Caller } from '../../../store/owner';
import { readEditable } from '../edit-api';
import { sourceMessageOf } from '../source-message';
import type { RotationAnswerSchema, RotationChange } from './route';

/** `PUT /images/{id}/rotation` → 202 (being analysed again, turned) or 200 (turned so already). */
export interface RotationAnswer {
  imageId: string;
  rotation: Rotation;
  status: 'REANALYSING' | 'UNCHANGED';
}

// The use case answers exactly what the document says.
const _answerChecked: SameType<RotationAnswer, z.output<typeof RotationAnswerSchema>> = true;

/** Where the image goes to be made again: the ingest queue, whose processor analyses it. */
export interface IReanalysisQueue {
  send(message: SourceObjectMessage): Promise<void>;
}

export interface RotateImageDeps {
  store: Pick<ImageStore, 'get' | 'editImage'>;
  publisher: IEventPublisher;
  queue: IReanalysisQueue;
  now?: () => Date;
}

/**
 * Turn an image by quarter turns after its EXIF orientation, as its owner asks (absolute: 0 undoes):
 * 1. read the image (404 as for GET; 409 until it is PROCESSED), and the message that sends it to the processor
 *    again (409 for an object put in the bucket without an upload URL, which the processor cannot find again);
 * 2. turned so already: 200 UNCHANGED, nothing written or sent;
 * 3. else write `rotation` (`0` once undone, so no re-analysis's write can bring back an earlier turn) if the record
 *    is as it was read (409 if it changed meanwhile), then publish `Image Updated` (`changed: ["rotation"]`);
 * 4. send the image's object to the ingest queue, to be analysed again: the processor turns the pixels after their
 *    EXIF orientation, so its thumbnails, eager renditions, size, faces, text and labels are the turned picture's,
 *    records `rotationApplied` and publishes `Image Processed`. 202 REANALYSING.
 * Asked for the rotation it was asked before and not yet made (a retry after a failed send, or while it is being
 * made): the message is sent again, nothing written; the processor skips an image it has already turned.
 * Scale: one GetItem, one UpdateItem, one PutEvents and one SendMessage per request (no postings: a turn changes
 * no search term); the work is the processor's, at the queue's pace.
 */
export async function rotateImage(
  imageId: string,
  change: RotationChange,
  caller: Caller,
  deps: RotateImageDeps,
): Promise<RotationAnswer> {
  const item = await readEditable(imageId, caller, deps);
  const rotation = change.degrees;
  const message = sourceMessageOf(item, { owner: item.owner, reown: false, reprocess: true });
  const asked = item.rotation ?? 0;
  if (asked === rotation && (item.rotationApplied ?? 0) === rotation) {
    return { imageId, rotation, status: 'UNCHANGED' };
  }
  if (asked !== rotation) {
    // As edit-api.ts's writeEdit, without postings: a turn changes no search term.
    const at = (deps.now?.() ?? new Date()).toISOString();
    const written: ImageItem = { ...item, rotation, updatedAt: at };
    if (!(await deps.store.editImage(written, item.updatedAt))) {
      throw new ConflictError(`image ${imageId} changed while it was being edited: try again`);
    }
    await deps.publisher.publish(updatedEvent(written, ['rotation'], caller.owner, at));
  }
  await deps.queue.send(message);
  return { imageId, rotation, status: 'REANALYSING' };
}
