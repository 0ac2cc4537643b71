import type { z } from 'zod';
import { PARAM_ENTRIES, type SpecField, type SpecParams } from './rendition-params';

/**
 * What a rendition is, once its request has been read and checked: the one shape the spec parser
 * (renditions/spec.ts) produces and the renderer (core/render/render.ts) consumes, made from the table of parameters
 * (rendition-params.ts). Plain types, no validation here.
 */

export {
  COMPASS,
  type Compass,
  FITS,
  type Fit,
  type Gravity,
  KERNELS,
  type Kernel,
  OUTPUT_FORMATS,
  type OutputFormat,
  type PixelRegion,
  type RequestedFormat,
} from './rendition-values';

type Flat<T> = { -readonly [K in keyof T]: T[K] };
type ValueOf<K extends SpecField> = z.output<SpecParams[K]['schema']>;
/** The fields that always have a value: those with a default. */
export type DefaultedField = {
  [K in SpecField]: SpecParams[K] extends { readonly default: unknown } ? K : never;
}[SpecField];

/**
 * A normalised rendition spec: a field per row of RENDITION_PARAMS but `preset` (expanded away), of the type its
 * schema gives; defaults filled in, every value within the deployment's limits.
 */
export type RenditionSpec = Flat<
  { [K in DefaultedField]: ValueOf<K> } & { [K in Exclude<SpecField, DefaultedField>]?: ValueOf<K> }
>;

/** The filters (`renditionFilters`), in canonical order: the rows marked `filter`. */
export type FilterName = {
  [K in SpecField]: SpecParams[K] extends { readonly filter: true } ? K : never;
}[SpecField];
export const FILTERS = PARAM_ENTRIES.filter(([, row]) => row.filter).map(([field]) => field) as [
  FilterName,
  ...FilterName[],
];

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
