import { FILTER_NAMES, isRepeatable } from '../../../../lambdas/search/filters';

/*
 * The search API's filters come from the one description the API is made from (lambdas/search/filters.ts), bundled
 * at build time (plain data, no zod): the app's own URL carries them under the same names.
 */

/** The filters of the app's URL, as the API takes them (unknown parameters dropped). */
export function filtersOf(search: string): URLSearchParams {
  const from = new URLSearchParams(search);
  const to = new URLSearchParams();
  for (const name of FILTER_NAMES) {
    const values = from.getAll(name).filter((value) => value !== '');
    for (const value of isRepeatable(name) ? values : values.slice(0, 1)) to.append(name, value);
  }
  return to;
}
