import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { SameType } from '../../../api/schemas';
import type { Rotation } from '../../../core/options';
import type { IEventPublisher } from '../../../events/events';
import { ConflictError } from '../../../shared/errors';
import type { ImageItem } from '../../../store/image-item';
import type { ImageStore } from '../../../store/image-store';
import type { Caller } from '../../../store/owner';
import { readEditable, updatedEvent } from '../edit-api';
import { type IReanalysisQueue, RESEND_AFTER_SECONDS } from '../reanalysis';
import { sourceMessageOf } from '../source-message';

export { type IReanalysisQueue, RESEND_AFTER_SECONDS };

import type { RotationAnswerSchema, RotationChange } from './route';

/** `PUT /images/{id}/rotation` → 202 (being analysed again, turned) or 200 (turned so already). */
export interface RotationAnswer {
  imageId: string;
  rotation: Rotation;
  status: 'REANALYSING' | 'UNCHANGED';
}

// The use case answers exactly what the document says.
const _answerChecked: SameType<RotationAnswer, z.output<typeof RotationAnswerSchema>> = true;

export interface RotateImageDeps {
  store: Pick<ImageStore, 'get' | 'askRotation' | 'unmarkRotationSent'>;
  publisher: IEventPublisher;
  queue: IReanalysisQueue;
  now?: () => Date;
  /** This request's own token, which tells its write from another's (rotation-ask.ts). @default a random UUID */
  token?: () => string;
}

/**
 * Turn an image by quarter turns after its EXIF orientation, as its owner asks (absolute: 0 undoes):
 * 1. read the image (404 as for GET; 409 until it is PROCESSED), and the message that sends it to the processor
 *    again (409 for an object put in the bucket without an upload URL, which the processor cannot find again);
 * 2. a repeat (the rotation it has): made already, 200 UNCHANGED; being made (its message sent within
 *    RESEND_AFTER_SECONDS), 202 REANALYSING; either way nothing written, sent or published;
 * 3. else write `rotation` (`0` once undone, so no re-analysis's write can bring back an earlier turn) and this
 *    request's `rotationSent` in one conditional update (store/rotation-ask.ts): of requests at once, only the first
 *    writes; the others answer as a repeat, from the record as it is then (409 if it changed otherwise);
 * 4. publish `Image Updated` (`changed: ["rotation"]`) when the rotation changed, and send the image's object to the
 *    ingest queue, to be analysed again: the processor turns the pixels after their EXIF orientation, so its
 *    thumbnails, eager renditions, size, faces, text and labels are the turned picture's, records `rotationApplied`
 *    and publishes `Image Processed`. 202 REANALYSING. If either fails, the message's mark comes off, so the request
 *    sent again sends it (a turn asked whose message is not on its way is sent by the next request for it).
 * Scale: one GetItem, one UpdateItem, one PutEvents and one SendMessage for the request that turns it; one GetItem
 * for a repeat (and a refused UpdateItem and a GetItem for one sent at the same time as the turning one). No postings:
 * a turn changes no search term; the work is the processor's, at the queue's pace.
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
  const now = deps.now?.() ?? new Date();
  const resendBefore = new Date(now.getTime() - RESEND_AFTER_SECONDS * 1000).toISOString();
  const repeat = repeatAnswer(item, rotation, resendBefore);
  if (repeat) return repeat;

  const at = now.toISOString();
  const sent = { at, token: deps.token?.() ?? randomUUID() };
  const asked = await deps.store.askRotation({ imageId, owner: item.owner, rotation, sent, resendBefore });
  if (asked === false) {
    // Another request got there first: answered as a repeat is, from the record as that one left it.
    const found = repeatAnswer(await readEditable(imageId, caller, deps), rotation, resendBefore);
    if (found) return found;
    throw new ConflictError(`image ${imageId} changed while it was being edited: try again`);
  }
  try {
    if (asked === 'turned') {
      const written: ImageItem = { ...item, rotation, updatedAt: at };
      await deps.publisher.publish(updatedEvent(written, ['rotation'], caller.owner, at));
    }
    await deps.queue.send(message);
  } catch (error) {
    // If this fails too, the mark stays, and a request RESEND_AFTER_SECONDS later sends the message.
    await deps.store.unmarkRotationSent(imageId, sent).catch(() => undefined);
    throw error;
  }
  return { imageId, rotation, status: 'REANALYSING' };
}

/**
 * The answer to a request for the rotation the image has: made, UNCHANGED; its message on its way, REANALYSING. None
 * when it has another, or its message was never sent or is older than `resendBefore` (this request sends it).
 */
function repeatAnswer(item: ImageItem, rotation: Rotation, resendBefore: string): RotationAnswer | undefined {
  if ((item.rotation ?? 0) !== rotation) return undefined;
  const { imageId } = item;
  if ((item.rotationApplied ?? 0) === rotation) return { imageId, rotation, status: 'UNCHANGED' };
  const sent = item.rotationSent;
  return sent && sent.at >= resendBefore ? { imageId, rotation, status: 'REANALYSING' } : undefined;
}
