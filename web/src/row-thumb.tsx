import { thumbnailAtLeast } from './format';
import type { ImageSummary } from './types';

/** A list row's thumbnail (the Trash, Archive and Locked pages): the 128 px one or larger, else its colour alone. */
export function RowThumb({ item }: { item: Pick<ImageSummary, 'thumbnails' | 'dominantColor'> }) {
  const src = thumbnailAtLeast(item.thumbnails ?? {}, 128);
  return (
    <span class="trash-thumb" style={{ backgroundColor: item.dominantColor }}>
      {src ? (
        <img src={src} alt="" loading="lazy" decoding="async" />
      ) : (
        <span class="placeholder" aria-hidden="true">
          No preview
        </span>
      )}
    </span>
  );
}
