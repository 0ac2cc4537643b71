import { thumbnailKey } from '../../../../store/keys';
import type { EnrichmentStep } from '../step';

/** Store the thumbnails the decode encoded, before any step that reads them from the bucket (the vision function). */
export const thumbnailsStep: EnrichmentStep = {
  name: 'thumbnails',
  when: 'decoded',
  async run({ deps }, { item, decoded }) {
    const keys: Record<string, string> = {};
    await Promise.all(
      decoded.thumbnails.map(async (thumbnail) => {
        const key = thumbnailKey(item.imageId, thumbnail.size);
        await deps.objects.write(item.bucket, key, thumbnail.data, 'image/webp');
        keys[String(thumbnail.size)] = key;
      }),
    );
    return { item: { thumbnails: keys } };
  },
};
