import { z } from 'zod';
import { PERSON_ID_PATTERN } from '../../../people/contract';
import {
  FILTER_NAMES,
  type FilterName,
  type FilterValue,
  isList,
  isRepeatable,
  MAX_NAMES,
  MAX_TEXT_WORDS_QUERIED,
  SEARCH_FILTERS,
  type SearchFilter,
  type SearchFilters,
} from '../../../search/filters';
import { NAME_PATTERN, normalizeName, wordsOf } from '../../../search/terms';
import { BadRequestError } from '../../../shared/errors';

const name = z
  .string()
  .regex(NAME_PATTERN, "must be a name: letters, digits, spaces and ' . - (at most 64 characters)")
  .transform(normalizeName);
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
const oneOf = <T extends string>(values: readonly T[]) =>
  z.enum(values as [T, ...T[]], {
    error: `must be ${values.length === 2 ? `${values[0]} or ${values[1]}` : `one of ${values.join(', ')}`}`,
  });

/** The one parser of each kind of filter (search/filters.ts), the value's description for the OpenAPI document. */
function parserOf(filter: SearchFilter) {
  const parser = (() => {
    switch (filter.kind) {
      case 'names':
        return z.array(name).max(MAX_NAMES, `at most ${MAX_NAMES} ${filter.title.toLowerCase()}s`);
      case 'name':
        return name;
      case 'words':
      case 'query':
        return z
          .string()
          .max(200, 'must be at most 200 characters')
          .refine((text) => !/[\p{Cc}#"]/u.test(text), 'must not contain control characters, # or "')
          .transform((text) => wordsOf(text))
          .refine((words) => words.length > 0, 'must have a word of two letters or digits')
          .refine((words) => words.length <= MAX_TEXT_WORDS_QUERIED, `at most ${MAX_TEXT_WORDS_QUERIED} words`);
      case 'choice':
        return oneOf(filter.values ?? []);
      case 'count':
        return z
          .string()
          .regex(/^[0-9]{1,3}$/, `must be a whole number from 0 to ${filter.max}`)
          .transform(Number)
          .pipe(z.number().max(filter.max ?? 0, `must be at most ${filter.max}`));
      case 'flag':
        return oneOf(['true', 'false']).transform((value) => value === 'true');
      case 'date':
        return date(filter.bound === 'before');
      case 'id':
        return z.string().regex(PERSON_ID_PATTERN, 'must be a person id (letters and digits, at most 64)');
    }
  })();
  return parser.optional().meta({ description: filter.description });
}

type Parsers = { [K in FilterName]: z.ZodType<FilterValue<(typeof SEARCH_FILTERS)[K]> | undefined, unknown> };

/**
 * The search filters of `GET /images`, all optional, ANDed, one per entry of SEARCH_FILTERS but `status` (a list
 * parameter too: list-images.ts). Values are checked (a `#`, a quote, a control character or 10 KB is a 400 naming
 * the parameter), then normalised as the index is.
 */
const { status: statusParser, ...filterParsers } = Object.fromEntries(
  FILTER_NAMES.map((filterName) => [filterName, parserOf(SEARCH_FILTERS[filterName])]),
) as unknown as Parsers;
export const FilterShape = filterParsers;
export const StatusParameter = statusParser;

/** More distinct parameters than any real query has: refused before anything is parsed. */
const MAX_PARAMETERS = 30;

/** The query string as the schema takes it: repeatable parameters as arrays, any other given twice refused. */
export function queryOf(multi: Record<string, string[] | undefined>): Record<string, string | string[]> {
  const names = Object.keys(multi);
  if (names.length > MAX_PARAMETERS) {
    throw new BadRequestError(`query: ${names.length} parameters, at most ${MAX_PARAMETERS}`);
  }
  // From entries, not by assignment: `?__proto__=` would set the object's prototype and go unseen, not be refused.
  return Object.fromEntries(
    Object.entries(multi).flatMap(([name, values = []]): Array<[string, string | string[]]> => {
      if (isRepeatable(name)) return [[name, values]];
      if (values.length > 1) throw new BadRequestError(`${name}: given ${values.length} times, at most once`);
      return values[0] === undefined ? [] : [[name, values[0]]];
    }),
  );
}

type FilterInput = Partial<Record<keyof typeof FilterShape, unknown>>;

/** The filters asked for, or undefined when none is (a plain list); a list filter not asked for is empty. */
export function filtersOf(input: FilterInput): SearchFilters | undefined {
  const asked = Object.entries(input).filter(([, value]) => value !== undefined && !isEmptyList(value));
  if (asked.length === 0) return undefined;
  const lists = FILTER_NAMES.filter(isList).map((name) => [name, []]);
  return Object.fromEntries([...lists, ...asked]) as SearchFilters;
}

const isEmptyList = (value: unknown) => Array.isArray(value) && value.length === 0;
