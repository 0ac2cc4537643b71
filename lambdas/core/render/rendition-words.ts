/*
 * The words and numeric ranges of the rendition parameters, as plain data: no zod here, because the web app bundles
 * this file (the detail page's rendition builder offers these values) and rendition-params.ts makes its schemas from
 * the same lists, so the form and the API cannot disagree on what a field takes.
 */

export const FITS = ['cover', 'contain', 'fill', 'inside', 'outside'] as const;

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

export const OUTPUT_FORMATS = ['jpeg', 'png', 'webp', 'avif'] as const;

export const KERNELS = ['edge', 'emboss', 'contour'] as const;

/** The median filter's sizes. */
export const MEDIAN_SIZES = [3, 5, 7, 9] as const;

/** What a numeric parameter takes: from `min` to `max`, whole numbers only when `whole`; `unit` names the value. */
export interface ValueRange {
  readonly min: number;
  readonly max: number;
  readonly whole?: true;
  readonly unit?: string;
}

/** The numeric parameters with a range of their own (`w`, `h` are bounded by the deployment's `renditionMaxSide`). */
export const RANGES = {
  dpr: { min: 1, max: 3 },
  blur: { min: 0.3, max: 100, unit: 'sigma' },
  sharpen: { min: 0.5, max: 10, unit: 'sigma' },
  brightness: { min: 0, max: 4, unit: 'multiplier' },
  saturation: { min: 0, max: 4, unit: 'multiplier' },
  hue: { min: -360, max: 360, whole: true, unit: 'degrees' },
  contrast: { min: 0, max: 4, unit: 'multiplier' },
  watermarkOpacity: { min: 0, max: 1 },
  q: { min: 1, max: 100, whole: true },
} as const satisfies Record<string, ValueRange>;
