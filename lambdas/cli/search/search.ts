import { FILTER_NAMES, type FilterKind, isRepeatable, SEARCH_FILTERS, type SearchFilter } from '../../search/filters';
import { failureOf, ImageApiClient, type ListQuery } from '../api-client';
import { mapInOrder } from '../inputs';

export interface SearchFlags {
  api: string;
  apiKey?: string;
  token?: string;
  /** At most this many records printed; every match when not given. */
  limit?: number;
  /** Print the list's items as they come, without a `GET /images/{id}` per image. */
  summary?: boolean;
  /** `X-Unlock-Token`, which `locked=true` needs (the locked folder). */
  unlockToken?: string;
}

/** A `key=value` filter from the command line, split at the first `=`. */
export type Filter = readonly [name: string, value: string];

/** `search`'s exit codes: every match was printed (maybe none), the API refused or failed, or the command line was wrong. */
export const SEARCH_EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** How a filter's value is written in the help, by its kind (search/filters.ts). */
const PLACEHOLDERS: Record<FilterKind, string> = {
  names: '<name>',
  name: '<name>',
  words: '<words>',
  query: '<words>',
  choice: '<value>',
  count: '<n>',
  flag: 'true|false',
  date: 'YYYY-MM-DD',
  id: '<id>',
};

/** A filter's line of the help: its key=value, then what it means and the values it takes, wrapped. */
function filterHelp(name: string, filter: SearchFilter): string {
  const values = filter.kind === 'choice' ? `; one of ${(filter.values ?? []).join(', ')}` : '';
  const usage = `  ${name}=${PLACEHOLDERS[filter.kind]}`;
  const lines = wrap(`${filter.description}${values}`, 76 - HELP_INDENT);
  const first = usage.length < HELP_INDENT ? usage.padEnd(HELP_INDENT) : `${usage}\n${' '.repeat(HELP_INDENT)}`;
  return first + lines.join(`\n${' '.repeat(HELP_INDENT)}`);
}
const HELP_INDENT = 28;

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const word of text.split(' ')) {
    const last = lines.length - 1;
    if (last >= 0 && (lines[last] as string).length + word.length < width) lines[last] += ` ${word}`;
    else lines.push(word);
  }
  return lines;
}

/** The filters, from the description the API's query schema is made from, then the exit codes. */
export const SEARCH_EXIT_HELP = `
Words without = are one search box (q=): "dog beach" finds the images with a
word beginning with dog and one beginning with beach, in any of their fields.
Filters are the query parameters of GET /images, as key=value, e.g. label=cat
color=red text="opening hours" (docs/api.md "Search filters"); ${FILTER_NAMES.filter(isRepeatable).join(', ')}
may repeat. Admins may add owner=<id>.

${FILTER_NAMES.map((name) => filterHelp(name, SEARCH_FILTERS[name])).join('\n')}

Exit codes:
  0  every matching image was printed (none, when nothing matches: "no images match" on stderr)
  1  the API refused the search (its message on stderr: a bad filter is a
     400), could not be reached, or failed part-way (what came before
     stays printed)
  2  usage error: a filter that is not key=value, an unknown option
`;

/** The parameters the command sets itself while it pages: given as filters they would fight it. */
export const RESERVED_FILTERS: Record<string, string> = {
  limit: 'use --limit N (it caps the records printed; the pages are fetched for you)',
  cursor: 'the cursor is followed for you, page after page',
};

/** The API serves at most this many per page (list-images' MAX_LIMIT) and serves larger requests that many. */
const PAGE_SIZE = 100;
/** `GET /images/{id}` calls in flight at once for the full records: a few, to stay a polite client. */
const RECORD_CONCURRENCY = 4;

/**
 * `image-intel search`: the images matching the filters, newest first, one JSON line each.
 *
 * 1. Ask `GET /images` for a page with the filters (at most what `--limit` still allows).
 * 2. Print each item's full record (`GET /images/{id}`, in list order, with the search's `matchedBy`, and `matched`
 *    when it ranked them),
 *    or with `--summary` the item itself.
 * 3. Follow the cursor until no page follows or `--limit` records are printed.
 * An API error stops the run with its message on stderr; an image deleted between the list and its record is skipped.
 */
export async function searchCommand(
  filters: readonly Filter[],
  flags: SearchFlags,
  out: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
  err: (line: string) => void = (line) => process.stderr.write(`image-intel: ${line}\n`),
): Promise<number> {
  const client = new ImageApiClient(flags.api, {
    apiKey: flags.apiKey,
    bearerToken: flags.token,
    unlockToken: flags.unlockToken,
  });
  const query = queryOf(filters);
  const cap = flags.limit ?? Number.POSITIVE_INFINITY;
  let printed = 0;
  let cursor: string | undefined;
  const print = (record: unknown) => {
    out(JSON.stringify(record));
    printed++;
  };
  try {
    do {
      const wanted = Math.min(PAGE_SIZE, cap - printed);
      const page = await client.list({ ...query, limit: wanted, cursor });
      const items = page.items.slice(0, wanted);
      if (flags.summary) items.forEach(print);
      else {
        await mapInOrder(
          items,
          RECORD_CONCURRENCY,
          // The search's answer says why each image matched (`matchedBy`; a ranked one `matched` too): the record too.
          async (item) => {
            const record = await client.get(item.imageId);
            const { matched, matchedBy } = item as { matched?: string[]; matchedBy?: unknown[] };
            return record && { ...record, ...(matched ? { matched } : {}), ...(matchedBy ? { matchedBy } : {}) };
          },
          (record) => record && print(record),
        );
      }
      cursor = page.cursor;
    } while (cursor !== undefined && printed < cap);
  } catch (error) {
    err(failureOf(error, flags.api));
    return SEARCH_EXIT.failed;
  }
  // Nothing on stdout, so a script reading it gets nothing; a person at the terminal is told why.
  if (printed === 0) err('no images match');
  return SEARCH_EXIT.ok;
}

/**
 * The filters as the client's query: a name given several times (`label=cat label=dog`) becomes an array; the words
 * of `q` (bare words on the command line) are one search.
 */
function queryOf(filters: readonly Filter[]): ListQuery {
  const query: Record<string, string[]> = {};
  for (const [name, value] of filters) query[name] = [...(query[name] ?? []), value];
  return query.q === undefined ? query : { ...query, q: [query.q.join(' ')] };
}
