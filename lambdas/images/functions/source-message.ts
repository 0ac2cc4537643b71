import { decodeTime } from 'ulid';
import { type SourceObjectMessage, sourceImageId } from '../../backfill/source-object';
import { ConflictError } from '../../shared/errors';
import type { ImageItem } from '../../store/image-item';
import { imageIdFromUploadKey } from '../../store/keys';

/** What a message for one image asks of the processor besides processing it: a re-own, a re-analysis. */
export interface SourceMessageAsked {
  /** The owner it is to have (a re-own), or the one it has. */
  owner: string | undefined;
  reown: boolean;
  reprocess: boolean;
}

/**
 * The message a backfill would send for the image's object (backfill/source-object.ts), counted in no run, which a
 * re-own (`PUT /images/{id}/owner`) and a rotation (`PUT /images/{id}/rotation`) send. The processor finds the image
 * by the id it derives from the message (the upload's key, or bucket, key and modification time: the id's time is
 * that modification time, to the second), so the message is checked to lead back to this image before it is sent.
 */
export function sourceMessageOf(item: ImageItem, asked: SourceMessageAsked): SourceObjectMessage {
  const bucket = item.sourceBucket ?? item.bucket;
  const lastModified = new Date(decodeTime(item.imageId));
  const derived =
    item.sourceBucket === undefined ? imageIdFromUploadKey(item.key) : sourceImageId(bucket, item.key, lastModified);
  if (derived !== item.imageId) {
    // An object put under uploads/ without an upload URL: its id came from an event's time, which is not kept.
    const what = asked.reown ? 'moved' : 'analysed again';
    throw new ConflictError(
      `image ${item.imageId} was not uploaded through the API or a backfill: it cannot be ${what}`,
    );
  }
  return {
    sourceObject: 1,
    bucket,
    owner: asked.owner,
    reprocess: asked.reprocess,
    regroupFaces: false,
    reown: asked.reown,
    // Size: what the record says; a record that failed before reading the object has none, and 1 is no folder.
    object: { Key: item.key, Size: item.size ?? 1, LastModified: lastModified.toISOString(), ETag: item.etag },
  };
}
