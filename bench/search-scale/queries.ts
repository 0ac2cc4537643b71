/**
 * The search side of the bench: representative `GET /images` queries of each shape, run through the list-images use
 * case as the API runs it (the query string parsed by its schema, the caller an API client's, the real search over
 * the search table), each checked against the ground truth and set beside a Scan of the records table that does the
 * same filtering with a FilterExpression.
 */

import { type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { filtersOf, queryOf } from '../../lambdas/images/functions/list-images/filters';
import { listImages, type ThumbnailLinks } from '../../lambdas/images/functions/list-images/list-images';
import { ListQuerySchema } from '../../lambdas/images/functions/list-images/route';
import { type SearchFilters, searchImages } from '../../lambdas/search/image-search';
import { wordFinds } from '../../lambdas/search/posting-match';
import { requiredTerms } from '../../lambdas/search/query-clauses';
import { prefixOf } from '../../lambdas/search/terms';
import type { ImageStore } from '../../lambdas/store/image-store';
import type { Caller } from '../../lambdas/store/owner';
import { median } from '../../test/support/stats';
import type { Catalogue } from './load';
import type { ReadCount } from './moto';

export const PAGE_SIZE = 20;

export type Params = Record<string, string | string[]>;
export interface Shape {
  shape: string;
  queries: Params[];
}

export interface Measure {
  requests: number;
  items: number;
  ms: number;
}

export interface SearchRow {
  shape: string;
  query: string;
  /** Images of the owner that match, in the whole library (the ground truth). */
  matches: number;
  returned: number;
  /** The page is exactly the truth's newest PAGE_SIZE. */
  correct: boolean;
  ours: Measure;
  /** Each `GET /images` request ours took: what it returned and the items it read (absent in older runs). */
  pages?: Array<{ returned: number; items: number }>;
  /** Absent when the run Scans only the first query of each shape (`--scans first`). */
  scanPage?: Measure & { found: number };
  scanFull?: Measure & { correct: boolean };
}

/** Where the requests are counted, and the use case's other ports. */
export interface QueryContext {
  document: DynamoDBDocumentClient;
  table: string;
  searchTable: string;
  store: ImageStore;
  links: ThumbnailLinks;
  caller: Caller;
  catalogue: Catalogue;
  /** Make the next requests count into a fresh tally and return it. */
  count: () => ReadCount;
}

export const queryString = (params: Params) =>
  Object.entries(params)
    .flatMap(([name, value]) => (Array.isArray(value) ? value : [value]).map((v) => `${name}=${v}`))
    .join('&');

function parse(params: Params) {
  const multi = Object.fromEntries(
    Object.entries(params).map(([name, value]) => [name, Array.isArray(value) ? value : [value]]),
  );
  return ListQuerySchema.parse(queryOf(multi));
}

/** The filters a query asks for, the status among them (what searchImages is given). */
function filtersAsked(params: Params): SearchFilters | undefined {
  const { status, limit: _limit, owner: _owner, cursor: _cursor, sort: _sort, ...asked } = parse(params);
  const filters = filtersOf(asked);
  return filters ? { ...filters, status } : undefined;
}

/** Every matching image of the owner, newest first, from the loader's in-memory postings. */
export function truthOf(params: Params, catalogue: Catalogue): number[] {
  const filters = filtersAsked(params) ?? {
    label: [],
    object: [],
    text: [],
    q: [],
    tag: [],
    place: [],
    status: parse(params).status,
  };
  const terms = requiredTerms(filters).map((term) => catalogue.terms.get(term) ?? []);
  // Each word of `q`: the images with a word it finds (a prefix of it, or two letters whole).
  for (const queried of filters.q) {
    const found = new Set<number>();
    for (const [word, images] of catalogue.words) if (wordFinds(queried, word)) for (const i of images) found.add(i);
    terms.push([...found].sort((a, b) => a - b));
  }
  const [first = [], ...rest] = [...terms].sort((a, b) => a.length - b.length);
  const others = rest.map((list) => new Set(list));
  return first
    .filter((index) => others.every((set) => set.has(index)))
    .filter((index) => filters.minFaces === undefined || (catalogue.faces[index] as number) >= filters.minFaces)
    .filter((index) => {
      const taken = catalogue.takenAt[index];
      if (filters.takenAfter !== undefined && !(taken && taken >= filters.takenAfter)) return false;
      return !(filters.takenBefore !== undefined && !(taken && taken <= filters.takenBefore));
    })
    .reverse();
}

async function timed<T>(context: QueryContext, run: () => Promise<T>): Promise<{ result: T; measure: Measure }> {
  const count = context.count();
  const started = performance.now();
  const result = await run();
  return { result, measure: { requests: count.requests, items: count.items, ms: performance.now() - started } };
}

/**
 * A page of matches through the use case, as a client gets it from `GET /images?<params>`: the first answer, and the
 * cursor followed while the answers come back short (a search page stops at its read allowance) until PAGE_SIZE
 * matches or the end. Each request's own items are kept, to check every page against its allowance.
 */
export async function ours(context: QueryContext, params: Params) {
  const started = performance.now();
  const items: Awaited<ReturnType<typeof listImages>>['items'] = [];
  const pages: Array<{ returned: number; items: number }> = [];
  let requests = 0;
  let cursor: string | undefined;
  do {
    const count = context.count();
    const page = await listImages(parse(cursor === undefined ? params : { ...params, cursor }), context.caller, {
      store: context.store,
      search: (search) => searchImages(context.document, context.searchTable, search),
      links: context.links,
    });
    items.push(...page.items);
    pages.push({ returned: page.items.length, items: count.items });
    requests += count.requests;
    cursor = page.cursor;
  } while (cursor !== undefined && items.length < PAGE_SIZE);
  const read = pages.reduce((sum, page) => sum + page.items, 0);
  return {
    result: { items: items.slice(0, PAGE_SIZE) },
    measure: { requests, items: read, ms: performance.now() - started },
    pages,
  };
}

/** The same filtering as a Scan of the records table: FilterExpression on the record's own attributes. */
export function scanFilter(owner: string, params: Params) {
  const names: Record<string, string> = { '#owner': 'owner' };
  const values: Record<string, unknown> = { ':owner': owner };
  const parts = ['#owner = :owner'];
  const filters = filtersAsked(params);
  if (!filters) {
    names['#status'] = 'status';
    values[':status'] = parse(params).status;
    parts.push('#status = :status');
    return {
      FilterExpression: parts.join(' AND '),
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    };
  }
  // The record lists its terms (indexedTerms): the same normalised values the filters are matched against. A word
  // of `q` is its prefix's term: what a FilterExpression can check (it finds a superset; the reads are the same).
  [...requiredTerms(filters), ...filters.q.map((word) => `prefix=${prefixOf(word)}`)]
    .filter((term) => term !== 'all')
    .forEach((term, i) => {
      values[`:t${i}`] = term;
      parts.push(`contains(indexedTerms, :t${i})`);
    });
  if (filters.minFaces !== undefined && filters.minFaces > 0) {
    // At least n faces: the list has an n-th element (moto cannot evaluate size() of a nested path).
    Object.assign(names, { '#vision': 'vision', '#faces': 'faces' });
    parts.push(`attribute_exists(#vision.#faces[${filters.minFaces - 1}])`);
  }
  const taken = '#analysis.#metadata.#exif.#takenAt';
  if (filters.takenAfter !== undefined || filters.takenBefore !== undefined) {
    Object.assign(names, { '#analysis': 'analysis', '#metadata': 'metadata', '#exif': 'exif', '#takenAt': 'takenAt' });
  }
  if (filters.takenAfter !== undefined) {
    values[':after'] = filters.takenAfter;
    parts.push(`${taken} >= :after`);
  }
  if (filters.takenBefore !== undefined) {
    values[':before'] = filters.takenBefore;
    parts.push(`${taken} <= :before`);
  }
  return { FilterExpression: parts.join(' AND '), ExpressionAttributeNames: names, ExpressionAttributeValues: values };
}

/**
 * Scan the records table with the filter: until `wanted` matches have come back (a page of them, in the table's
 * hash order, not newest first), or to the end (everything, which newest first needs) when `wanted` is undefined.
 */
export async function scan(context: QueryContext, params: Params, wanted?: number) {
  return timed(context, async () => {
    const ids: string[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await context.document.send(
        new ScanCommand({
          TableName: context.table,
          ...scanFilter(context.caller.owner, params),
          ExclusiveStartKey: startKey,
        }),
      );
      ids.push(...(page.Items ?? []).map((item) => item.imageId as string));
      startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined && (wanted === undefined || ids.length < wanted));
    return ids;
  });
}

/** Items read past which a query is run once, not `repeat` times. */
const EXPENSIVE = 2000;

/**
 * Run one query: ours `repeat` times (median time; the reads are the same every time, which is checked), the
 * Scan until a page of matches, and, when `full`, the whole Scan.
 */
export async function measureQuery(
  context: QueryContext,
  shape: string,
  params: Params,
  full: boolean,
  repeat = 3,
  withScan = true,
): Promise<SearchRow> {
  const truth = truthOf(params, context.catalogue)
    .slice(0, PAGE_SIZE)
    .map((index) => context.catalogue.ids[index]);
  const runs = [await ours(context, params)];
  // A query that reads thousands of postings takes long enough to time once.
  const times = (runs[0]?.measure.items ?? 0) > EXPENSIVE ? 1 : repeat;
  while (runs.length < times) runs.push(await ours(context, params));
  const last = runs.at(-1) as (typeof runs)[number];
  if (runs.some((run) => run.measure.items !== last.measure.items || run.measure.requests !== last.measure.requests)) {
    throw new Error(`${queryString(params)}: the same query read differently from one run to the next`);
  }
  const page = last.result.items.map((item) => item.imageId);
  const scanPage = withScan ? await scan(context, params, PAGE_SIZE) : undefined;
  const row: SearchRow = {
    shape,
    query: queryString(params),
    matches: truthOf(params, context.catalogue).length,
    returned: page.length,
    correct: page.join() === truth.join(),
    ours: { ...last.measure, ms: median(runs.map((run) => run.measure.ms)) },
    pages: last.pages,
    scanPage: scanPage && { ...scanPage.measure, found: scanPage.result.length },
  };
  if (full) {
    const everything = await scan(context, params);
    const newest = [...everything.result].sort().reverse().slice(0, PAGE_SIZE);
    row.scanFull = { ...everything.measure, correct: newest.join() === truth.join() };
  }
  return row;
}
