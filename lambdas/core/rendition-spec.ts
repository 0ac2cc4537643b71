import { z } from 'zod';
import {
  COMPASS,
  FITS,
  type FilterName,
  KERNELS,
  OUTPUT_FORMATS,
  type OutputFormat,
  type RenditionSpec,
} from './rendition';

/**
 * Reading a rendition request, from the JSON body of `POST /images/{id}/renditions`, a preset or (through renditions/query.ts)
 * the query string of a rendition URL `/<imageId>?...`, into one checked `RenditionSpec`. Pure: no AWS, no
 * image bytes, no HTTP: problems come back as text, and renditions/spec.ts answers them with a 400. The grammar (docs/renditions.md has the same with examples):
 *
 *   w, h          output width, height in CSS pixels (whole, >= 1; times dpr at most renditionMaxSide)
 *   fit           cover | contain | fill | inside | outside (cover)
 *   dpr           device pixel ratio 1-3, fractions allowed (1; at most renditionMaxDpr)
 *   enlarge       allow an output larger than the source (false)
 *   gravity       center | north | ... | northwest | smart (center)
 *   crop=x,y,w,h  a region of the original, in its pixels, cut before resizing
 *   rotate        0 | 90 | 180 | 270 (0), before resizing: w and h are the rotated output's
 *   flip, flop    mirror top-bottom, left-right (false)
 *   blur 0.3-100, sharpen 0.5-10 (sigmas), median 3|5|7|9, kernel edge|emboss|contour,
 *   grayscale, normalize (false), brightness, saturation, contrast (multipliers 0-4), hue (degrees -360..360)
 *   wm, wmg, wmo  watermark name, its gravity (southeast) and opacity 0-1 (0.5); JSON: watermark,
 *                 watermarkGravity, watermarkOpacity
 *   format        jpeg | png | webp | avif | auto (auto: negotiated from Accept); q 1-100 (the format's default)
 *   preset        a configured preset: it is expanded first and every other parameter overrides its value
 *   exp, kid, sig the signature (rendition-signing.ts); the spec parser ignores them
 *
 * A flag is true given bare (`flip`) or as `flip=true`/`flip=1`; `flip=false`/`flip=0` turns off a preset's.
 * Each parameter at most once; unknown ones are a 400 naming them.
 */

/** Preset and watermark names: short, lowercase, safe in a URL and as an object key. */
export const RENDITION_NAME_PATTERN = /^[a-z][a-z0-9-]{0,31}$/;
/** What a spec is when a field is not given. */
export const RENDITION_DEFAULTS = {
  fit: 'cover',
  dpr: 1,
  enlarge: false,
  gravity: 'center',
  format: 'auto',
  rotate: 0,
  flip: false,
  flop: false,
  grayscale: false,
  normalize: false,
  watermarkGravity: 'southeast',
  watermarkOpacity: 0.5,
} as const satisfies Partial<RenditionSpec>;

/** Messages that say what a field takes and, for a value of the wrong type, what came instead. */
const expected = (text: string) => (issue: { code: string; input?: unknown }) =>
  issue.code === 'invalid_type' ? `${text}, got ${kindOf(issue.input)}` : text;
function kindOf(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the text ${quoted(value)}`;
  return typeof value === 'number' ? String(value) : `a ${typeof value}`;
}
export const quoted = (value: string) => JSON.stringify(value.length > 20 ? `${value.slice(0, 20)}...` : value);

const numberIn = (min: number, max: number, unit = '') => {
  const text = `must be a number from ${min} to ${max}${unit}`;
  return z
    .number({ error: expected(text) })
    .min(min, text)
    .max(max, text);
};
const wholeIn = (min: number, max: number, unit = '') => {
  const text = `must be a whole number from ${min} to ${max}${unit}`;
  return z
    .number({ error: expected(text) })
    .int(text)
    .min(min, text)
    .max(max, text);
};
const pixels = (min: 0 | 1) => {
  const text = `must be a whole number of pixels, at least ${min}`;
  return z
    .number({ error: expected(text) })
    .int(text)
    .min(min, text);
};
const choice = <T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: expected(`must be one of ${values.join(', ')}`) });
export const flag = () => z.boolean({ error: expected('must be true or false') });
export const name = (what: string) =>
  z
    .string({ error: expected(`must be a ${what} name`) })
    .regex(RENDITION_NAME_PATTERN, `must be a ${what} name: a lowercase letter, then up to 31 letters, digits or -`);

/** A strict object whose unknown keys are a 400 naming them and the known ones (a few, not a 10 KB list). */
export const strict = <T extends z.ZodRawShape>(shape: T) =>
  z.strictObject(shape, {
    error: (issue) => {
      if (issue.code === 'invalid_type') return 'must be a JSON object';
      if (issue.code !== 'unrecognized_keys') return undefined;
      const shown = issue.keys.slice(0, 5).map((key) => JSON.stringify(key.slice(0, 40)));
      const more = issue.keys.length > 5 ? ` and ${issue.keys.length - 5} more` : '';
      return `unknown field ${shown.join(', ')}${more} (known: ${Object.keys(shape).join(', ')})`;
    },
  });

export const SPEC_SHAPE = {
  w: pixels(1).optional(),
  h: pixels(1).optional(),
  fit: choice(FITS).optional(),
  dpr: numberIn(1, 3).optional(),
  enlarge: flag().optional(),
  gravity: choice([...COMPASS, 'smart'] as const).optional(),
  crop: strict({ x: pixels(0), y: pixels(0), w: pixels(1), h: pixels(1) }).optional(),
  format: choice([...OUTPUT_FORMATS, 'auto'] as const).optional(),
  q: wholeIn(1, 100).optional(),
  rotate: z.literal([0, 90, 180, 270], { error: expected('must be 0, 90, 180 or 270') }).optional(),
  flip: flag().optional(),
  flop: flag().optional(),
  blur: numberIn(0.3, 100).optional(),
  sharpen: numberIn(0.5, 10).optional(),
  grayscale: flag().optional(),
  normalize: flag().optional(),
  brightness: numberIn(0, 4).optional(),
  saturation: numberIn(0, 4).optional(),
  // Whole degrees: sharp's modulate takes an integer hue. Stored modulo 360, so -90 and 270 are one rendition.
  hue: wholeIn(-360, 360, ' degrees').optional(),
  contrast: numberIn(0, 4).optional(),
  median: z.literal([3, 5, 7, 9], { error: expected('must be an odd whole number from 3 to 9') }).optional(),
  kernel: choice(KERNELS).optional(),
  watermark: name('watermark').optional(),
  watermarkGravity: choice(COMPASS).optional(),
  watermarkOpacity: numberIn(0, 1).optional(),
};

/** The JSON body of `POST /images/{id}/renditions`: every field optional, a preset name to start from. */
export const RenditionSpecInputSchema = strict({ ...SPEC_SHAPE, preset: name('preset').optional() });
export type RenditionSpecInput = z.input<typeof RenditionSpecInputSchema>;

/** What one deployment allows (its `rendition*` settings and configured watermarks). */
export interface RenditionLimits {
  /** Largest output side in device pixels (w or h times dpr, or the source's when no size is given). */
  maxSide: number;
  maxDpr: number;
  formats: readonly OutputFormat[];
  filters: readonly FilterName[];
  /** Names of the configured watermarks. */
  watermarks: readonly string[];
}

/** Named specs a request may start from (`renditionPresets`); `eager` is the processor's, not the spec's. */
export type PresetSpecs = Readonly<Record<string, RenditionSpecInput & { eager?: boolean }>>;

/** How a field is named in messages: its JSON name, or its query parameter (rendition-query.ts). */
export type Naming = (field: string) => string;
export const jsonName: Naming = (field) => field;

/** A checked spec with its defaults filled in, or every problem with the input, one sentence each. */
export type SpecResult = { spec: RenditionSpec; problems?: undefined } | { spec?: undefined; problems: string[] };

/** Every input's common path (a JSON body, a preset, a rendition URL): schema, preset, defaults, limits. */
export function checkSpec(input: unknown, limits: RenditionLimits, presets: PresetSpecs, naming: Naming): SpecResult {
  const parsed = RenditionSpecInputSchema.safeParse(input);
  if (!parsed.success) return { problems: [issuesText(parsed.error, naming)] };
  const { preset, ...explicit } = parsed.data;
  let merged = explicit;
  if (preset !== undefined) {
    const chosen = Object.hasOwn(presets, preset) ? presets[preset] : undefined;
    if (chosen === undefined) {
      const known = Object.keys(presets).join(', ') || 'none is configured';
      return { problems: [`${naming('preset')}: no preset named ${preset} (presets: ${known})`] };
    }
    const { eager: _eager, ...presetSpec } = chosen;
    merged = { ...presetSpec, ...explicit };
  }
  const problems = pairingProblems(merged, naming);
  const spec: RenditionSpec = { ...RENDITION_DEFAULTS, ...merged };
  if (spec.hue !== undefined) spec.hue = ((spec.hue % 360) + 360) % 360;
  problems.push(...limitProblems(spec, limits, naming));
  return problems.length > 0 ? { problems } : { spec };
}

function issuesText(error: z.ZodError, naming: Naming): string {
  return error.issues
    .map((issue) => {
      const [field, ...rest] = issue.path.map(String);
      const path = field === undefined ? 'spec' : [naming(field), ...rest].join('.');
      return `${path}: ${issue.message}`;
    })
    .join('; ');
}

/** Watermark placement without a watermark is almost surely a mistake (a typo'd or forgotten `wm`). */
function pairingProblems(input: Partial<RenditionSpec>, naming: Naming): string[] {
  if (input.watermark !== undefined) return [];
  return (['watermarkGravity', 'watermarkOpacity'] as const)
    .filter((field) => input[field] !== undefined)
    .map((field) => `${naming(field)}: only applies with ${naming('watermark')} (a watermark name)`);
}

/** Filters a spec uses, by their names in `renditionFilters`. */
export function filtersOf(spec: RenditionSpec): FilterName[] {
  const used: FilterName[] = [];
  if (spec.blur !== undefined) used.push('blur');
  if (spec.sharpen !== undefined) used.push('sharpen');
  if (spec.grayscale) used.push('grayscale');
  if (spec.normalize) used.push('normalize');
  for (const filter of ['brightness', 'saturation', 'hue', 'contrast', 'median', 'kernel'] as const) {
    if (spec[filter] !== undefined) used.push(filter);
  }
  return used;
}

function limitProblems(spec: RenditionSpec, limits: RenditionLimits, naming: Naming): string[] {
  const problems: string[] = [];
  if (spec.format !== 'auto' && !limits.formats.includes(spec.format)) {
    problems.push(`format: ${spec.format} is not allowed here (renditionFormats: ${limits.formats.join(', ')})`);
  }
  for (const filter of filtersOf(spec).filter((used) => !limits.filters.includes(used))) {
    const allowed = limits.filters.join(', ') || 'none';
    problems.push(`${filter}: the ${filter} filter is not allowed here (renditionFilters: ${allowed})`);
  }
  if (spec.watermark !== undefined && !limits.watermarks.includes(spec.watermark)) {
    const known = limits.watermarks.join(', ') || 'none is configured';
    problems.push(`${naming('watermark')}: no watermark named ${spec.watermark} (watermarks: ${known})`);
  }
  if (spec.dpr > limits.maxDpr) {
    problems.push(`dpr: ${spec.dpr} is over the largest this deployment allows (renditionMaxDpr ${limits.maxDpr})`);
  }
  for (const side of ['w', 'h'] as const) {
    const css = spec[side];
    if (css === undefined || Math.ceil(css * spec.dpr) <= limits.maxSide) continue;
    const device = spec.dpr === 1 ? '' : ` × dpr ${spec.dpr} = ${Math.ceil(css * spec.dpr)} px`;
    problems.push(
      `${side}: ${css} px${device} is over the largest side this deployment renders (renditionMaxSide ${limits.maxSide})`,
    );
  }
  return problems;
}
