import { analyzeImage } from '../../../../core/analysis/analyze';
import { isFullFrame } from '../../../../core/crop';
import { largestImageBytes } from '../../../../core/options';
import type { RecordStep } from '../../../../kit/processor-step';
import { editPending, REANALYSING_EDITS } from '../../../../store/reanalysing-edit';

/** The analysis itself failed (not the input's fault): retried like any other failure. */
export class AnalysisFailedError extends Error {
  override readonly name = 'AnalysisFailedError';
}

/**
 * Decode and analyse (`decode`): the core's one pass over the bytes gives metadata, hashes, palette, brightness and
 * quality, and encodes the thumbnails from the same raster, so thumbnails cannot be made without it. An object
 * over the byte limit, or one the core refuses, is REJECTED here, and no enrichment runs on it.
 *
 * It keeps the raster for a vision provider that asks for it, and the pixels when eager renditions are made. The
 * pixels are turned by the owner's rotation (the record's `rotation`, carried over from the record as found), so
 * every step after it, and every thumbnail and rendition, sees the turned picture; `rotationApplied` says so. They
 * are cut to the owner's crop (`crop`, carried over likewise) as well, so all of it sees only the part kept, and
 * the record's size is that part's; `cropApplied` says so. The original is never changed.
 */
export const decodeStep: RecordStep = {
  name: 'decode',
  async run({ object, deps, keep }, { item }) {
    const { maxBytes, maxRawBytes = maxBytes } = deps.options;
    if (object.kind === 'too-large') {
      const { size, etag } = object;
      const message = `${size} bytes is over the ${largestImageBytes(deps.options)} byte limit`;
      return { item: { status: 'REJECTED', etag, size, rejection: { code: 'FILE_TOO_LARGE', message } } };
    }
    const { bytes, etag } = object;
    // Likewise a crop undone (the whole picture) is no crop.
    const cropApplied = isFullFrame(item.crop) ? undefined : item.crop;
    const { record, ...encoded } = await analyzeImage(bytes, {
      thumbnailSizes: deps.options.thumbnailSizes,
      maxPixels: deps.options.maxPixels,
      maxBytes,
      maxRawBytes,
      // The photo's own position stays in its analysis (`metadata.exif.gps`, what the bytes say): the `place` step
      // takes the record's `position` from it, and dropping a correction goes back to it without re-reading the photo.
      // The record is its owner's and admins' only; events and renditions never carry either (docs/places.md).
      includeGps: true,
      // What the steps after it asked for (their `keeps`): a vision provider's raster, the eager renditions' pixels.
      keepRaster: keep.raster,
      keepPixels: keep.pixels,
      rotation: item.rotation ?? 0,
      crop: cropApplied,
    });
    // A motion photo whose XMP points at a video that is not there: the still is analysed, the claim noted.
    for (const note of encoded.notes ?? []) deps.onNote?.(note, { imageId: item.imageId });
    // None: no field, so a turn undone leaves the record as one never turned.
    const rotationApplied = item.rotation ? item.rotation : undefined;
    const analysed = { etag, size: bytes.length, analysis: record, rotationApplied, cropApplied };
    if (record.status === 'FAILED') throw new AnalysisFailedError(record.error.message);
    if (record.status === 'REJECTED') {
      return { item: { ...analysed, status: 'REJECTED', rejection: record.rejection, sha256: record.hashes.sha256 } };
    }
    return {
      item: { ...analysed, status: 'PROCESSED', sha256: record.hashes.sha256 },
      decoded: { ...encoded, record, original: bytes },
    };
  },
  // An edit its owner asked for since the pixels were made, a turn or a crop (store/reanalysing-edit.ts: their routes
  // send the image to be analysed again): the image is analysed again though its analysis is current.
  stale: (existing) => REANALYSING_EDITS.some((edit) => editPending(edit, existing)),
};
