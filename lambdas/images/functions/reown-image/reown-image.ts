import type { z } from 'zod';
import type { SameType } from '../../../api/schemas';
import { sourceOf } from '../../../backfill/owners';
import type { SourceObjectMessage } from '../../../backfill/source-object';
import type { SourceBucket } from '../../../settings';
import { formatSources } from '../../../settings/backfill';
import { ConflictError, ForbiddenError, NotFoundError } from '../../../shared/errors';
import type { ImageItem } from '../../../store/image-item';
import type { ImageStore } from '../../../store/image-store';
import type { Caller } from '../../../store/owner';
import { sourceMessageOf } from '../source-message';
import type { ReownAnswerSchema, ReownRequest } from './route';

/** `PUT /images/{id}/owner` → 202 (being moved) or 200 (it is that owner's already). */
export interface ReownAnswer {
  imageId: string;
  owner: string;
  /** The owner the record names now: null for an image that has none. */
  previousOwner: string | null;
  /** MOVING: the processor moves it (follow `GET /images/{id}`); UNCHANGED: the image is the owner's already. */
  status: 'MOVING' | 'UNCHANGED';
}

// The use case answers exactly what the document says.
const _answerChecked: SameType<ReownAnswer, z.output<typeof ReownAnswerSchema>> = true;

/** Where a re-own is sent: the ingest queue, whose processor moves everything keyed by the owner. */
export interface IReownQueue {
  send(message: SourceObjectMessage): Promise<void>;
}

export interface ReownImageDeps {
  store: Pick<ImageStore, 'get'>;
  queue: IReownQueue;
  /** The deployment's `sourceBuckets`: a backfilled image's entry may name its owner, which a re-own cannot undo. */
  sources: readonly SourceBucket[];
}

/**
 * Give an image another owner, with everything keyed by its owner:
 * 1. admins only (403), an image that exists (404), an owner id (400, from the body's schema);
 * 2. an image whose `sourceBuckets` entry names an owner keeps that one (409): every path that brings it in again
 *    (a backfill, a re-analysis) would give it back, so the entry is what to change (then a backfill with `reown`);
 *    a PENDING upload has nothing to move yet (409);
 * 3. already that owner's: 200 UNCHANGED, nothing sent (a retried request changes nothing);
 * 4. otherwise one message on the ingest queue, the one a backfill with `reown` sends for the image's object: the
 *    processor removes the old owner's search postings and faces (a person left with none goes), analyses the image
 *    again under the new owner (record, owner index keys, postings, faces grouped into the new owner's people, the
 *    vector) and publishes `Image Processed` naming the new owner. 202 MOVING. Idempotent: a second message finds
 *    the record the new owner's and skips it; a failed move is retried by SQS, then kept in the DLQ.
 * Scale: one GetItem and one SendMessage per request; the work is the processor's, at the queue's pace.
 */
export async function reownImage(
  imageId: string,
  request: ReownRequest,
  caller: Caller,
  deps: ReownImageDeps,
): Promise<ReownAnswer> {
  if (!caller.admin) throw new ForbiddenError('only an admin may give an image another owner');
  const item = await deps.store.get(imageId);
  if (!item) throw new NotFoundError(`image ${imageId} not found`);
  const previousOwner = item.owner ?? null;
  const answer = { imageId, owner: request.owner, previousOwner };
  if (item.status === 'PENDING') {
    throw new ConflictError(`image ${imageId} is PENDING: nothing was uploaded yet, so there is nothing to move`);
  }
  const bucket = item.sourceBucket ?? item.bucket;
  if (item.sourceBucket !== undefined) {
    const entry = sourceOf(deps.sources, bucket, item.key);
    if (!entry) {
      throw new ConflictError(
        `image ${imageId} came from ${bucket}/${item.key}, which no sourceBuckets entry covers now: the pipeline may ` +
          'no longer read it',
      );
    }
    if (entry.owner !== undefined && entry.owner !== request.owner) {
      throw new ConflictError(
        `the images of ${entry.bucket}/${entry.prefix} belong to ${entry.owner} (sourceBuckets ` +
          `${formatSources([entry])[0]}): change the entry, then backfill with reown (docs/deploy.md#whose-the-images-are)`,
      );
    }
  }
  if (item.owner === request.owner) return { ...answer, status: 'UNCHANGED' };
  await deps.queue.send(reownMessage(item, request.owner));
  return { ...answer, status: 'MOVING' };
}

/** The message a backfill with `reown` would send for the image's object (source-message.ts). */
export function reownMessage(item: ImageItem, owner: string): SourceObjectMessage {
  return sourceMessageOf(item, { owner, reown: true, reprocess: false });
}
