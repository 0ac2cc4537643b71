import sharp from 'sharp';
import { censor } from '../../../../core/render/censor';
import type { EnrichmentStep } from '../../../../kit/processor-step';
import { takeBack } from '../../../../kit/step-helpers';
import { thumbnailKey } from '../../../../store/keys';

/**
 * Store the thumbnails the decode encoded (`thumbnails`), after the owner's policy has read vision's answer: blurred
 * when it blurs or rejects the image, so no unblurred thumbnail of it is ever stored, even for a moment during a
 * re-analysis. A rejected image keeps its blurred thumbnails, to show what was rejected.
 */
export const thumbnailsStep: EnrichmentStep = {
  name: 'thumbnails',
  when: 'decoded',
  async run({ deps }, { item, decoded, blurred }) {
    const keys: Record<string, string> = {};
    await Promise.all(
      decoded.thumbnails.map(async ({ size, data, width, height }) => {
        const key = thumbnailKey(item.imageId, size);
        const bytes = blurred ? await censor(sharp(data), width, height).webp().toBuffer() : data;
        await deps.objects.write(item.bucket, key, bytes, 'image/webp');
        keys[String(size)] = key;
      }),
    );
    return { item: { thumbnails: keys } };
  },
  async undo({ deps }, { item }) {
    await takeBack(deps, item.bucket, Object.values(item.thumbnails ?? {}));
  },
};
