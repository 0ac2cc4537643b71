import { createHash } from 'node:crypto';
import { z } from 'zod';
import {
  COMPASS,
  FITS,
  type FilterName,
  KERNELS,
  largestOutputSide,
  OUTPUT_FORMATS,
  type OutputFormat,
  type RenditionSpec,
  type RequestedFormat,
} from '../core/rendition';
import { textWatermarkProblem } from '../core/text-fold';
import { BadRequestError } from './errors';
import type { DeploymentSettings } from './settings';

/**
 * Reading a rendition request, from the JSON body of `POST /images/{id}/renditions` or from the query string of a
 * rendition URL `/<imageId>?...`, into one checked `RenditionSpec`; its canonical query, storage key and output
 * format. Pure: no AWS, no image bytes. The grammar (docs/renditions.md has the same with examples):
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
/** A query longer than this is refused unparsed; a canonical query with every parameter is under 400. */
export const MAX_QUERY_CHARS = 1024;
export const RENDITION_PREFIX = 'renditions/';

type SpecField = keyof RenditionSpec;

/**
 * Each field's query parameter, in canonical order (`canonicalQuery` writes them so). A record of every field, so
 * a field added to `RenditionSpec` does not compile until it has a parameter.
 */
const QUERY_NAME: Record<SpecField, string> = {
  w: 'w',
  h: 'h',
  fit: 'fit',
  dpr: 'dpr',
  enlarge: 'enlarge',
  gravity: 'gravity',
  crop: 'crop',
  rotate: 'rotate',
  flip: 'flip',
  flop: 'flop',
  blur: 'blur',
  sharpen: 'sharpen',
  median: 'median',
  kernel: 'kernel',
  grayscale: 'grayscale',
  normalize: 'normalize',
  brightness: 'brightness',
  saturation: 'saturation',
  hue: 'hue',
  contrast: 'contrast',
  watermark: 'wm',
  watermarkGravity: 'wmg',
  watermarkOpacity: 'wmo',
  format: 'format',
  q: 'q',
};
const CANONICAL_ORDER = Object.keys(QUERY_NAME) as SpecField[];
const queryName = (field: string): string => QUERY_NAME[field as SpecField] ?? field;

/** Every parameter of the grammar, for the CloudFront cache policy's query string allowlist. */
export const RENDITION_QUERY_NAMES: readonly string[] = [...CANONICAL_ORDER.map(queryName), 'preset'];
/** The signature's parameters (rendition-signing.ts), which the spec parser skips. */
export const SIGNATURE_QUERY_NAMES = ['exp', 'kid', 'sig'] as const;

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
const quoted = (value: string) => JSON.stringify(value.length > 20 ? `${value.slice(0, 20)}...` : value);

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
const flag = () => z.boolean({ error: expected('must be true or false') });
const name = (what: string) =>
  z
    .string({ error: expected(`must be a ${what} name`) })
    .regex(RENDITION_NAME_PATTERN, `must be a ${what} name: a lowercase letter, then up to 31 letters, digits or -`);

/** A strict object whose unknown keys are a 400 naming them and the known ones (a few, not a 10 KB list). */
const strict = <T extends z.ZodRawShape>(shape: T) =>
  z.strictObject(shape, {
    error: (issue) => {
      if (issue.code === 'invalid_type') return 'must be a JSON object';
      if (issue.code !== 'unrecognized_keys') return undefined;
      const shown = issue.keys.slice(0, 5).map((key) => JSON.stringify(key.slice(0, 40)));
      const more = issue.keys.length > 5 ? ` and ${issue.keys.length - 5} more` : '';
      return `unknown field ${shown.join(', ')}${more} (known: ${Object.keys(shape).join(', ')})`;
    },
  });

const SPEC_SHAPE = {
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

const PresetSchema = strict({
  ...SPEC_SHAPE,
  /** Made by the processor at ingest, in the same decode as the thumbnails; needs a fixed format. */
  eager: flag().optional(),
});
export type RenditionPreset = z.output<typeof PresetSchema>;
const MAX_PRESETS = 16;

/** Named specs (`renditionPresets`); each gets a signed URL in `GET /images/{id}`, hence the cap. */
export const RenditionPresetsSchema = z
  .record(name('preset'), PresetSchema)
  .refine((presets) => Object.keys(presets).length <= MAX_PRESETS, `at most ${MAX_PRESETS} presets`);
export type RenditionPresets = z.output<typeof RenditionPresetsSchema>;

/**
 * A watermark: a text, or an image file (PNG or WebP, for their alpha) given relative to the project, bundled
 * with the functions. No SVG: the pipeline refuses SVG as unsafe to rasterise, watermarks included.
 */
const WatermarkSchema = strict({
  text: z
    .string({ error: 'must be a text' })
    .regex(/^[^\p{Cc}]{1,100}$/u, 'must be 1 to 100 characters, no control characters')
    .optional(),
  image: z
    .string({ error: 'must be a path' })
    .regex(
      /^([\w-][\w.-]*\/)*[\w-][\w.-]*\.(png|webp)$/,
      'must be a .png or .webp path relative to the project, such as assets/logo.png (no .., no leading /)',
    )
    .optional(),
}).refine((mark) => (mark.text === undefined) !== (mark.image === undefined), 'give either text or image');
export type WatermarkSetting = z.output<typeof WatermarkSchema>;

/** Configured watermarks by name (`watermarks`), which `wm=` refers to. */
export const WatermarksSchema = z
  .record(name('watermark'), WatermarkSchema)
  .refine((marks) => Object.keys(marks).length <= MAX_PRESETS, `at most ${MAX_PRESETS} watermarks`);

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

export function renditionLimitsOf(
  settings: Pick<
    DeploymentSettings,
    'renditionMaxSide' | 'renditionMaxDpr' | 'renditionFormats' | 'renditionFilters' | 'watermarks'
  >,
): RenditionLimits {
  return {
    maxSide: settings.renditionMaxSide,
    maxDpr: settings.renditionMaxDpr,
    formats: settings.renditionFormats,
    filters: settings.renditionFilters,
    watermarks: Object.keys(settings.watermarks),
  };
}

type Naming = (field: string) => string;
const jsonName: Naming = (field) => field;

/** A JSON spec (`POST /images/{id}/renditions`, a preset) as a checked spec with its defaults filled in. */
export function parseRenditionSpec(
  input: unknown,
  limits: RenditionLimits,
  presets: RenditionPresets = {},
): RenditionSpec {
  return resolve(input, limits, presets, jsonName);
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

/**
 * A rendition URL's query (the string after `?`, or its parameters) as a checked spec. A `preset` is expanded
 * first and every other parameter overrides its value (`preset=card&format=avif` is the card in AVIF). The
 * signature's parameters are skipped: verifying them is rendition-signing.ts's.
 */
export function specFromQuery(
  params: string | URLSearchParams,
  limits: RenditionLimits,
  presets: RenditionPresets = {},
): RenditionSpec {
  if (typeof params === 'string' && params.length > MAX_QUERY_CHARS) {
    throw new BadRequestError(`query: ${params.length} characters, over the ${MAX_QUERY_CHARS} a rendition takes`);
  }
  const search = typeof params === 'string' ? new URLSearchParams(params.replace(/^\?/, '')) : params;
  return resolve(queryInput(search), limits, presets, queryName);
}

const FLAG_FIELDS = new Set(['enlarge', 'flip', 'flop', 'grayscale', 'normalize']);
const TEXT_FIELDS = new Set(['fit', 'gravity', 'format', 'kernel', 'watermark', 'watermarkGravity', 'preset']);
const FIELD_OF = new Map([...CANONICAL_ORDER, 'preset'].map((field) => [queryName(field), field]));
const SKIPPED = new Set<string>(SIGNATURE_QUERY_NAMES);
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** Query parameters as the JSON spec's fields and types, so both go through one schema and one set of messages. */
function queryInput(search: URLSearchParams): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const [param, value] of search) {
    if (SKIPPED.has(param)) continue;
    const field = FIELD_OF.get(param);
    if (field === undefined) {
      problems.push(`${quoted(param)}: unknown parameter (known: ${RENDITION_QUERY_NAMES.join(', ')})`);
      if (problems.length > 5) break;
      continue;
    }
    if (seen.has(param)) problems.push(`${param}: given more than once`);
    seen.add(param);
    const converted = queryValue(field, value);
    if (typeof converted === 'object' && converted !== null && 'problem' in converted) {
      problems.push(`${param}: ${converted.problem}, got ${quoted(value)}`);
    } else input[field] = converted;
  }
  if (problems.length > 0) throw new BadRequestError(problems.join('; '));
  return input;
}

function queryValue(field: string, value: string): unknown {
  if (FLAG_FIELDS.has(field)) {
    if (value === '' || value === 'true' || value === '1') return true;
    if (value === 'false' || value === '0') return false;
    return { problem: 'must be given bare, or as true, false, 1 or 0' };
  }
  if (TEXT_FIELDS.has(field)) return value;
  if (field === 'crop') {
    const parts = value.split(',');
    if (parts.length !== 4 || !parts.every((part) => /^\d{1,9}$/.test(part))) {
      return { problem: 'must be x,y,w,h: four whole numbers of pixels' };
    }
    const [x, y, w, h] = parts.map(Number);
    return { x, y, w, h };
  }
  return NUMBER.test(value) ? Number(value) : { problem: 'must be a number' };
}

/** Both inputs' common path: schema, preset, defaults, then the deployment's limits. */
function resolve(input: unknown, limits: RenditionLimits, presets: RenditionPresets, naming: Naming): RenditionSpec {
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

/**
 * The spec in one spelling: parameters in a fixed order, defaults left out, numbers as `String(n)` writes them
 * (the shortest text that reads back as the same number). Two URLs for one rendition give one string, so one
 * signature, one cache entry and one stored object; `specFromQuery` reads it back to the same spec.
 */
export function canonicalQuery(spec: RenditionSpec): string {
  const parts: string[] = [];
  const defaults: Partial<Record<SpecField, unknown>> = RENDITION_DEFAULTS;
  for (const field of CANONICAL_ORDER) {
    const value = spec[field];
    if (value === undefined || value === defaults[field]) continue;
    if (field.startsWith('watermark') && spec.watermark === undefined) continue;
    const param = queryName(field);
    if (value === true) parts.push(param);
    else if (typeof value === 'object') parts.push(`${param}=${value.x},${value.y},${value.w},${value.h}`);
    else parts.push(`${param}=${encodeURIComponent(String(value))}`);
  }
  return parts.join('&');
}

const ALPHA_ORDER: readonly OutputFormat[] = ['avif', 'webp', 'png', 'jpeg'];
const OPAQUE_ORDER: readonly OutputFormat[] = ['avif', 'webp', 'jpeg', 'png'];
const NEEDS_ACCEPT = new Set<OutputFormat>(['avif', 'webp']);

/**
 * The format of an `auto` request: AVIF if the client names `image/avif` with q > 0 and the deployment allows it,
 * else WebP likewise, else JPEG, which every client decodes. Only an explicit type counts, not `image/*` or
 * `*\/*`: curl and old browsers send those and cannot decode AVIF (Serverless Image Handler's auto-WebP and
 * imgproxy read Accept the same way). A source with alpha falls back to PNG before JPEG: JPEG would flatten a
 * transparent logo onto a box, and a correct larger file beats a wrong smaller one.
 */
export function negotiateFormat(
  requested: RequestedFormat,
  acceptHeader: string | undefined,
  allowedFormats: readonly OutputFormat[],
  hasAlpha = false,
): OutputFormat {
  if (requested !== 'auto') return requested;
  const accepted = acceptedTypes(acceptHeader ?? '');
  const order = hasAlpha ? ALPHA_ORDER : OPAQUE_ORDER;
  const allowed = order.filter((format) => allowedFormats.includes(format));
  const best = allowed.find((format) => !NEEDS_ACCEPT.has(format) || accepted.has(`image/${format}`));
  return best ?? allowed[0] ?? 'jpeg';
}

/** Media types named in an Accept header with a non-zero q (a header is short; a long one is read to 2 KB). */
function acceptedTypes(header: string): Set<string> {
  const types = new Set<string>();
  for (const range of header.slice(0, 2048).split(',')) {
    const [type = '', ...params] = range.split(';').map((part) => part.trim().toLowerCase());
    const q = params.find((param) => param.startsWith('q='));
    if (q === undefined || Number(q.slice(2)) > 0) types.add(type);
  }
  return types;
}

const EXTENSIONS: Record<OutputFormat, string> = { jpeg: 'jpg', png: 'png', webp: 'webp', avif: 'avif' };

/** Where every rendition of an image is stored: deleting the image deletes this prefix. */
export function renditionPrefix(imageId: string): string {
  return `${RENDITION_PREFIX}${imageId}/`;
}

/**
 * `renditions/<imageId>/<16 hex>.<ext>`: the first 64 bits of the SHA-256 of the canonical query with the
 * negotiated format in place of the requested one, so `format=auto` served as WebP and `format=webp` share one
 * stored object, and every edge location's miss finds it. `version` (the original's SHA-256) is hashed in too: a
 * new upload under the same id gets new keys, so no rendition of the earlier picture is ever served for it.
 */
export function renditionKey(imageId: string, spec: RenditionSpec, format: OutputFormat, version?: string): string {
  const hash = createHash('sha256')
    .update(canonicalQuery({ ...spec, format }))
    .update(version === undefined ? '' : `\n${version}`)
    .digest('hex')
    .slice(0, 16);
  return `${renditionPrefix(imageId)}${hash}.${EXTENSIONS[format]}`;
}

/** Presets that fail the deployment's own limits, or are eager without a fixed format, as `cdk synth` reports. */
export function renditionSettingsProblems(settings: DeploymentSettings): string[] {
  const limits = renditionLimitsOf(settings);
  const problems: string[] = [];
  for (const [preset, { eager, ...spec }] of Object.entries(settings.renditionPresets)) {
    try {
      parseRenditionSpec(spec, limits);
    } catch (error) {
      problems.push(`renditionPresets.${preset}: ${(error as Error).message}`);
    }
    if (eager && (spec.format ?? 'auto') === 'auto') {
      problems.push(`renditionPresets.${preset}: an eager preset needs a format (no Accept header at ingest)`);
    }
  }
  for (const [name, mark] of Object.entries(settings.watermarks)) {
    const problem = mark.text === undefined ? undefined : textWatermarkProblem(mark.text);
    if (problem) problems.push(`watermarks.${name}: ${problem}`);
  }
  return problems;
}
