import { z } from 'zod';
import { ImageFormatSchema } from '../../core/record';
import type { SearchFilters } from '../../search/image-search';
import { COLOR_NAMES, NAME_PATTERN, normalizeName, wordsOf } from '../../search/terms';
import { BadRequestError } from '../../shared/errors';

export const MAX_LABELS = 10;
export const MAX_TEXT_WORDS_QUERIED = 10;

const name = z
  .string()
  .regex(NAME_PATTERN, "must be a name: letters, digits, spaces and ' . - (at most 64 characters)")
  .transform(normalizeName);
const names = (what: string) => z.array(name).max(MAX_LABELS, `at most ${MAX_LABELS} ${what}`);
const flag = z.enum(['true', 'false'], { error: 'must be true or false' }).transform((value) => value === 'true');
/** `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM:SS`, as EXIF dates are kept (the camera's local time). */
const date = (endOfDay: boolean) =>
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2})?$/, 'must be a date, YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS')
    .refine((value) => {
      // Round-tripped, so 2024-02-30 (which Date would roll over to March) is refused.
      const full = value.length === 10 ? `${value}T00:00:00` : value;
      const parsed = new Date(`${full}Z`);
      return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 19) === full;
    }, 'is not a real date')
    .transform((value) => (value.length === 10 ? `${value}T${endOfDay ? '23:59:59' : '00:00:00'}` : value));

/**
 * The search filters of `GET /images`, all optional, ANDed. `label` and `object` may repeat. Values are checked
 * (a `#`, a quote, a control character or 10 KB is a 400 naming the parameter), then normalised as the index is.
 */
export const FilterShape = {
  label: names('labels').optional(),
  object: names('objects').optional(),
  text: z
    .string()
    .max(200, 'must be at most 200 characters')
    .refine((text) => !/[\p{Cc}#"]/u.test(text), 'must not contain control characters, # or "')
    .transform((text) => wordsOf(text))
    .refine((words) => words.length > 0, 'must have a word of two letters or digits')
    .refine((words) => words.length <= MAX_TEXT_WORDS_QUERIED, `at most ${MAX_TEXT_WORDS_QUERIED} words`)
    .optional(),
  color: z.enum(COLOR_NAMES, { error: `must be one of ${COLOR_NAMES.join(', ')}` }).optional(),
  minFaces: z
    .string()
    .regex(/^[0-9]{1,3}$/, 'must be a whole number from 0 to 100')
    .transform(Number)
    .pipe(z.number().max(100, 'must be at most 100'))
    .optional(),
  flagged: flag.optional(),
  format: z
    .enum(ImageFormatSchema.options, { error: `must be one of ${ImageFormatSchema.options.join(', ')}` })
    .optional(),
  orientation: z
    .enum(['landscape', 'portrait', 'square'], { error: 'must be landscape, portrait or square' })
    .optional(),
  takenAfter: date(false).optional(),
  takenBefore: date(true).optional(),
  camera: name.optional(),
  labelSource: z.enum(['model', 'user'], { error: 'must be model or user' }).optional(),
};

/** Parameters that may repeat (`label=cat&label=dog`); any other given twice is a 400. */
export const REPEATABLE = new Set(['label', 'object']);

/** More distinct parameters than any real query has: refused before anything is parsed. */
const MAX_PARAMETERS = 30;

/** The query string as the schema takes it: repeatable parameters as arrays, any other given twice refused. */
export function queryOf(multi: Record<string, string[] | undefined>): Record<string, string | string[]> {
  const names = Object.keys(multi);
  if (names.length > MAX_PARAMETERS) {
    throw new BadRequestError(`query: ${names.length} parameters, at most ${MAX_PARAMETERS}`);
  }
  const query: Record<string, string | string[]> = {};
  for (const [name, values = []] of Object.entries(multi)) {
    if (REPEATABLE.has(name)) query[name] = values;
    else if (values.length > 1) throw new BadRequestError(`${name}: given ${values.length} times, at most once`);
    else if (values[0] !== undefined) query[name] = values[0];
  }
  return query;
}

type FilterInput = { [K in keyof typeof FilterShape]?: z.output<(typeof FilterShape)[K]> };

/** The filters asked for, or undefined when none is (a plain list). */
export function filtersOf(input: FilterInput): SearchFilters | undefined {
  const { label, object, text, ...rest } = input;
  const asked = label?.length || object?.length || text?.length || Object.values(rest).some((v) => v !== undefined);
  if (!asked) return undefined;
  return { ...rest, labels: label ?? [], objects: object ?? [], words: text ?? [] };
}
