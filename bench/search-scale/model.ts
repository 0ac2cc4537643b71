/**
 * Items read per search at any library size, without an emulator: the search use case (`searchImages`) run against
 * an in-memory stand-in of the search table's Query (one key, sort key `<`, newest first, Limit, ExclusiveStartKey),
 * holding the postings the processor's `withTerms` makes for the bench's synthetic library (corpus.ts).
 *
 * The stand-in counts what DynamoDB's ScannedCount would: it reproduced, query for query, every item and request
 * count of the 5,000-image moto run (bench/search-scale/results.md) when run with the search code of that run. It
 * has no clock: times are the moto run's.
 *
 * Usage: `npx tsx bench/search-scale/model.ts [--images 100000] [--seed 13] [--out bench/search-scale/model-results.md]`
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { filtersOf, queryOf } from '../../lambdas/images/functions/list-images/filters';
import { ListQuerySchema } from '../../lambdas/images/functions/list-images/route';
import { READ_ALLOWANCE_PAGES, searchImages } from '../../lambdas/search/image-search';
import { type Posting, postingKey } from '../../lambdas/search/postings-design';
import { describeMachine } from '../../test/support/machine';
import { HEAVY_OWNER, Library } from './corpus';
import { type Catalogue, catalogueOf } from './load';
import { PAGE_SIZE, type Params, queryString, truthOf } from './queries';
import { chooseShapes } from './shapes';

/** The search table's postings of one owner, by key, newest first, and a client that Queries them. */
function searchTable(catalogue: Catalogue) {
  const facets = new Map<number, string[]>();
  for (const [term, images] of catalogue.terms) {
    for (const index of images) facets.set(index, [...(facets.get(index) ?? []), term]);
  }
  const lists = new Map<string, Posting[]>();
  for (const [term, images] of catalogue.terms) {
    for (const index of images) {
      const imageId = catalogue.ids[index] as string;
      const key = postingKey(HEAVY_OWNER, term, imageId);
      const posting: Posting = {
        term: key,
        imageId,
        facets: facets.get(index) ?? [],
        faces: catalogue.faces[index],
        takenAt: catalogue.takenAt[index],
        // What a `q=` search checks besides the facets: the filename, which every posting's summary carries.
        summary: { filename: catalogue.filenames[index] },
      } as Posting;
      lists.set(key, [...(lists.get(key) ?? []), posting]);
    }
  }
  for (const list of lists.values()) list.sort((a, b) => (a.imageId < b.imageId ? 1 : -1));
  const tally = { items: 0, requests: 0 };
  const client = {
    send: async ({ input }: { input: Record<string, unknown> }) => {
      const values = input.ExpressionAttributeValues as Record<string, string>;
      const older = values[':older'];
      const start = (input.ExclusiveStartKey as { imageId?: string } | undefined)?.imageId;
      const after = (lists.get(values[':pk'] as string) ?? []).filter(
        (posting) =>
          (older === undefined || posting.imageId < older) && (start === undefined || posting.imageId < start),
      );
      const page = after.slice(0, input.Limit as number);
      tally.items += page.length;
      tally.requests++;
      const more = after.length > page.length;
      return {
        Items: page,
        LastEvaluatedKey: more ? { term: values[':pk'], imageId: page.at(-1)?.imageId } : undefined,
      };
    },
  };
  return { client, tally };
}

interface Row {
  shape: string;
  query: string;
  matches: number;
  returned: number;
  correct: boolean;
  items: number;
  requests: number;
  pages: number;
  /** The most a request read past its allowance (0 or less: every request kept to it). */
  over: number;
}

async function measure(shape: string, params: Params, catalogue: Catalogue, table: ReturnType<typeof searchTable>) {
  const multi = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, Array.isArray(v) ? v : [v]]));
  const {
    status,
    limit: _limit,
    owner: _owner,
    cursor: _cursor,
    sort: _sort,
    ...asked
  } = ListQuerySchema.parse(queryOf(multi));
  const filters = filtersOf(asked);
  if (!filters) return undefined;
  const found: string[] = [];
  let cursor: string | undefined;
  let pages = 0;
  let over = Number.NEGATIVE_INFINITY;
  const before = { ...table.tally };
  do {
    const start = table.tally.items;
    const page = await searchImages(table.client as never, 'search', {
      owner: HEAVY_OWNER,
      filters: { ...filters, status },
      limit: PAGE_SIZE,
      cursor,
    });
    pages++;
    over = Math.max(over, table.tally.items - start - page.items.length - READ_ALLOWANCE_PAGES * PAGE_SIZE);
    found.push(...page.items.map((posting) => posting.imageId));
    cursor = page.cursor;
  } while (cursor !== undefined && found.length < PAGE_SIZE);
  const truth = truthOf(params, catalogue);
  const newest = truth.slice(0, PAGE_SIZE).map((index) => catalogue.ids[index]);
  return {
    shape,
    query: queryString(params),
    matches: truth.length,
    returned: Math.min(found.length, PAGE_SIZE),
    correct: found.slice(0, PAGE_SIZE).join() === newest.join(),
    items: table.tally.items - before.items,
    requests: table.tally.requests - before.requests,
    pages,
    over,
  } satisfies Row;
}

function render(rows: Row[], images: number, seed: number, seconds: number): string {
  const num = (n: number) => n.toLocaleString('en');
  const search = rows.filter((r) => !r.shape.includes('plain list'));
  const broke = search.filter((r) => r.over > 0);
  return [
    `# Search at scale, modelled: items read per query at ${num(images)} images`,
    '',
    `\`npx tsx bench/search-scale/model.ts --images ${images} --seed ${seed}\` (${seconds.toFixed(0)} s), ${describeMachine()}.`,
    '',
    'The search use case against an in-memory stand-in of the search table (see the file): the same synthetic',
    "library as bench/search-scale/results.md, the heavy owner's postings as the processor writes them. A client",
    `follows the cursor until it has a page of ${PAGE_SIZE} (a search page stops before it reads more than returned +`,
    `${READ_ALLOWANCE_PAGES} x ${PAGE_SIZE} postings). "Items" are postings read (DynamoDB's ScannedCount), over every`,
    'request; "over allowance" is the most any one request read past its own allowance (0 or less: within it).',
    '',
    '| shape | query | matches | returned | page right | items | Query requests | API requests | over allowance |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows.map(
      (r) =>
        `| ${r.shape} | \`${r.query}\` | ${num(r.matches)} | ${r.returned} | ${r.correct ? 'yes' : '**no**'} | ${num(r.items)} | ${num(r.requests)} | ${r.pages} | ${r.over} |`,
    ),
    '',
    `- ${search.length - broke.length} of ${search.length} queries kept every request within its allowance` +
      `${broke.length ? ` (not: ${broke.map((r) => `\`${r.query}\``).join(', ')})` : ''}; every page was ` +
      `${rows.every((r) => r.correct) ? 'exactly' : '**not always**'} the newest ${PAGE_SIZE} matches.`,
    '- Filters that seldom meet take more requests, each bounded, instead of one that reads a whole term: the API',
    '  requests column.',
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const opts = new Command('npx tsx bench/search-scale/model.ts')
    .option('--images <n>', 'images in the library', '100000')
    .option('--seed <n>', 'seed of the generator', '13')
    .option('--out <file>', 'the markdown', path.join(__dirname, 'model-results.md'))
    .parse()
    .opts<Record<string, string>>();
  const started = performance.now();
  const [images, seed] = [Number(opts.images), Number(opts.seed)];
  const catalogue = catalogueOf(new Library(images, seed), HEAVY_OWNER);
  const table = searchTable(catalogue);
  const rows: Row[] = [];
  for (const { shape, queries } of chooseShapes(catalogue)) {
    for (const params of queries) {
      const row = await measure(shape, params, catalogue, table);
      if (row) rows.push(row);
    }
  }
  const text = render(rows, images, seed, (performance.now() - started) / 1000);
  writeFileSync(opts.out as string, text);
  process.stdout.write(text);
}

main().catch((error: Error) => {
  process.stderr.write(`${error.stack ?? error.message}\n`);
  process.exit(1);
});
