import type { WatchedObject } from '../../../backfill/object-created';
import { ownerOf } from '../../../backfill/owners';
import { isFolderPlaceholder, type SourceObject, sourceImageId } from '../../../backfill/source-object';
import { imageIdFromUploadKey } from '../../../store/keys';
import type { Attempt, Outcome, ProcessorDeps } from './ports';
import { isFinalFor, processUpload } from './process-upload';

/** What became of one object of a backfill: an outcome of processing, or why it was not processed. */
export type SourceOutcome = Outcome | 'SKIPPED' | 'PLACEHOLDER';

/**
 * One object a backfill sent (backfill/source-object.ts), with the same processing as an upload.
 *
 * 1. A folder placeholder (`dir/`, zero bytes) is no image: skipped, no record.
 * 2. Its image id comes from bucket, key and modification time, so a second run, or a notification of the same
 *    version, finds the record the first made; an API upload in the pipeline's bucket keeps the id in its key.
 * 3. Its owner is decided for its key (ownerOf: the most specific `sourceBuckets` entry's, else the run's), whatever
 *    path brought it. A record under another owner keeps that one, unless the run re-owns.
 * 4. A record already final for this version (same ETag) is kept without reading the object, unless the run
 *    re-analyses and the record came from an older ANALYSIS_VERSION, or the run regroups faces (face grouping on)
 *    and has not done this image yet, or re-owns it: skipped.
 * 5. Otherwise processed as an upload is, into the pipeline's bucket: the original stays where it is.
 */
export async function processSourceObject(
  source: SourceObject,
  attempt: Attempt,
  deps: ProcessorDeps,
): Promise<{ imageId?: string; outcome: SourceOutcome }> {
  if (isFolderPlaceholder(source.key, source.size)) return { outcome: 'PLACEHOLDER' };
  // An upload the API made (`uploads/<id>.<ext>` in the pipeline's bucket, re-analysed) keeps its own id.
  const uploaded = source.bucket === deps.options.bucket ? imageIdFromUploadKey(source.key) : undefined;
  const imageId = uploaded ?? sourceImageId(source.bucket, source.key, source.lastModified);
  const existing = await deps.store.get(imageId);
  // A re-cluster analyses every image again, but only where faces are grouped: elsewhere it is a reprocess.
  const regroupFaces = source.regroupFaces && deps.steps.flat().some((step) => step.regroups?.(deps) === true);
  // A re-analysing run marks what it did, so its own duplicated messages skip it (isFinalFor).
  const asked = {
    reanalyse: source.reprocess,
    regroupFaces,
    run: source.reprocess ? source.run : undefined,
  };
  const owner = ownerOf(deps.sources ?? [], source.bucket, source.key, source.owner);
  const reown = source.reown && owner !== undefined && existing !== undefined && existing.owner !== owner;
  // Its event out too: a record still waiting for its event is the processing's to finish.
  if (existing && !existing.eventPending && !reown && (await isFinalFor(existing, source.etag, asked, deps))) {
    return { imageId, outcome: 'SKIPPED' };
  }
  const outcome = await processUpload(
    {
      imageId,
      bucket: source.bucket,
      key: source.key,
      size: source.size,
      eventTime: source.lastModified.toISOString(),
      owner,
      reown,
      filename: source.key.split('/').at(-1)?.slice(0, 255),
      ...asked,
    },
    attempt,
    deps,
  );
  return { imageId, outcome };
}

/** A watched object's processing failed before it began: the processor has no way to read its LastModified. */
export class NoObjectHeadsError extends Error {
  override readonly name = 'NoObjectHeadsError';
}

/**
 * One object a watched source bucket reported (backfill/object-created.ts), as a backfill's object.
 *
 * 1. A folder placeholder, known from the event's size, is skipped without asking S3.
 * 2. HeadObject gives its LastModified, so its image id is the one a backfill's listing of this version gives
 *    (the event's time is when the write completed, LastModified when it began), and its ETag; a key deleted
 *    since is MISSING. A newer version written in between is the one processed: its own event finds it done.
 * 3. Processed as a backfill's object with its entry's owner, never re-analysed or re-owned, counted in no run.
 */
export async function processWatchedObject(
  watched: WatchedObject,
  attempt: Attempt,
  deps: ProcessorDeps,
): Promise<{ imageId?: string; outcome: SourceOutcome }> {
  if (watched.size !== undefined && isFolderPlaceholder(watched.key, watched.size)) return { outcome: 'PLACEHOLDER' };
  if (!deps.heads) throw new NoObjectHeadsError('the processor was built without HeadObject');
  const head = await deps.heads.head(watched.bucket, watched.key);
  if (!head) return { outcome: 'MISSING' };
  const source: SourceObject = {
    bucket: watched.bucket,
    key: watched.key,
    size: head.size,
    etag: head.etag,
    lastModified: head.lastModified,
    owner: watched.source.owner,
    reprocess: false,
    regroupFaces: false,
    reown: false,
  };
  return processSourceObject(source, attempt, deps);
}
