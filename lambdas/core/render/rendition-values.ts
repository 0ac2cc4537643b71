import { z } from 'zod';
import type { COMPASS, FITS, KERNELS, OUTPUT_FORMATS } from './rendition-words';

/*
 * The values a rendition parameter takes (rendition-params.ts): the word lists and ranges (plain data, in
 * rendition-words.ts, which the web app bundles), and the zod schemas whose messages say what a field takes and, for
 * a value of the wrong type, what came instead. Every input of a spec (a JSON body, a
 * preset, a URL, the command line) is checked by these, so each problem reads the same wherever it was made.
 */

export { COMPASS, FITS, KERNELS, MEDIAN_SIZES, OUTPUT_FORMATS, RANGES } from './rendition-words';

export type Fit = (typeof FITS)[number];
export type Compass = (typeof COMPASS)[number];
/** `smart`: faces first, then objects, then sharp's attention strategy. */
export type Gravity = Compass | 'smart';
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];
/** `auto`: the best format the client's Accept header allows. */
export type RequestedFormat = OutputFormat | 'auto';
export type Kernel = (typeof KERNELS)[number];

/** Preset and watermark names: short, lowercase, safe in a URL and as an object key. */
export const RENDITION_NAME_PATTERN = /^[a-z][a-z0-9-]{0,31}$/;

const expected = (text: string) => (issue: { code: string; input?: unknown }) =>
  issue.code === 'invalid_type' ? `${text}, got ${kindOf(issue.input)}` : text;
function kindOf(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the text ${quoted(value)}`;
  return typeof value === 'number' ? String(value) : `a ${typeof value}`;
}
/** A value as a message shows it: quoted, and cut at 20 characters. */
export const quoted = (value: string) => JSON.stringify(value.length > 20 ? `${value.slice(0, 20)}...` : value);

export const numberIn = (min: number, max: number, unit = '') => {
  const text = `must be a number from ${min} to ${max}${unit}`;
  return z
    .number({ error: expected(text) })
    .min(min, text)
    .max(max, text);
};
export const wholeIn = (min: number, max: number, unit = '') => {
  const text = `must be a whole number from ${min} to ${max}${unit}`;
  return z
    .number({ error: expected(text) })
    .int(text)
    .min(min, text)
    .max(max, text);
};
export const pixels = (min: 0 | 1) => {
  const text = `must be a whole number of pixels, at least ${min}`;
  return z
    .number({ error: expected(text) })
    .int(text)
    .min(min, text);
};
/** One of a few numbers, as `what` says them (`must be 0, 90, 180 or 270`). */
export const oneOf = <const T extends readonly [number, ...number[]]>(values: T, what: string) =>
  z.literal(values, { error: expected(`must be ${what}`) });
export const choice = <T extends readonly [string, ...string[]]>(values: T) =>
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

/** A region in the original's pixels (after EXIF orientation, as the record's width and height are). */
export const region = () => strict({ x: pixels(0), y: pixels(0), w: pixels(1), h: pixels(1) });
export type PixelRegion = z.output<ReturnType<typeof region>>;

/** What a region written as text (`x,y,w,h`, in a URL or on the command line) must be. */
export const REGION_TEXT = 'must be x,y,w,h: four whole numbers of pixels';

/** `x,y,w,h` as a region for the schema to check, or undefined if it is not four whole numbers. */
export function regionFromText(text: string): PixelRegion | undefined {
  const parts = text.split(',');
  if (parts.length !== 4 || !parts.every((part) => /^\d{1,9}$/.test(part))) return undefined;
  const [x = 0, y = 0, w = 0, h = 0] = parts.map(Number);
  return { x, y, w, h };
}
