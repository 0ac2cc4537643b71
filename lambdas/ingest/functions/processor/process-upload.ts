import { largestImageBytes } from '../../../core/options';
import { ANALYSIS_VERSION } from '../../../core/record';
import { errorDetails } from '../../../kit/step-helpers';
import { withTerms } from '../../../search/postings';
import type { ImageItem } from '../../../store/image-item';
import { IMAGE_ENTITY } from '../../../store/table-design';
import { EventInFlightError, mayStillPublish } from './event-in-flight';
import { fromUpload, isReown, leaveOwner } from './ownership';
import type { Attempt, Outcome, ProcessorDeps } from './ports';
import type { UploadNotice } from './s3-event';
import { keptFor, runSteps } from './step';
import { publishFor } from './steps/publish';

/**
 * Process one uploaded object, idempotently.
 *
 * 1. Read it (refusing to load one over the byte limit) and note its ETag: the version this run describes.
 * 2. If this version is already PROCESSED or REJECTED, stop (publishing its event if that had not happened);
 *    otherwise carry the owner, tags and metadata the upload recorded. A re-own (ownership.ts) goes on whatever the
 *    record's state, under the notice's owner.
 * 3. Run its steps (`deps.steps`, the registry's list: lambdas/manifest/steps.ts): analyse with the core and write the thumbnails; then at once run inference,
 *    look up earlier images with the same bytes, and make the eager rendition presets; group the faces; store the
 *    final item, conditionally (of two concurrent deliveries only one writes, and only that one goes on), with
 *    `eventPending` until its postings are written and its event is out, so a crash in between is repaired by the
 *    retry, which writes them from the record again; and delete the renditions of the record it replaced.
 * 4. On failure, rethrow so SQS retries; on the last attempt first record FAILED and publish `Image Failed`.
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
    // A Live Photo's MOV has a limit of its own (lambdas/live); an image's bytes are refused past `maxBytes` anyway.
    const { maxBytes, maxVideoBytes = maxBytes } = deps.options;
    // Read up to the largest limit: which applies is known from the bytes (the core holds each format to its own).
    const imageLimit = largestImageBytes(deps.options);
    const limit = notice.key.toLowerCase().endsWith('.mov') ? Math.max(imageLimit, maxVideoBytes) : imageLimit;
    const object = await deps.objects.read(notice.bucket, notice.key, limit);
    if (object.kind === 'missing') return 'MISSING';
    etag = object.etag;

    existing = await deps.store.get(notice.imageId);
    // Who uploaded it, and the client's tags and metadata, recorded at upload, go into this version's item and its
    // event. Without a record (an object put in the bucket without an upload URL) the image has no owner, or the
    // one its backfill gave it.
    Object.assign(base, fromUpload(existing));
    // An owned image keeps its owner; only a re-own gives it the notice's, its postings and faces moved first.
    const reown = isReown(existing, notice);
    if (reown) base.owner = await leaveOwner(existing, notice, deps);
    if (existing && !reown && (await isFinalFor(existing, etag, notice, deps))) {
      if (!existing.eventPending) return 'DUPLICATE';
      // Another delivery of this object (S3 sends at least once; two backfills may overlap) stored it moments ago
      // and is publishing its event: come back after the visibility timeout, when it is out. Only a record left
      // pending longer than a processing run lasts was left by a crash, and is published here, as the index and
      // publish steps would.
      if (!attempt.last && mayStillPublish(existing, attempt, deps)) {
        throw new EventInFlightError(`image ${existing.imageId}: another delivery is publishing its event`);
      }
      await recordedBySteps(existing, deps);
      await publishFor(existing, deps);
      return 'REPUBLISHED';
    }

    const previous = reown ? undefined : existing;
    const keep = keptFor(deps.steps, deps);
    const context = { notice, attempt, deps, object, existing, previous, reown, now, keep };
    const { item, outcome } = await runSteps(deps.steps, context, { item: base });
    return outcome ?? (item.status === 'PROCESSED' ? 'PROCESSED' : 'REJECTED');
  } catch (error) {
    if (attempt.last) await recordFailure({ ...base, etag, updatedAt: now() }, existing, error, deps);
    throw error;
  }
}

/** What a backfill asked of an image it sends again: re-analysis (`reprocess`), faces regrouped, by which run. */
export type ReprocessAsked = Pick<UploadNotice, 'reanalyse' | 'regroupFaces' | 'run'>;

/**
 * Whether a record already says what processing this version would: final (PROCESSED or REJECTED) for this ETag
 * (any, when not known) and made by this run (`reprocessedBy`), or else, never regrouped, by this ANALYSIS_VERSION
 * with no step's part out of date (a step's `stale`: a vector of another model, a place named by older data).
 */
export async function isFinalFor(
  existing: ImageItem,
  etag: string | undefined,
  asked: ReprocessAsked,
  deps: ProcessorDeps,
): Promise<boolean> {
  const final = existing.status === 'PROCESSED' || existing.status === 'REJECTED';
  if (!final || (etag !== undefined && existing.etag !== etag)) return false;
  if (asked.run !== undefined && existing.reprocessedBy === asked.run) return true;
  if (asked.regroupFaces) return false;
  if (!asked.reanalyse) return true;
  if (existing.analysisVersion !== ANALYSIS_VERSION) return false;
  for (const step of deps.steps.flat()) {
    if (await step.stale?.(existing, deps)) return false;
  }
  return true;
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
): Promise<void> {
  try {
    const recorded = item.owner === undefined ? await deps.store.get(item.imageId) : existing;
    const failed = withTerms(
      {
        ...item,
        ...fromUpload(recorded),
        status: 'FAILED',
        error: errorDetails(error),
        eventPending: true,
      },
      recorded,
    );
    if (await deps.store.markFailed(failed)) {
      await recordedBySteps(failed, deps);
      await publishFor(failed, deps);
    }
  } catch (secondary) {
    deps.onNote?.('could not record the failure', errorDetails(secondary));
  }
}

/** What each step makes of a stored record (its postings), for one the processor wrote outside a run of the steps. */
async function recordedBySteps(item: ImageItem, deps: ProcessorDeps): Promise<void> {
  for (const step of deps.steps.flat()) await step.recorded?.(item, deps);
}
