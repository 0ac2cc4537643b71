import { z } from 'zod';
import type { SourceBucket } from '../settings';
import { sourceOf } from './owners';

/**
 * S3's `Object Created` event as EventBridge delivers it (AWS's "EventBridge event message structure"), sent to the
 * ingest queue whole by a source bucket's rule (lib/constructs/source-watch.ts, `watchSourceBuckets`).
 *
 * Three ways it differs from the S3 notifications on the same queue, each of which matters here:
 * - `detail.object.key` is the key as written: the notification's form encoding (`+` for a space, %-escapes) is
 *   not applied, so it is never decoded (decoding would turn a real `+` into a space).
 * - `detail.object.etag` has no quotes (moto writes it `eTag`: both are read), and is not used: the HeadObject
 *   the processor makes gives the ETag as a listing and GetObject give it.
 * - `time` is when the event happened (ISO, whole seconds; moto writes epoch seconds), not the object's
 *   LastModified, and the image id hangs on LastModified (`sourceImageId`), so it is not used either: see
 *   `WatchedObject`.
 */
export const ObjectCreatedEventSchema = z.object({
  source: z.literal('aws.s3'),
  'detail-type': z.literal('Object Created'),
  time: z.union([z.string(), z.number()]).optional(),
  detail: z.object({
    bucket: z.object({ name: z.string().min(3).max(63) }),
    object: z
      .object({
        key: z.string().min(1).max(1024),
        size: z.number().int().min(0).optional(),
        etag: z.string().optional(),
        eTag: z.string().optional(),
        'version-id': z.string().nullish(),
      })
      .loose(),
  }),
});
export type ObjectCreatedEvent = z.output<typeof ObjectCreatedEventSchema>;

/**
 * An object a source bucket's rule reported, before the processor has asked S3 about it.
 *
 * It has no modification time on purpose. S3 keeps an object's LastModified as the time its upload began (for a
 * multipart upload, CreateMultipartUpload: minutes or hours before the object exists), while the event's `time` is
 * when the write completed; even a single PUT can straddle a second. The image id must be the one a backfill's
 * listing of the same version gives (`sourceImageId(bucket, key, LastModified)`), or the same photo would be
 * recorded twice, so the processor reads LastModified with a HeadObject (one request, $0.0004 per 1,000) first.
 */
export interface WatchedObject {
  bucket: string;
  key: string;
  /** From the event: a folder placeholder is known without asking S3. */
  size?: number;
  /** The `sourceBuckets` entry it falls under: its owner is the record's. */
  source: SourceBucket;
}

/** A body that claims to be S3's EventBridge event: the processor then parses it as one (or refuses it). */
export function looksLikeObjectCreated(json: unknown): boolean {
  const event = json as { source?: unknown; 'detail-type'?: unknown } | null;
  return event?.source === 'aws.s3' && event['detail-type'] !== undefined;
}

/**
 * The event's object, with the source entry it falls under, or why it is not one the processor takes: a bucket
 * or prefix no `sourceBuckets` entry names (a rule left from an earlier deployment, an event put by hand).
 */
export function toWatchedObject(event: ObjectCreatedEvent, sources: readonly SourceBucket[]): WatchedObject | string {
  const { bucket, object } = event.detail;
  const source = sourceOf(sources, bucket.name, object.key);
  if (!source) return `${bucket.name}/${object.key} is under no sourceBuckets entry`;
  return { bucket: bucket.name, key: object.key, size: object.size, source };
}
