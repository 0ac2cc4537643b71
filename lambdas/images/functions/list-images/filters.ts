import { FILTER_NAMES, isList, isRepeatable, type SearchFilters } from '../../../search/filters';
import { BadRequestError } from '../../../shared/errors';
import type { FilterShape } from './route';

/*
 * The query string of `GET /images` as the list reads it: its parameters gathered as the query schema takes them
 * (the schema, and each filter's parser, are the route's: route.ts), and the search filters asked for.
 */

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
