import { z } from 'zod';
import {
  looksLikeObjectCreated,
  ObjectCreatedEventSchema,
  toWatchedObject,
  type WatchedObject,
} from '../../../backfill/object-created';
import {
  type SourceObject,
  SourceObjectMessageSchema,
  sourceImageId,
  toSourceObject,
} from '../../../backfill/source-object';
import type { UploadNotice } from '../../../kit/processor-step';

export type { UploadNotice } from '../../../kit/processor-step';

import type { SourceBucket } from '../../../settings';
import { describeIssues } from '../../../settings/values';
import { decodeEventKey, imageIdFromUploadKey, UPLOAD_PREFIX } from '../../../store/keys';

/** The parts of an S3 event notification record the processor uses. */
const S3RecordSchema = z.object({
  eventName: z.string(),
  eventTime: z.string(),
  s3: z.object({
    bucket: z.object({ name: z.string().min(1) }),
    object: z.object({
      key: z.string().min(1),
      size: z.number().int().min(0).optional(),
      eTag: z.string().optional(),
      sequencer: z.string().optional(),
    }),
  }),
});

const S3EventSchema = z.object({ Records: z.array(S3RecordSchema).min(1) });

/** A message body that is neither an S3 notification nor S3's test event: retried, then the DLQ keeps it. */
export class PoisonMessageError extends Error {
  override readonly name = 'PoisonMessageError';
}

export type ParsedMessage =
  | { kind: 'test-event' }
  | { kind: 'uploads'; notices: UploadNotice[]; ignored: string[] }
  | { kind: 'source'; source: SourceObject }
  | { kind: 'watched'; watched: WatchedObject }
  /** An event of a bucket or prefix this deployment no longer watches: logged and dropped, never retried. */
  | { kind: 'unwatched'; reason: string };

/**
 * Parse an SQS message body from the bucket notification.
 *
 * 1. S3's `s3:TestEvent` (sent when the notification is configured) is recognised and skipped.
 * 2. Keys are decoded from the notification's form encoding (`+` is a space, then %-escapes).
 * 3. Keys outside `uploads/` and non-ObjectCreated records are ignored (reported, not processed).
 * 4. A backfill's message (`sourceObject`) names one object of a bucket, whatever its key (backfill/source-object.ts).
 * 5. S3's `Object Created` event from EventBridge (a watched source bucket, backfill/object-created.ts) names one
 *    object, its key as written (not form-encoded), and gets its owner from the `sources` entry it falls under.
 * 6. Each object gets its image id: the ULID in an API upload's key, or for an object written some other way
 *    a ULID made from the event time and a hash of bucket and key, so a replayed event gets the same id.
 */
export function parseMessage(body: string, sources: readonly SourceBucket[] = []): ParsedMessage {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new PoisonMessageError('message body is not JSON');
  }
  if ((json as { Event?: unknown } | null)?.Event === 's3:TestEvent') return { kind: 'test-event' };
  if ((json as { sourceObject?: unknown } | null)?.sourceObject !== undefined) return parseSourceObject(json);
  if (looksLikeObjectCreated(json)) return parseObjectCreated(json, sources);
  const parsed = S3EventSchema.safeParse(json);
  if (!parsed.success) throw new PoisonMessageError('message body is not an S3 event notification');

  const notices: UploadNotice[] = [];
  const ignored: string[] = [];
  for (const record of parsed.data.Records) {
    const key = decodeEventKey(record.s3.object.key);
    if (!record.eventName.startsWith('ObjectCreated:') || !key.startsWith(UPLOAD_PREFIX)) {
      ignored.push(key);
      continue;
    }
    const bucket = record.s3.bucket.name;
    notices.push({
      imageId: imageIdFromUploadKey(key) ?? derivedImageId(bucket, key, record.eventTime),
      bucket,
      key,
      size: record.s3.object.size,
      eventTime: record.eventTime,
    });
  }
  return { kind: 'uploads', notices, ignored };
}

/**
 * The id of an object under `uploads/` that no upload URL named: the id a backfill gives an object
 * (sourceImageId), with the event's time in place of its modification time.
 */
export function derivedImageId(bucket: string, key: string, eventTime: string): string {
  const time = Date.parse(eventTime);
  return sourceImageId(bucket, key, new Date(Number.isFinite(time) ? time : 0));
}

function parseSourceObject(json: unknown): ParsedMessage {
  const parsed = SourceObjectMessageSchema.safeParse(json);
  if (!parsed.success) {
    throw new PoisonMessageError(`message is not a valid backfill message: ${describeIssues(parsed.error)}`);
  }
  const source = toSourceObject(parsed.data);
  if (typeof source === 'string') throw new PoisonMessageError(`backfill message: ${source}`);
  return { kind: 'source', source };
}

function parseObjectCreated(json: unknown, sources: readonly SourceBucket[]): ParsedMessage {
  const parsed = ObjectCreatedEventSchema.safeParse(json);
  if (!parsed.success) {
    throw new PoisonMessageError(`message is not S3's Object Created event: ${describeIssues(parsed.error)}`);
  }
  const watched = toWatchedObject(parsed.data, sources);
  return typeof watched === 'string' ? { kind: 'unwatched', reason: watched } : { kind: 'watched', watched };
}
