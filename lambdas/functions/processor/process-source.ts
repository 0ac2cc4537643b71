import { isFolderPlaceholder, type SourceObject, sourceImageId } from '../../backfill/source-object';
import { imageIdFromUploadKey } from '../../store/keys';
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
 * 3. A record already final for this version (same ETag) is kept without reading the object, unless the run
 *    re-analyses and the record came from an older ANALYSIS_VERSION: skipped.
 * 4. Otherwise processed as an upload is, into the pipeline's bucket: the original stays where it is.
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
  // Its event out too: a record still waiting for its event is the processing's to finish.
  if (existing && !existing.eventPending && isFinalFor(existing, source.etag, source.reprocess)) {
    return { imageId, outcome: 'SKIPPED' };
  }
  const outcome = await processUpload(
    {
      imageId,
      bucket: source.bucket,
      key: source.key,
      size: source.size,
      eventTime: source.lastModified.toISOString(),
      owner: source.owner,
      filename: source.key.split('/').at(-1)?.slice(0, 255),
      reanalyse: source.reprocess,
    },
    attempt,
    deps,
  );
  return { imageId, outcome };
}
