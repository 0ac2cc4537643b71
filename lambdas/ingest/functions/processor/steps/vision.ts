import { visionThumbnail } from '../../../../vision/vision-input';
import { errorDetails } from '../error-details';
import type { EnrichmentStep } from '../step';
import { isTransient } from '../transient';

/**
 * Inference (`vision`), on the largest thumbnail, not stored yet (the policy decides on this answer how it is). It is an addition to the core analysis, not a
 * condition of it: a refusal, or a transient failure on the last attempt, is recorded as `visionError` and the
 * image is still PROCESSED. The faces it described are left for the people step, never stored.
 */
export const visionStep: EnrichmentStep = {
  name: 'vision',
  when: 'decoded',
  async run({ deps, attempt }, { item, decoded }) {
    if (!deps.vision) return {};
    const { record, thumbnails, raster, original } = decoded;
    // The thumbnail the offline models read (and `image-intel analyze` decodes): vision-input.ts.
    const largest = visionThumbnail(thumbnails);
    try {
      const { faceDescriptions, ...vision } = await deps.vision.analyze({
        imageId: item.imageId,
        original: { bytes: original, format: record.metadata.format },
        thumbnail: { bytes: largest.data },
        raster,
        colour: { palette: record.palette, brightness: record.brightness },
      });
      return { item: { vision }, faceDescriptions };
    } catch (error) {
      if (isTransient(error) && !attempt.last) throw error;
      const visionError = errorDetails(error);
      deps.onNote?.('inference failed; recorded on the item', { ...visionError });
      return { item: { visionError } };
    }
  },
};
