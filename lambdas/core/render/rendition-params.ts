import type { z } from 'zod';
import {
  COMPASS,
  choice,
  FITS,
  flag,
  KERNELS,
  MEDIAN_SIZES,
  name,
  numberIn,
  OUTPUT_FORMATS,
  oneOf,
  pixels,
  RANGES,
  region,
  wholeIn,
} from './rendition-values';

/*
 * The parameters of a rendition, one row each: the one place a parameter is declared. Made from this table: the
 * spec's type and schema, defaults and filters (rendition.ts, rendition-spec.ts), the URL grammar's names, parser and
 * canonical form (renditions/query.ts), the edge function's list of names (through RENDITION_QUERY_NAMES), the
 * flags and --help of `image-intel render` (cli/render/flags.ts) and the OpenAPI document's fields
 * (create-rendition/route.ts). What a parameter does to the pixels is the renderer's (render*.ts).
 *
 * The rows are in canonical order: the order the API signs a spec's parameters in. URLs already signed hold the
 * existing ones in this order, so they keep it; a new row may go anywhere (no URL out there has it yet).
 */

/** How a value is written in a URL and on the command line; the schema checks what it reads as. */
export type ParamKind =
  /** On when given bare (`flip`) or as true/1, off as false/0; a bare `--flip` on the command line. */
  | 'flag'
  /** A number, as JavaScript writes it (`String(n)`, the shortest that reads back the same). */
  | 'number'
  /** A word, as given. */
  | 'text'
  /** `x,y,w,h`, whole pixels. */
  | 'region';

export interface RenditionParam {
  /** The value's type and limits, with the message a wrong value gets: the JSON body's, a preset's, the document's. */
  readonly schema: z.ZodType;
  readonly kind: ParamKind;
  /** The value when not given (none: absent from the spec). A value equal to it is left out of a URL. */
  readonly default?: unknown;
  /** The parameter's name in a rendition URL, where not the field's. */
  readonly query?: string;
  /** `image-intel render --<field in kebab-case>`: its value's placeholder (none for a flag) and its help. */
  readonly cli: { readonly value?: string; readonly help: string };
  /** What it does, for the OpenAPI document. */
  readonly description: string;
  /** A filter, which `renditionFilters` may leave out; used when given (a flag: when on). */
  readonly filter?: true;
  /** Only meaningful with another field given: refused without it, and left out of a URL without it. */
  readonly needs?: { readonly field: string; readonly what: string };
  /** The one value of several that make the same rendition, so that they get one URL and one stored object. */
  readonly canonical?: (value: never) => unknown;
}

const onOff = () => ({ schema: flag(), kind: 'flag', default: false }) as const;
const WITH_WATERMARK = { field: 'watermark', what: 'a watermark name' } as const;

export const RENDITION_PARAMS = {
  w: {
    schema: pixels(1),
    kind: 'number',
    cli: { value: 'px', help: 'width in CSS pixels (alone: the height keeps the aspect ratio)' },
    description: 'Output width in CSS pixels; alone, the height keeps the aspect ratio',
  },
  h: {
    schema: pixels(1),
    kind: 'number',
    cli: { value: 'px', help: 'height in CSS pixels (with --w: the box --fit fills)' },
    description: 'Output height in CSS pixels',
  },
  fit: {
    schema: choice(FITS),
    kind: 'text',
    default: 'cover',
    cli: { value: 'fit', help: 'cover, contain, fill, inside or outside (default cover)' },
    description: 'How the source fills a w x h box (default cover)',
  },
  dpr: {
    schema: numberIn(RANGES.dpr.min, RANGES.dpr.max),
    kind: 'number',
    default: 1,
    cli: { value: 'n', help: 'device pixel ratio 1-3: --w 400 --dpr 2 makes 800 pixels (default 1)' },
    description: 'Device pixel ratio: w=400, dpr=2 makes 800 pixels (default 1; at most renditionMaxDpr)',
  },
  enlarge: {
    ...onOff(),
    cli: { help: 'allow an output larger than the source (default: clamped to it)' },
    description: 'Allow an output larger than the source (default: clamped to it)',
  },
  gravity: {
    schema: choice([...COMPASS, 'smart'] as const),
    kind: 'text',
    default: 'center',
    cli: { value: 'gravity', help: 'what cover keeps: center (default), north, ..., northwest, or smart' },
    description: 'What cover keeps; smart: the faces, else the objects found, else the most salient part',
  },
  crop: {
    schema: region(),
    kind: 'region',
    cli: { value: 'x,y,w,h', help: 'a region of the original, in its pixels, cut before resizing' },
    description: 'A region of the original (as oriented), in its pixels, cut before resizing',
  },
  rotate: {
    schema: oneOf([0, 90, 180, 270], '0, 90, 180 or 270'),
    kind: 'number',
    default: 0,
    cli: { value: 'degrees', help: '0, 90, 180 or 270, before resizing' },
    description: 'Degrees, before resizing: w and h are the turned output’s',
  },
  flip: { ...onOff(), cli: { help: 'mirror top to bottom' }, description: 'Mirror top to bottom' },
  flop: { ...onOff(), cli: { help: 'mirror left to right' }, description: 'Mirror left to right' },
  blur: {
    schema: numberIn(RANGES.blur.min, RANGES.blur.max),
    kind: 'number',
    filter: true,
    cli: { value: 'sigma', help: 'Gaussian blur, sigma 0.3-100' },
    description: 'Gaussian blur sigma',
  },
  sharpen: {
    schema: numberIn(RANGES.sharpen.min, RANGES.sharpen.max),
    kind: 'number',
    filter: true,
    cli: { value: 'sigma', help: 'unsharp mask, sigma 0.5-10' },
    description: 'Unsharp mask sigma',
  },
  median: {
    schema: oneOf(MEDIAN_SIZES, 'an odd whole number from 3 to 9'),
    kind: 'number',
    filter: true,
    cli: { value: 'size', help: 'median filter of size 3, 5, 7 or 9' },
    description: 'Median filter size (noise removal)',
  },
  kernel: {
    schema: choice(KERNELS),
    kind: 'text',
    filter: true,
    cli: { value: 'kernel', help: 'edge, emboss or contour' },
    description: 'A 3x3 convolution',
  },
  grayscale: { ...onOff(), filter: true, cli: { help: 'grey levels' }, description: 'Grey levels' },
  normalize: {
    ...onOff(),
    filter: true,
    cli: { help: 'stretch the contrast to the full range' },
    description: 'Stretch the contrast to the full range',
  },
  brightness: {
    schema: numberIn(RANGES.brightness.min, RANGES.brightness.max),
    kind: 'number',
    filter: true,
    cli: { value: 'x', help: 'multiplier 0-4 (1: unchanged)' },
    description: 'Multiplier (1: unchanged)',
  },
  saturation: {
    schema: numberIn(RANGES.saturation.min, RANGES.saturation.max),
    kind: 'number',
    filter: true,
    cli: { value: 'x', help: 'multiplier 0-4 (1: unchanged)' },
    description: 'Multiplier (1: unchanged)',
  },
  hue: {
    // Whole degrees: sharp's modulate takes an integer hue.
    schema: wholeIn(RANGES.hue.min, RANGES.hue.max, ' degrees'),
    kind: 'number',
    filter: true,
    canonical: (degrees: number) => ((degrees % 360) + 360) % 360,
    cli: { value: 'degrees', help: 'hue rotation, whole degrees -360 to 360' },
    description: 'Hue rotation in degrees, stored modulo 360',
  },
  contrast: {
    schema: numberIn(RANGES.contrast.min, RANGES.contrast.max),
    kind: 'number',
    filter: true,
    cli: { value: 'x', help: 'multiplier 0-4 (1: unchanged)' },
    description: 'Multiplier (1: unchanged)',
  },
  watermark: {
    schema: name('watermark'),
    kind: 'text',
    query: 'wm',
    // The command line has no configured watermarks: it draws a file, or a text (--watermark-text).
    cli: { value: 'file', help: 'an image drawn as the watermark (PNG or WebP keep their transparency)' },
    description: 'A configured watermark (`watermarks` setting); not on animated images',
  },
  watermarkGravity: {
    schema: choice(COMPASS),
    kind: 'text',
    default: 'southeast',
    query: 'wmg',
    needs: WITH_WATERMARK,
    cli: { value: 'gravity', help: 'where the watermark goes: a compass gravity (default southeast)' },
    description: 'Where the watermark goes (default southeast)',
  },
  watermarkOpacity: {
    schema: numberIn(RANGES.watermarkOpacity.min, RANGES.watermarkOpacity.max),
    kind: 'number',
    default: 0.5,
    query: 'wmo',
    needs: WITH_WATERMARK,
    cli: { value: 'x', help: "the watermark's opacity 0-1 (default 0.5)" },
    description: 'The watermark’s opacity (default 0.5)',
  },
  format: {
    schema: choice([...OUTPUT_FORMATS, 'auto'] as const),
    kind: 'text',
    default: 'auto',
    cli: { value: 'format', help: "jpeg, png, webp, avif or auto (default: the output's extension, else auto)" },
    description: 'auto (default): AVIF, else WebP, as the Accept header allows, else JPEG (PNG with alpha)',
  },
  q: {
    schema: wholeIn(RANGES.q.min, RANGES.q.max),
    kind: 'number',
    cli: { value: 'quality', help: "encoder quality 1-100 (default: the format's)" },
    description: "Encoder quality (default: the format's)",
  },
  // Not a field of the spec: the name of one to start from, expanded before the spec is checked.
  preset: {
    schema: name('preset'),
    kind: 'text',
    cli: { value: 'name', help: 'start from a preset (card, hero, avatar); the other flags override it' },
    description: 'A configured preset (`renditionPresets`) to start from; the other fields override it',
  },
} as const satisfies Record<string, RenditionParam>;

export type ParamName = keyof typeof RENDITION_PARAMS;
/** The rows of the spec's own fields: every parameter but `preset`. */
export type SpecParams = Omit<typeof RENDITION_PARAMS, 'preset'>;
export type SpecField = keyof SpecParams;

/** Every parameter's row, in canonical order. */
export const PARAM_ENTRIES = Object.entries(RENDITION_PARAMS) as [ParamName, RenditionParam][];
/** The spec's fields, in canonical order. */
export const SPEC_FIELDS = PARAM_ENTRIES.map(([field]) => field).filter((field) => field !== 'preset') as SpecField[];

/** A parameter's name in a rendition URL. */
export const queryNameOf = (field: string): string =>
  (RENDITION_PARAMS as Record<string, RenditionParam>)[field]?.query ?? field;
