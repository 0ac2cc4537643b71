import { readFileSync } from 'node:fs';
import path from 'node:path';
import { filtersOf, queryOf } from '../../../lambdas/images/functions/list-images/filters';
import { ListQuerySchema } from '../../../lambdas/images/functions/list-images/route';
import { FILTER_NAMES, SEARCH_FILTERS, type SearchFilter } from '../../../lambdas/search/filters';
import { requiredClauses, requiredTerms } from '../../../lambdas/search/query-clauses';
import { termsOf } from '../../../lambdas/search/terms';
import { searchableItem } from '../../support/items';
import { readOpenApi } from '../../support/openapi';

const FILTERS = Object.entries(SEARCH_FILTERS as Record<string, SearchFilter>);

/** A query string of `GET /images` as the list function parses it, down to the filters a search is given. */
function searched(query: Record<string, string[]>) {
  const {
    limit: _limit,
    owner: _owner,
    cursor: _cursor,
    sort: _sort,
    ...asked
  } = ListQuerySchema.parse(queryOf(query));
  return filtersOf(asked);
}

describe('the search filters (lambdas/search/filters.ts)', () => {
  it('read the terms indexing wrote: each term of an image, given as its filter, is the term the search reads', () => {
    const { terms } = termsOf(searchableItem());
    for (const [name, filter] of FILTERS) {
      if (filter.term === undefined) continue;
      const indexed = terms.filter((term) => term.startsWith(`${filter.term}=`));
      // searchableItem has something for every filter's term: a new one needs it there.
      expect({ name, indexed: indexed.length > 0 }).toEqual({ name, indexed: true });
      for (const term of indexed) {
        const filters = searched({ [name]: [term.slice(filter.term.length + 1)] });
        expect({ name, read: filters && requiredTerms(filters) }).toEqual({ name, read: [term] });
      }
    }
  });

  it("read the terms of their `also` too: a keyword of the photo's own, given as `tag=`, is a term the search reads", () => {
    const { terms } = termsOf(searchableItem());
    const also = FILTERS.filter(([, filter]) => filter.also !== undefined);
    expect(also.map(([name]) => name)).toEqual(['tag']);
    for (const [name, filter] of also) {
      const indexed = terms.filter((term) => term.startsWith(`${filter.also}=`));
      expect({ name, indexed: indexed.length > 0 }).toEqual({ name, indexed: true });
      for (const term of indexed) {
        const value = term.slice(`${filter.also}=`.length);
        const filters = searched({ [name]: [value] });
        expect({ name, read: filters && requiredClauses(filters) }).toEqual({
          name,
          read: [[`${filter.term}=${value}`, term]],
        });
      }
    }
  });

  it('offer only formats a processed image can have: no SVG, which the pipeline refuses', () => {
    expect(SEARCH_FILTERS.format.values).toEqual([
      ...['jpeg', 'png', 'webp', 'gif', 'avif', 'tiff', 'heic', 'jxl'],
      ...['dng', 'cr2', 'cr3', 'nef', 'arw', 'raf', 'orf'],
    ]);
    expect(ListQuerySchema.safeParse(queryOf({ format: ['svg'] })).success).toBe(false);
  });

  it('are each a query parameter of GET /images in the OpenAPI document, described and with their values', () => {
    const list = readOpenApi().paths['/images']?.get;
    for (const [name, filter] of FILTERS) {
      const parameter = list?.parameters?.find((one) => one.name === name && one.in === 'query');
      expect({ name, description: parameter?.description }).toEqual({ name, description: filter.description });
      if (filter.values) expect(JSON.stringify(parameter?.schema)).toContain(JSON.stringify(filter.values));
    }
  });

  it('each have a row in the table of docs/api.md, which names no other', () => {
    const api = readFileSync(path.join(__dirname, '../../../docs/api.md'), 'utf8');
    const section = api.slice(api.indexOf('## Search filters'), api.indexOf('\n## ', api.indexOf('## Search filters')));
    const rows = section.split('\n').filter((line) => line.startsWith('| `'));
    const named = rows.flatMap((row) => [...(row.split(' | ')[0] ?? '').matchAll(/`(\w+)`/g)].map((m) => m[1]));
    expect([...named].sort()).toEqual([...FILTER_NAMES].sort());
  });

  it('leave the search out when none is asked for, and give a list filter not asked for as empty', () => {
    expect(searched({ limit: ['5'] })).toBeUndefined();
    expect(searched({ color: ['red'] })).toEqual({
      label: [],
      object: [],
      text: [],
      q: [],
      tag: [],
      place: [],
      color: 'red',
    });
  });
});
