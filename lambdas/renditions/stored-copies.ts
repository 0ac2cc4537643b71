import type { StoredCopy } from '../core/render/render-layout';
import type { ImageItem } from '../store/image-item';
import { thumbnailKey } from '../store/keys';

/** A stored copy a rendition may be made from, and where it is. */
export interface KeyedCopy extends StoredCopy {
  key: string;
}

/**
 * With a page copy, the headroom a WebP thumbnail needs to be preferred to it. The copy is the closer source: a
 * rendition of a 12 MP camera JPEG made from it, against the same rendition made from the original (both lossless),
 * scored 36.8 to 45.3 dB PSNR where one from the 1024 px thumbnail (WebP q80) scored 33.8 to 36.7. Resampled by 2x or more,
 * the thumbnail's own artefacts shrink with it and it is read and decoded faster (about 130 KB against 800 KB): a
 * landscape card (2.6x) still comes from it, a portrait's (1.9x) from the copy (bench/renditions/page-copy.md).
 */
export const THUMBNAIL_HEADROOM_BESIDE_COPY = 2;

/**
 * The stored copies of a processed image a rendition may be made from: its WebP thumbnails, and its JPEG page copy
 * when the processor stored one (`renditionPageCopy`), beside which a thumbnail needs THUMBNAIL_HEADROOM_BESIDE_COPY.
 */
export function storedCopies(item: ImageItem, thumbnails: readonly StoredCopy[]): KeyedCopy[] {
  const { pageCopy } = item;
  const webp = thumbnails.map(({ size, width, height }) => ({
    size,
    width,
    height,
    key: item.thumbnails?.[String(size)] ?? thumbnailKey(item.imageId, size),
    ...(pageCopy && { headroom: THUMBNAIL_HEADROOM_BESIDE_COPY }),
  }));
  if (!pageCopy) return webp;
  return [...webp, { ...pageCopy, size: Math.max(pageCopy.width, pageCopy.height) }];
}
