import { analyzeImage } from '../../core';
import { ANALYSIS_VERSION } from '../../core/record';
import type { Vision } from '../../core/vision-schema';
import { eventForItem } from '../../events/events';
import type { FaceDescriptions } from '../../people/contract';
import { renditionVersion } from '../../renditions/query';
import { syncIndex, withTerms } from '../../search/postings';
import type { ImageItem } from '../../store/image-item';
import { thumbnailKey } from '../../store/keys';
import { IMAGE_ENTITY } from '../../store/table-design';
import { type EagerRenditions, makeEagerRenditions } from './eager-renditions';
import { EventInFlightError, mayStillPublish } from './event-in-flight';
import { fromUpload, isReown, leaveOwner } from './ownership';
import { groupPeople, type PeopleAsked } from './people';
import type { Attempt, IVisionProvider, Outcome, ProcessorDeps } from './ports';
import type { UploadNotice } from './s3-event';
import { deleteStaleRenditions } from './stale-renditions';
import { isTransient } from './transient';

/** The analysis itself failed (not the input's fault): retried like any other failure. */
export class AnalysisFailedError extends Error {
  override readonly name = 'AnalysisFailedError';
}

/**
 * Process one uploaded object, idempotently.
 *
 * 1. Read it (refusing to load one over the byte limit) and note its ETag: the version this run describes.
 * 2. If this version is already PROCESSED or REJECTED, stop (publishing its event if that had not happened);
 *    otherwise carry the owner, tags and metadata the upload recorded. A re-own (ownership.ts) goes on whatever the
 *    record's state, under the notice's owner.
 * 3. Analyse with the core; write the thumbnails; then at once run inference, look up earlier images with the same
 *    bytes, and make the eager rendition presets from the pixels the thumbnails came from (a failed one is left
 *    out of the record, to be rendered on its first request).
 * 4. Write the final item with the search terms it is indexed under, conditional on this version not being final
 *    already: of two concurrent deliveries only one writes, and only that one indexes and publishes. The item says
 *    `eventPending` until its postings are written and its event is out, so a crash in between is repaired by
 *    the retry, which writes them from the record again.
 * 5. When it replaced a record made from other bytes or an older analysis, delete that one's renditions.
 * 6. On failure, rethrow so SQS retries; on the last attempt first record FAILED and publish `Image Failed`.
 */
export async function processUpload(notice: UploadNotice, attempt: Attempt, deps: ProcessorDeps): Promise<Outcome> {
  const now = () => (deps.now?.() ?? new Date()).toISOString();
  const base: ImageItem = {
    imageId: notice.imageId,
    entity: IMAGE_ENTITY,
    status: 'FAILED',
    createdAt: now(),
    updatedAt: now(),
    bucket: deps.options.bucket ?? notice.bucket,
    key: notice.key,
    ...(deps.options.bucket !== undefined && deps.options.bucket !== notice.bucket && { sourceBucket: notice.bucket }),
    ...(notice.owner !== undefined && { owner: notice.owner }),
    ...(notice.filename !== undefined && { filename: notice.filename }),
    attempts: attempt.count,
  };
  let etag: string | undefined;
  let existing: ImageItem | undefined;
  try {
    const read = await deps.objects.read(notice.bucket, notice.key, deps.options.maxBytes);
    if (read.kind === 'missing') return 'MISSING';
    etag = read.etag;

    existing = await deps.store.get(notice.imageId);
    // Who uploaded it, and the client's tags and metadata, recorded at upload, go into this version's item and its
    // event. Without a record (an object put in the bucket without an upload URL) the image has no owner, or the
    // one its backfill gave it.
    Object.assign(base, fromUpload(existing));
    // An owned image keeps its owner; only a re-own gives it the notice's, its postings and faces moved first.
    const reown = isReown(existing, notice);
    if (reown) base.owner = await leaveOwner(existing, notice, deps);
    if (existing && !reown && isFinalFor(existing, etag, notice)) {
      if (!existing.eventPending) return 'DUPLICATE';
      // Another delivery of this object (S3 sends at least once; two backfills may overlap) stored it moments ago
      // and is publishing its event: come back after the visibility timeout, when it is out. Only a record left
      // pending longer than a processing run lasts was left by a crash, and is published here.
      if (!attempt.last && mayStillPublish(existing, deps)) {
        throw new EventInFlightError(`image ${existing.imageId}: another delivery is publishing its event`);
      }
      await syncIndex(existing, deps.index);
      await publishFor(existing, deps, now());
      return 'REPUBLISHED';
    }

    const previous = reown ? undefined : existing;
    const grouping = { regroup: notice.regroupFaces, before: previous?.people };
    const analysed =
      read.kind === 'too-large'
        ? tooLarge(base, read.size, etag, deps.options.maxBytes)
        : await analyse(base, read.bytes, etag, attempt, deps, grouping);
    const item = withTerms(analysed, previous);
    const written = await deps.store.finalise(
      { ...item, analysisVersion: ANALYSIS_VERSION, updatedAt: now(), eventPending: true },
      { reanalyse: notice.reanalyse, regroup: notice.regroupFaces, reown, run: notice.run },
    );
    if (!written) return 'DUPLICATE';
    const replacedAt = deps.now?.() ?? new Date();
    await syncIndex(item, deps.index);
    await publishFor(item, deps, now());
    await deleteStaleRenditions(existing, item, replacedAt, deps);
    return item.status === 'PROCESSED' ? 'PROCESSED' : 'REJECTED';
  } catch (error) {
    if (attempt.last) await recordFailure({ ...base, etag, updatedAt: now() }, existing, error, deps, now());
    throw error;
  }
}

/** What a backfill asked of an image it sends again: re-analysis (`reprocess`), faces regrouped, by which run. */
export type ReprocessAsked = Pick<UploadNotice, 'reanalyse' | 'regroupFaces' | 'run'>;

/**
 * Whether a record already says what processing this version would: final (PROCESSED or REJECTED) for this ETag
 * (any, when not known) and made by this run (`reprocessedBy`), or else by this ANALYSIS_VERSION, never regrouped.
 */
export function isFinalFor(existing: ImageItem, etag: string | undefined, asked: ReprocessAsked): boolean {
  const final = existing.status === 'PROCESSED' || existing.status === 'REJECTED';
  if (!final || (etag !== undefined && existing.etag !== etag)) return false;
  if (asked.run !== undefined && existing.reprocessedBy === asked.run) return true;
  return !asked.regroupFaces && (!asked.reanalyse || existing.analysisVersion === ANALYSIS_VERSION);
}

function tooLarge(base: ImageItem, size: number, etag: string, maxBytes: number): ImageItem {
  return {
    ...base,
    status: 'REJECTED',
    etag,
    size,
    rejection: { code: 'FILE_TOO_LARGE', message: `${size} bytes is over the ${maxBytes} byte limit` },
  };
}

async function analyse(
  base: ImageItem,
  bytes: Buffer,
  etag: string,
  attempt: Attempt,
  deps: ProcessorDeps,
  grouping: PeopleAsked,
): Promise<ImageItem> {
  const eager = deps.renditions?.presets.length ? deps.renditions : undefined;
  const { record, thumbnails, raster, pixels } = await analyzeImage(bytes, {
    thumbnailSizes: deps.options.thumbnailSizes,
    maxPixels: deps.options.maxPixels,
    maxBytes: deps.options.maxBytes,
    keepRaster: deps.vision?.wantsRaster ?? false,
    keepPixels: eager !== undefined,
  });
  const item: ImageItem = { ...base, etag, size: bytes.length, analysis: record };
  if (record.status === 'FAILED') throw new AnalysisFailedError(record.error.message);
  if (record.status === 'REJECTED') {
    return { ...item, status: 'REJECTED', rejection: record.rejection, sha256: record.hashes.sha256 };
  }

  const keys: Record<string, string> = {};
  await Promise.all(
    thumbnails.map(async (thumbnail) => {
      const key = thumbnailKey(base.imageId, thumbnail.size);
      await deps.objects.write(base.bucket, key, thumbnail.data, 'image/webp');
      keys[String(thumbnail.size)] = key;
    }),
  );
  const largest = thumbnails.reduce((a, b) => (b.size > a.size ? b : a));
  const [{ faceDescriptions, ...vision }, duplicateOf, eagerRenditions] = await Promise.all([
    see(deps, attempt, {
      imageId: base.imageId,
      bucket: base.bucket,
      original: { bytes, format: record.metadata.format },
      thumbnail: { key: thumbnailKey(base.imageId, largest.size), bytes: largest.data },
      raster,
      colour: { palette: record.palette, brightness: record.brightness },
    }),
    base.owner === undefined ? undefined : deps.store.findDuplicate(base.owner, record.hashes.sha256, base.imageId),
    eager && pixels
      ? renderEager(deps, eager, {
          imageId: base.imageId,
          bucket: base.bucket,
          version: renditionVersion({ sha256: record.hashes.sha256, analysisVersion: record.analysisVersion }),
          metadata: record.metadata,
          original: bytes,
          pixels,
        })
      : undefined,
  ]);
  // After vision, before the record is written: the record keeps person ids, never the faces' descriptors.
  const seen = await groupPeople(base, faceDescriptions, vision, attempt, deps, grouping);
  return {
    ...item,
    status: 'PROCESSED',
    sha256: record.hashes.sha256,
    thumbnails: keys,
    eagerRenditions,
    duplicateOf,
    ...seen,
  };
}

/** The eager presets, each failure reported and counted; undefined when none was stored. */
async function renderEager(
  deps: ProcessorDeps,
  eager: EagerRenditions,
  image: Parameters<typeof makeEagerRenditions>[0],
): Promise<Record<string, string> | undefined> {
  const { keys, failed } = await makeEagerRenditions(image, eager, deps.objects, (preset, error) =>
    deps.onNote?.('eager rendition failed; it will be rendered on its first request', {
      preset,
      code: nameOf(error),
      message: messageOf(error),
    }),
  );
  const stored = Object.keys(keys).length;
  if (stored > 0) deps.onCount?.('EagerRenditionsStored', stored);
  if (failed > 0) deps.onCount?.('EagerRenditionsFailed', failed);
  return stored > 0 ? keys : undefined;
}

/**
 * Inference is an addition to the core analysis, not a condition of it: a refusal, or a transient failure on the
 * last attempt, is recorded as `visionError` and the image is still PROCESSED.
 */
async function see(
  deps: ProcessorDeps,
  attempt: Attempt,
  input: Parameters<IVisionProvider['analyze']>[0],
): Promise<{ vision?: Vision; visionError?: { code: string; message: string }; faceDescriptions?: FaceDescriptions }> {
  if (!deps.vision) return {};
  try {
    const { faceDescriptions, ...vision } = await deps.vision.analyze(input);
    return { vision, faceDescriptions };
  } catch (error) {
    if (isTransient(error) && !attempt.last) throw error;
    const visionError = { code: nameOf(error), message: messageOf(error) };
    deps.onNote?.('inference failed; recorded on the item', { ...visionError });
    return { visionError };
  }
}

/**
 * Publish the item's event, then clear its `eventPending` flag. Once the event is out, the message has done its
 * job: failing it because the flag could not be cleared would make the retry publish the event a second time.
 * A flag left set only matters if this same notification is replayed later (then the event goes out again).
 */
async function publishFor(item: ImageItem, deps: ProcessorDeps, occurredAt: string): Promise<void> {
  const event = eventForItem(item, occurredAt);
  if (event) await deps.events.publish(event);
  try {
    await deps.store.clearEventPending(item.imageId, item.etag);
  } catch (error) {
    deps.onNote?.('event published, but its pending flag could not be cleared', {
      code: nameOf(error),
      message: messageOf(error),
    });
  }
}

/**
 * Best effort: if even this fails (the table is down), the message still goes to the DLQ with its cause. A failure
 * before the record was read leaves the owner, tags and metadata unknown; they are read now, for the event and
 * because the store refuses a write that does not name the owner the record has.
 */
async function recordFailure(
  item: ImageItem,
  existing: ImageItem | undefined,
  error: unknown,
  deps: ProcessorDeps,
  now: string,
): Promise<void> {
  try {
    const recorded = item.owner === undefined ? await deps.store.get(item.imageId) : existing;
    const failed = withTerms(
      {
        ...item,
        ...fromUpload(recorded),
        status: 'FAILED',
        error: { code: nameOf(error), message: messageOf(error) },
        eventPending: true,
      },
      recorded,
    );
    if (await deps.store.markFailed(failed)) {
      await syncIndex(failed, deps.index);
      await publishFor(failed, deps, now);
    }
  } catch (secondary) {
    deps.onNote?.('could not record the failure', { code: nameOf(secondary), message: messageOf(secondary) });
  }
}

const nameOf = (error: unknown): string => (error instanceof Error ? error.name : 'Error');

function messageOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 500);
}
