import { createHash } from 'node:crypto';
import { ulid } from 'ulid';
import { z } from 'zod';

/**
 * An object that did not come through the API, sent to the ingest queue by a backfill (one message per object, ten
 * to a SendMessageBatch, from the state machine's batch child) so the same processor, DLQ and idempotency apply. A
 * re-own of one image (`PUT /images/{id}/owner`) sends the message a `reown` run would send for its object, and a
 * rotation (`PUT /images/{id}/rotation`) the one a `reprocess` run would (images/functions/source-message.ts).
 *
 * `object` is the item Step Functions' S3 listObjectsV2 ItemReader produced, passed through whole: AWS documents
 * it as `{Key, Size, Etag, LastModified (epoch seconds), StorageClass}`, moto writes `ETag` and an ISO date, and
 * a field the state machine had to name could fail every batch on a spelling. Both spellings are read here.
 */
export const SourceObjectMessageSchema = z.object({
  /** Marks the message (and its format's version) apart from S3's notifications on the same queue. */
  sourceObject: z.literal(1),
  /**
   * The backfill run (its execution name), whose counters the outcome is added to; absent: a re-own or a rotation of
   * one image (`PUT /images/{id}/owner`, `PUT /images/{id}/rotation`), which no run counts.
   */
  run: z.string().min(1).max(80).optional(),
  bucket: z.string().min(3).max(63),
  /** The owner the run asked for: its record's where its `sourceBuckets` entry names none (ownerOf); null: none. */
  owner: z.string().min(1).max(128).nullish(),
  /** Analyse again a record from an older ANALYSIS_VERSION; otherwise a final record of this object is kept. */
  reprocess: z.boolean().default(false),
  /** Delete the image's faces and group them afresh (people under the current FACE_MATCH_DISTANCE); implies reprocess. */
  regroupFaces: z.boolean().default(false),
  /** A record under another owner gets the one this object gets now (its faces and postings move with it). */
  reown: z.boolean().default(false),
  object: z
    .object({
      Key: z.string().min(1).max(1024),
      Size: z.number().int().min(0),
      Etag: z.string().optional(),
      ETag: z.string().optional(),
      LastModified: z.union([z.number(), z.string()]),
    })
    .loose(),
});
export type SourceObjectMessage = z.output<typeof SourceObjectMessageSchema>;

/** One object as the processor takes it, from a backfill's message. */
export interface SourceObject {
  /** The backfill run whose counters its outcome is added to; absent: a watched object, which no run counts. */
  run?: string;
  bucket: string;
  key: string;
  size: number;
  etag?: string;
  /** Whole seconds: what S3 keeps of an object's modification time. */
  lastModified: Date;
  /** The owner the run asked for, for a key whose `sourceBuckets` entry names none (ownerOf). */
  owner?: string;
  reprocess: boolean;
  /** Group its faces afresh: a re-cluster's run (`image-intel people recluster`). */
  regroupFaces: boolean;
  /** Give a record under another owner the one this object gets now; otherwise an owned image keeps its owner. */
  reown: boolean;
}

/** A message as a source object, or why it is not one (the processor then treats it as poison). */
export function toSourceObject(message: SourceObjectMessage): SourceObject | string {
  const { object } = message;
  const lastModified = modifiedAt(object.LastModified);
  if (!lastModified) return `LastModified ${JSON.stringify(object.LastModified)} is not a time`;
  return {
    run: message.run,
    bucket: message.bucket,
    key: object.Key,
    size: object.Size,
    etag: object.Etag ?? object.ETag,
    lastModified,
    owner: message.owner ?? undefined,
    reprocess: message.reprocess || message.regroupFaces,
    regroupFaces: message.regroupFaces,
    reown: message.reown,
  };
}

/**
 * A "folder" a console or a sync tool made: a zero-byte object whose key ends in `/`. Skipped and counted, never
 * recorded.
 */
export function isFolderPlaceholder(key: string, size: number): boolean {
  return size === 0 && key.endsWith('/');
}

/**
 * The image id of an object that did not come through the API: a ULID whose time is the object's modification
 * time (lists sort by id, so a backfilled photo takes its place among the others by when it was stored) and whose
 * randomness is a hash of bucket and key. The same version of the same object always gets the same id, whichever
 * way it arrives (a backfill's listing, a notification, a second run), so nothing is recorded twice; a new version
 * (written later) is a new image.
 */
export function sourceImageId(bucket: string, key: string, lastModified: Date): string {
  const digest = createHash('sha256').update(`${bucket}/${key}`).digest();
  let next = 0;
  const seconds = Math.max(0, Math.floor(lastModified.getTime() / 1000));
  return ulid(seconds * 1000, () => (digest[next++ % digest.length] as number) / 256);
}

/** Epoch seconds (AWS's ItemReader), epoch milliseconds, or an ISO date (a listing, moto), to whole seconds. */
function modifiedAt(value: number | string): Date | undefined {
  const ms = typeof value === 'number' ? (value < 1e11 ? value * 1000 : value) : Date.parse(value);
  if (!Number.isFinite(ms)) return undefined;
  return new Date(Math.floor(ms / 1000) * 1000);
}
