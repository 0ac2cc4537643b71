import { z } from 'zod';
import {
  COMPASS,
  FITS,
  type FilterName,
  KERNELS,
  largestOutputSide,
  OUTPUT_FORMATS,
  type RenditionSpec,
} from '../core/rendition';
import type { RenditionLimits, RenditionPreset, RenditionPresets } from '../settings/renditions';
import { BadRequestError } from '../shared/errors';

/**
 * Reading a rendition request, from the JSON body of `POST /images/{id}/renditions` or (through rendition-query.ts)
 * from the query string of a rendition URL `/<imageId>?...`, into one checked `RenditionSpec`. Pure: no AWS, no
 * image bytes. The grammar (docs/renditions.md has the same with examples):
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
/** A JSON spec larger than this is refused unread; the longest real spec is under 500 bytes. */
export const MAX_SPEC_BYTES = 2048;

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

/** How a field is named in messages: its JSON name, or its query parameter (rendition-query.ts). */
export type Naming = (field: string) => string;
const jsonName: Naming = (field) => field;

/** A JSON spec (`POST /images/{id}/renditions`, a preset) as a checked spec with its defaults filled in. */
export function parseRenditionSpec(
  input: unknown,
  limits: RenditionLimits,
  presets: RenditionPresets = {},
): RenditionSpec {
  return resolveSpec(input, limits, presets, jsonName);
}

/**
 * The request body as JSON, bounded before it is parsed: a 10 KB spec is a 400 unread. API Gateway passes binary
 * bodies base64-encoded, so their size is checked before decoding too.
 */
export function readSpecBody(body: string | null | undefined, isBase64Encoded = false): unknown {
  if (body === null || body === undefined || body === '') throw new BadRequestError('body: a JSON spec is required');
  const bytes = isBase64Encoded ? Math.floor((body.length * 3) / 4) : Buffer.byteLength(body);
  if (bytes > MAX_SPEC_BYTES) {
    throw new BadRequestError(`body: ${bytes} bytes, over the ${MAX_SPEC_BYTES} a rendition spec may take`);
  }
  try {
    return JSON.parse(isBase64Encoded ? Buffer.from(body, 'base64').toString('utf8') : body);
  } catch {
    throw new BadRequestError('body: not valid JSON');
  }
}

/** Both inputs' common path (the JSON body and rendition-query.ts): schema, preset, defaults, limits. */
export function resolveSpec(
  input: unknown,
  limits: RenditionLimits,
  presets: RenditionPresets,
  naming: Naming,
): RenditionSpec {
  const parsed = RenditionSpecInputSchema.safeParse(input);
  if (!parsed.success) throw new BadRequestError(issuesText(parsed.error, naming));
  const { preset, ...explicit } = parsed.data;
  let merged = explicit;
  if (preset !== undefined) {
    if (!Object.hasOwn(presets, preset)) {
      const known = Object.keys(presets).join(', ') || 'none is configured';
      throw new BadRequestError(`${naming('preset')}: no preset named ${preset} (presets: ${known})`);
    }
    const { eager: _eager, ...presetSpec } = presets[preset] as RenditionPreset;
    merged = { ...presetSpec, ...explicit };
  }
  const problems = pairingProblems(merged, naming);
  const spec: RenditionSpec = { ...RENDITION_DEFAULTS, ...merged };
  if (spec.hue !== undefined) spec.hue = ((spec.hue % 360) + 360) % 360;
  problems.push(...limitProblems(spec, limits, naming));
  if (problems.length > 0) throw new BadRequestError(problems.join('; '));
  return spec;
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

/** What only the image itself tells: a crop inside it, an output within the largest side, no animated watermark. */
export interface ImageCheck {
  /** The image has several frames (the record's `metadata.isAnimated`). */
  animated?: boolean;
  /** `renditionMaxSide`: checked against the output this spec makes from this image. */
  maxSide?: number;
}

/** Refuse, with a 400, a spec that cannot apply to a `width` x `height` image (oriented, as the record has it). */
export function checkAgainstImage(spec: RenditionSpec, width: number, height: number, check: ImageCheck = {}): void {
  const problems: string[] = [];
  const { crop } = spec;
  if (crop && crop.x + crop.w > width) {
    problems.push(`crop: x ${crop.x} + w ${crop.w} = ${crop.x + crop.w} is past the image's width of ${width} px`);
  }
  if (crop && crop.y + crop.h > height) {
    problems.push(`crop: y ${crop.y} + h ${crop.h} = ${crop.y + crop.h} is past the image's height of ${height} px`);
  }
  if (check.animated && spec.watermark !== undefined) {
    problems.push('watermark: not drawn on animated images, and this one is animated');
  }
  const side = largestOutputSide(spec, width, height);
  if (problems.length === 0 && check.maxSide !== undefined && side > check.maxSide) {
    problems.push(
      `w, h: this spec makes a ${side} px side from the ${width} × ${height} image, over the largest side ` +
        `this deployment renders (renditionMaxSide ${check.maxSide}): give a smaller w or h`,
    );
  }
  if (problems.length > 0) throw new BadRequestError(problems.join('; '));
}
