/**
 * The sizes of a rendition: the output's pixel size for a spec (`layoutOf`, `outputSize`) and which stored source
 * holds enough pixels for it (`planSource`). Pure arithmetic on the record's sizes, no decoding.
 */
import type { PixelRegion, RenditionSpec } from './rendition';

/** Width and height in pixels. */
export interface ImageSize {
  width: number;
  height: number;
}

/** A stored copy of an image: a WebP thumbnail (`size`: the side asked for) or the JPEG page copy (its longest side). */
export interface StoredCopy extends ImageSize {
  size: number;
  /** The headroom this copy is preferred with (default PREFERRED_HEADROOM): a lossier copy may want more. */
  headroom?: number;
}

/** What the record says about an image: its oriented size and its stored copies. */
export interface StoredImage<C extends StoredCopy = StoredCopy> extends ImageSize {
  thumbnails: readonly C[];
}

/** Which stored bytes a rendition is made from. */
export type SourcePlan<C extends StoredCopy = StoredCopy> = { source: 'original' } | { source: 'thumbnail'; copy: C };

export type RenditionErrorCode = 'CROP_OUTSIDE_IMAGE' | 'ANIMATED_WATERMARK' | 'SOURCE_REJECTED';

/** The request cannot be rendered from this image: a client error (400/422), never retried. */
export class RenditionError extends Error {
  override readonly name = 'RenditionError';

  constructor(
    readonly code: RenditionErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/**
 * How a spec lays the image out, in the OUTPUT's orientation (after `rotate`), in original pixels.
 * `visible` is the part of the crop region that is shown (smaller than the region only for `cover`), `content`
 * the pixel size it is scaled to, and `width` x `height` the output, larger than `content` only for `contain`.
 */
export interface Layout extends ImageSize {
  region: PixelRegion;
  regionSize: ImageSize;
  visible: ImageSize;
  content: ImageSize;
}

/**
 * The output pixel size `spec` gives for an image of `image` (oriented) pixels: `w` and `h` times `dpr`, after the
 * crop and the rotation, fitted as sharp's `fit` does (cover, contain, fill, inside, outside; one side alone keeps
 * the aspect ratio; neither keeps the region's size). Throws RenditionError when the crop leaves the image.
 */
export function outputSize(spec: RenditionSpec, image: ImageSize): ImageSize {
  const { width, height } = layoutOf(spec, image);
  return { width, height };
}

/**
 * Where the output's pixels come from: the crop region, the part of it shown and the size it is scaled to.
 *
 * Without `enlarge`, the region is never scaled up. Unlike sharp's `withoutEnlargement`, which clamps each side
 * on its own (a 200x200 cover of a 150x100 image would come out 150x100), the requested ASPECT RATIO is kept and
 * the whole box shrunk (100x100): a square avatar stays square. `fill` likewise keeps the box's shape.
 */
export function layoutOf(spec: RenditionSpec, image: ImageSize): Layout {
  const region = checkedRegion(spec.crop, image);
  const turned = spec.rotate === 90 || spec.rotate === 270;
  const rw = turned ? region.h : region.w;
  const rh = turned ? region.w : region.h;
  const regionSize = { width: rw, height: rh };
  let tw = spec.w === undefined ? undefined : spec.w * spec.dpr;
  let th = spec.h === undefined ? undefined : spec.h * spec.dpr;
  const noLarger = (scale: number) => (spec.enlarge ? scale : Math.min(scale, 1));
  const scaled = (scale: number): Layout => {
    const size = { width: atLeastOne(rw * scale), height: atLeastOne(rh * scale) };
    return { region, regionSize, visible: regionSize, content: size, ...size };
  };
  if (tw === undefined && th === undefined) return scaled(1);
  if (tw === undefined || th === undefined) return scaled(noLarger(tw === undefined ? (th as number) / rh : tw / rw));
  if (spec.fit === 'inside') return scaled(noLarger(Math.min(tw / rw, th / rh)));
  if (spec.fit === 'outside') return scaled(noLarger(Math.max(tw / rw, th / rh)));
  // cover, contain, fill: the box keeps its aspect ratio, shrunk as a whole when it would enlarge the region.
  const fillScale = Math.max(tw / rw, th / rh);
  const scale = spec.fit === 'contain' ? Math.min(tw / rw, th / rh) : fillScale;
  const shrink = spec.enlarge ? 1 : Math.max(1, spec.fit === 'contain' ? scale : fillScale);
  tw /= shrink;
  th /= shrink;
  const out = { width: atLeastOne(tw), height: atLeastOne(th) };
  if (spec.fit === 'fill') return { region, regionSize, visible: regionSize, content: out, ...out };
  if (spec.fit === 'cover') {
    const s = scale / shrink;
    const visible = { width: Math.min(rw, out.width / s), height: Math.min(rh, out.height / s) };
    return { region, regionSize, visible, content: out, ...out };
  }
  const s = scale / shrink;
  const content = {
    width: Math.min(out.width, atLeastOne(rw * s)),
    height: Math.min(out.height, atLeastOne(rh * s)),
  };
  return { region, regionSize, visible: regionSize, content, ...out };
}

/** Copies within half a pixel (rounding) of what the output needs still count as big enough. */
const PIXEL_TOLERANCE = 0.5;
/**
 * A copy with this many times the pixels the output needs is preferred to a smaller one that merely suffices.
 * Resampling a copy barely larger than the output keeps its own resampling and WebP artefacts at full strength:
 * against a lossless rendering from the original, a 400 px cover lost 0.021 SSIM (2.1 dB) from the 512 copy and
 * 0.010 (1.4 dB) from the 1024 copy, which took about 7 ms more (bench/renditions/quality.ts).
 */
const PREFERRED_HEADROOM = 1.5;

/**
 * Which stored bytes to render from: a stored copy with enough pixels for the rendition, else the original. A
 * copy has enough when, on both axes, the part of it under the visible region holds at least as many pixels as
 * the output's content (crop, `dpr`, `fit` and the no-enlargement clamp all included, through `layoutOf`), so
 * rendering from it never scales up what the original would have scaled down. Of those, the smallest with its
 * headroom to spare (PREFERRED_HEADROOM unless the copy says) is taken, else the smallest that has enough. A copy
 * as large as the original never counts: it saves no decoding and is a lossy generation of it.
 */
export function planSource<C extends StoredCopy>(spec: RenditionSpec, image: StoredImage<C>): SourcePlan<C> {
  const layout = layoutOf(spec, image);
  const turned = spec.rotate === 90 || spec.rotate === 270;
  // Needed pixels along the original's x and y axes, and the original pixels they come from.
  const needX = turned ? layout.content.height : layout.content.width;
  const needY = turned ? layout.content.width : layout.content.height;
  const spanX = turned ? layout.visible.height : layout.visible.width;
  const spanY = turned ? layout.visible.width : layout.visible.height;
  const candidates = [...image.thumbnails]
    .filter((copy) => copy.width * copy.height < image.width * image.height)
    .sort((a, b) => a.width * a.height - b.width * b.height);
  const holds = (copy: C, factor: number) =>
    spanX * (copy.width / image.width) + PIXEL_TOLERANCE >= needX * factor &&
    spanY * (copy.height / image.height) + PIXEL_TOLERANCE >= needY * factor;
  const chosen =
    candidates.find((copy) => holds(copy, copy.headroom ?? PREFERRED_HEADROOM)) ??
    candidates.find((copy) => holds(copy, 1));
  return chosen ? { source: 'thumbnail', copy: chosen } : { source: 'original' };
}

function checkedRegion(crop: PixelRegion | undefined, image: ImageSize): PixelRegion {
  if (!crop) return { x: 0, y: 0, w: image.width, h: image.height };
  if (crop.x < 0 || crop.y < 0 || crop.w < 1 || crop.h < 1) {
    throw new RenditionError(
      'CROP_OUTSIDE_IMAGE',
      `crop ${crop.w}x${crop.h} at (${crop.x}, ${crop.y}): x and y must be at least 0, w and h at least 1`,
    );
  }
  if (crop.x + crop.w > image.width || crop.y + crop.h > image.height) {
    throw new RenditionError(
      'CROP_OUTSIDE_IMAGE',
      `crop ${crop.w}x${crop.h} at (${crop.x}, ${crop.y}) reaches (${crop.x + crop.w}, ${crop.y + crop.h}), ` +
        `outside the ${image.width}x${image.height} image`,
    );
  }
  return crop;
}

export const atLeastOne = (n: number): number => Math.max(1, Math.round(n));

export const clamp = (value: number, low: number, high: number): number => Math.min(high, Math.max(low, value));
