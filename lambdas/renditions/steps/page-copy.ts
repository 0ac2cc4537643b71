import type { Crop } from '../../core/crop';
import type { Rotation } from '../../core/options';
import type { ImageMetadata } from '../../core/record';
import { renderImage } from '../../core/render/render';
import type { RenditionSpec } from '../../core/render/rendition';
import { RENDITION_DEFAULTS } from '../../core/render/rendition-spec';
import { renditionKey } from '../query';

/**
 * The copy's JPEG quality. A 1200 px page rendered losslessly from a q90 copy of a 12 MP photo scores 40.9 to 45.5 dB
 * PSNR against the same page rendered losslessly from the original (bench/renditions/page-copy.md); q95 made the copy
 * about 40 % larger.
 */
export const PAGE_COPY_QUALITY = 90;

/** What the copy is made of, as the eager presets' image has it too (eager-renditions.ts, EagerImage). */
export interface PageCopySource {
  imageId: string;
  /** What the renditions are made from, as a rendition's key names it (renditionVersion). */
  version: string;
  metadata: Pick<ImageMetadata, 'width' | 'height' | 'isAnimated'>;
  /** The original's bytes, already read. */
  original: Buffer;
  /** Its owner's rotation, which the original is turned by. Default 0. */
  turn?: Rotation;
  /** Its owner's crop, which the original is cut to. Default none. */
  crop?: Crop;
}

/** The page copy rendered, not yet stored: where it goes, its bytes and its size. */
export interface RenderedPageCopy {
  key: string;
  data: Buffer;
  contentType: string;
  width: number;
  height: number;
}

/**
 * The spec the copy is: the whole picture inside `side` x `side`, JPEG at PAGE_COPY_QUALITY. Its key is the key of
 * that rendition (`renditionKey`), so it lives, is kept and goes with the image's renditions.
 */
export function pageCopySpec(side: number): RenditionSpec {
  return { ...RENDITION_DEFAULTS, w: side, h: side, fit: 'inside', format: 'jpeg', q: PAGE_COPY_QUALITY };
}

/**
 * The page copy of one image (`renditionPageCopy`): the original decoded once more, turned and cut as its
 * thumbnails are, shrunk to at most `side` px and encoded as JPEG, which decodes two to three times faster than
 * WebP and shrinks while decoding. Made beside vision, whose answer the processor waits for anyway. None when the
 * setting is 0 (or absent), when the picture is no larger than the copy would be (rendering from the original costs no more), or
 * for an animated image (its renditions are rendered from the original's frames).
 */
export async function renderPageCopy(
  image: PageCopySource,
  side: number | undefined,
  maxPixels: number,
): Promise<RenderedPageCopy | undefined> {
  const { width, height, isAnimated } = image.metadata;
  if (!side || isAnimated || Math.max(width, height) <= side) return undefined;
  const spec = pageCopySpec(side);
  const output = await renderImage(image.original, spec, {
    turn: image.turn ?? 0,
    crop: image.crop,
    format: 'jpeg',
    image: { width, height, animated: false },
    maxInputPixels: maxPixels,
  });
  return {
    key: renditionKey(image.imageId, spec, 'jpeg', image.version),
    data: output.data,
    contentType: output.contentType,
    width: output.width,
    height: output.height,
  };
}
