/**
 * What a rendition is, once its request has been read and checked: the one shape the spec parser
 * (renditions/spec.ts) produces and the renderer (core/render.ts) consumes. Plain types, no validation here.
 */

export const FITS = ['cover', 'contain', 'fill', 'inside', 'outside'] as const;
export type Fit = (typeof FITS)[number];

/** Compass gravities, as sharp names them. */
export const COMPASS = [
  'center',
  'north',
  'northeast',
  'east',
  'southeast',
  'south',
  'southwest',
  'west',
  'northwest',
] as const;
export type Compass = (typeof COMPASS)[number];
/** `smart`: faces first, then objects, then sharp's attention strategy. */
export type Gravity = Compass | 'smart';

export const OUTPUT_FORMATS = ['jpeg', 'png', 'webp', 'avif'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];
/** `auto`: the best format the client's Accept header allows. */
export type RequestedFormat = OutputFormat | 'auto';

export const KERNELS = ['edge', 'emboss', 'contour'] as const;
export type Kernel = (typeof KERNELS)[number];

export const FILTERS = [
  'blur',
  'sharpen',
  'grayscale',
  'normalize',
  'brightness',
  'saturation',
  'hue',
  'contrast',
  'median',
  'kernel',
] as const;
export type FilterName = (typeof FILTERS)[number];

/** A region in the original's pixels (after EXIF orientation, as the record's width and height are). */
export interface PixelRegion {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** A normalised rendition spec: defaults filled in, every value within the deployment's limits. */
export interface RenditionSpec {
  /** Output width and height in CSS pixels (multiplied by `dpr`); one of them alone keeps the aspect ratio. */
  w?: number;
  h?: number;
  fit: Fit;
  dpr: number;
  /** Allow an output larger than the source region. */
  enlarge: boolean;
  gravity: Gravity;
  /** Cut from the original before resizing. */
  crop?: PixelRegion;
  format: RequestedFormat;
  /** Encoder quality 1-100; the format's default when absent. */
  q?: number;
  rotate: 0 | 90 | 180 | 270;
  flip: boolean;
  flop: boolean;
  blur?: number;
  sharpen?: number;
  grayscale: boolean;
  normalize: boolean;
  brightness?: number;
  saturation?: number;
  hue?: number;
  contrast?: number;
  median?: number;
  kernel?: Kernel;
  /** Name of a configured watermark. */
  watermark?: string;
  watermarkGravity: Compass;
  watermarkOpacity: number;
}

/** A configured watermark, resolved to what the renderer draws. */
export type Watermark = { kind: 'image'; data: Buffer } | { kind: 'text'; text: string };

/** A box in fractions of the image (0-1), as the vision schema stores faces and objects. */
export interface UnitBox {
  left: number;
  top: number;
  width: number;
  height: number;
}

/**
 * An upper bound of the output's longer side in device pixels, for a `width` x `height` source: the crop, turned
 * by `rotate` (which comes before resizing, as in sharp: `w` and `h` are the turned output's), scaled as `fit`
 * scales it and never up unless `enlarge`. The spec parser refuses a spec whose bound is over `renditionMaxSide`,
 * so the renderer never makes more pixels than this.
 */
export function largestOutputSide(spec: RenditionSpec, width: number, height: number): number {
  const turned = spec.rotate === 90 || spec.rotate === 270;
  const [rw, rh] = turned
    ? [spec.crop?.h ?? height, spec.crop?.w ?? width]
    : [spec.crop?.w ?? width, spec.crop?.h ?? height];
  const w = spec.w === undefined ? undefined : spec.w * spec.dpr;
  const h = spec.h === undefined ? undefined : spec.h * spec.dpr;
  if (w === undefined && h === undefined) return Math.max(rw, rh);
  // cover, contain and fill give exactly the w x h box (less when not enlarging a smaller source).
  if (w !== undefined && h !== undefined && spec.fit !== 'inside' && spec.fit !== 'outside') {
    return Math.ceil(Math.max(w, h));
  }
  let scale: number;
  if (w !== undefined && h !== undefined) scale = (spec.fit === 'inside' ? Math.min : Math.max)(w / rw, h / rh);
  else scale = w !== undefined ? w / rw : (h as number) / rh;
  if (!spec.enlarge) scale = Math.min(scale, 1);
  return Math.ceil(Math.max(rw, rh) * scale);
}
