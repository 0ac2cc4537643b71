/**
 * The search index's write amplification per processed image, from the real postings of a local run.
 *
 * 1. Start the local runner (moto, the real handlers) with the offline models.
 * 2. Upload the fixture photos (test/fixtures/photos, 1280x800 JPEGs) and the vision fixtures (test/fixtures/vision,
 *    the scanned text page among them) through the API; wait until each is final and its postings are written (its
 *    record's `eventPending` cleared).
 * 3. Scan the search table with the low-level client and size every posting by DynamoDB's rules
 *    (support/dynamodb.ts): each is one put of ceil(bytes / 1 KB) write units, stored with 100 bytes of overhead.
 * 4. Read every record: the bytes its `indexedTerms` adds, and the write units of its two final writes with and
 *    without them.
 * 5. Print the tables and write bench/search-postings/results.md.
 *
 * Usage: `npm run bench:search-postings` (= `npx tsx bench/search-postings/main.ts`) [-- --out <file>]. Under a minute
 * on 2 cores. The runner runs from dist/ when it is built, else from the sources with tsx.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DynamoDBClient, GetItemCommand, paginateScan } from '@aws-sdk/client-dynamodb';
import { Command } from 'commander';
import { ImageApiClient } from '../../lambdas/cli/api-client';
import { SEARCH_TABLE_DESIGN } from '../../lambdas/search/postings-design';
import { eventually } from '../../test/e2e/support';
import { describeMachine, loadAverages } from '../../test/support/machine';
import { table } from '../../test/support/markdown';
import { startRunner } from '../../test/support/runner-process';
import { median } from '../../test/support/stats';
import { ASSUMPTIONS, PRICES } from '../support/aws-assumptions';
import { type Item, itemSize, valueSize, writeUnits } from '../support/dynamodb';

const ROOT = path.join(__dirname, '../..');
const COMMAND = 'npx tsx bench/search-postings/main.ts';
const TEXT_PAGE = 'text-page.png';
const GIB = 2 ** 30;
/** The flag a record carries through both of its final writes (finalise sets it, the clear removes it). */
const FLAG_BYTES = Buffer.byteLength('eventPending') + 1;

interface Upload {
  file: string;
  set: 'photos' | 'vision';
  bytes: Buffer;
}

/** One image's postings and record, sized. */
export interface ImageFigures {
  file: string;
  set: Upload['set'];
  status: string;
  postings: number;
  /** Postings under `word=` terms (the OCR text). */
  words: number;
  /** Postings under `prefix=` terms (the search box's words), and their write units. */
  prefixes: number;
  prefixUnits: number;
  /** Postings under `likely<b>:` terms (likely matches: their classes and words), and of them the classes. */
  likely: number;
  likelyClasses: number;
  /**
   * Without the likely matches, from the same postings: the others less the likely terms in their `facets` and their
   * `scores`, the likely ones left out. What the index took before likely matches were posted.
   */
  unitsWithoutLikely: number;
  storedBytesWithoutLikely: number;
  bytes: number;
  /** Of `bytes`, the postings' `facets` (every term but the hash ones) and `summary` attributes. */
  facetsBytes: number;
  summaryBytes: number;
  largest: number;
  units: number;
  /** The postings' bytes plus DynamoDB's per-item overhead. */
  storedBytes: number;
  /** The record's `indexedTerms` attribute: name and value. */
  indexedTermsBytes: number;
  /** The record as each of its two final writes sizes it (with the flag), and without `indexedTerms`. */
  recordBytes: number;
  recordUnits: number;
  recordUnitsWithout: number;
}

function uploads(): Upload[] {
  const from = (set: Upload['set'], keep: (name: string) => boolean) => {
    const dir = path.join(ROOT, 'test/fixtures', set);
    return readdirSync(dir)
      .filter(keep)
      .sort()
      .map((file) => ({ file, set, bytes: readFileSync(path.join(dir, file)) }));
  };
  return [...from('photos', (name) => name.endsWith('.jpg')), ...from('vision', () => true)];
}

async function record(dynamodb: DynamoDBClient, table: string, imageId: string): Promise<Item | undefined> {
  const { Item } = await dynamodb.send(new GetItemCommand({ TableName: table, Key: { imageId: { S: imageId } } }));
  return Item as Item | undefined;
}

/** Run the pipeline on the fixtures; every posting and record, sized. */
export async function measure(log: (line: string) => void): Promise<ImageFigures[]> {
  const runner = await startRunner({ args: ['--inference', 'offline'], readyTimeoutMs: 180_000 });
  try {
    const { ready } = runner;
    const dynamodb = new DynamoDBClient({
      endpoint: ready.endpoint,
      region: process.env.AWS_REGION ?? 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    const api = new ImageApiClient(ready.apiUrl, { apiKey: ready.apiKey });
    const files = uploads();
    const ids = new Map<string, Upload>();
    for (const upload of files) ids.set(await api.upload(upload.bytes, { filename: upload.file }), upload);
    log(`uploaded ${files.length} images; waiting for each to be final and indexed`);
    const records = new Map<string, Item>();
    for (const [id, upload] of ids) {
      await api.waitForFinal(id, 180_000);
      records.set(
        id,
        await eventually(`the postings of ${upload.file}`, 60_000, async () => {
          const item = await record(dynamodb, ready.table, id);
          return item && !item.eventPending ? item : undefined;
        }),
      );
    }

    const postings = new Map<string, Item[]>();
    for await (const page of paginateScan({ client: dynamodb }, { TableName: ready.searchTable })) {
      for (const item of (page.Items ?? []) as Item[]) {
        const id = item.imageId?.S as string;
        postings.set(id, [...(postings.get(id) ?? []), item]);
      }
    }
    return [...ids].map(([id, upload]) => {
      const item = records.get(id) as Item;
      const own = postings.get(id) ?? [];
      const sizes = own.map(itemSize);
      const indexed = item.indexedTerms;
      const indexedTermsBytes = indexed ? Buffer.byteLength('indexedTerms') + valueSize(indexed) : 0;
      if ((indexed?.L?.length ?? 0) !== own.length) {
        throw new Error(`${upload.file}: ${own.length} postings for ${indexed?.L?.length ?? 0} indexed terms`);
      }
      const recordBytes = itemSize(item) + FLAG_BYTES;
      const isLikely = (posting: Item) => /#likely\d:/.test(posting[SEARCH_TABLE_DESIGN.partitionKey]?.S ?? '');
      const without = own.filter((posting) => !isLikely(posting)).map((posting) => itemSize(withoutLikely(posting)));
      const attributeBytes = (name: string) =>
        own.reduce((sum, posting) => {
          const value = posting[name];
          return sum + (value ? Buffer.byteLength(name) + valueSize(value) : 0);
        }, 0);
      return {
        file: upload.file,
        set: upload.set,
        status: item.status?.S ?? '?',
        postings: own.length,
        words: own.filter((posting) => posting[SEARCH_TABLE_DESIGN.partitionKey]?.S?.includes('#word=')).length,
        prefixes: own.filter((posting) => posting[SEARCH_TABLE_DESIGN.partitionKey]?.S?.includes('#prefix=')).length,
        prefixUnits: own.reduce(
          (sum, posting, i) =>
            posting[SEARCH_TABLE_DESIGN.partitionKey]?.S?.includes('#prefix=')
              ? sum + writeUnits(sizes[i] as number)
              : sum,
          0,
        ),
        likely: own.filter(isLikely).length,
        likelyClasses: own.filter((posting) => isLikely(posting) && !posting.term?.S?.includes(':prefix=')).length,
        unitsWithoutLikely: without.reduce((sum, size) => sum + writeUnits(size), 0),
        storedBytesWithoutLikely: without.reduce((sum, size) => sum + size + ASSUMPTIONS.dynamoItemOverheadBytes, 0),
        bytes: sizes.reduce((a, b) => a + b, 0),
        facetsBytes: attributeBytes('facets'),
        summaryBytes: attributeBytes('summary'),
        largest: Math.max(0, ...sizes),
        units: sizes.reduce((sum, size) => sum + writeUnits(size), 0),
        storedBytes: sizes.reduce((sum, size) => sum + size + ASSUMPTIONS.dynamoItemOverheadBytes, 0),
        indexedTermsBytes,
        recordBytes,
        recordUnits: writeUnits(recordBytes),
        recordUnitsWithout: writeUnits(recordBytes - indexedTermsBytes),
      };
    });
  } finally {
    await runner.stop();
  }
}

/** A posting as it was before likely matches: no likely terms among its facets, no scores. */
function withoutLikely(posting: Item): Item {
  const { scores: _scores, ...rest } = posting;
  const facets = posting.facets?.L?.filter((facet) => !/^likely\d:/.test(facet.S ?? ''));
  return facets ? { ...rest, facets: { L: facets } } : rest;
}

const num = (value: number, digits = 0) =>
  value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** Per 1,000 images: the postings' write units and their storage a month. */
export function costOf(units: number, storedBytes: number) {
  return {
    writes: (units * 1000 * PRICES.dynamoWritePerMillion) / 1e6,
    storage: ((storedBytes * 1000) / GIB) * PRICES.dynamoGbMonth,
  };
}

/**
 * What the likely matches add, side by side in the same run: the postings as written, and the same less the likely
 * postings and the likely terms and scores the others carry.
 */
function likelyNote(photos: ImageFigures[], images: ImageFigures[]): string {
  const med = (list: ImageFigures[], pick: (i: ImageFigures) => number) => median(list.map(pick));
  const rows = [
    [`photos (${photos.length})`, photos],
    [`overall (${images.length})`, images],
  ] as const;
  const said = rows.map(([name, list]) => {
    const units = med(list, (i) => i.units - i.unitsWithoutLikely);
    const stored = med(list, (i) => i.storedBytes - i.storedBytesWithoutLikely);
    const cost = costOf(units, stored);
    return (
      `${name}: a median of ${num(
        med(list, (i) => i.likely),
        1,
      )} likely postings (${num(
        med(list, (i) => i.likelyClasses),
        1,
      )} classes), ${num(units, 1)} write units and ${num(stored)} stored bytes more per image than without them ` +
      `(${num(
        med(list, (i) => i.unitsWithoutLikely),
        1,
      )} units without), ${num(cost.writes, 4)} USD of writes and ${num(cost.storage, 5)} USD of storage a month per 1,000 images; at most ${num(
        Math.max(...list.map((i) => i.likely)),
      )} likely postings on one image`
    );
  });
  return `- Likely matches (vision candidates between their class's retrieval and shown thresholds, at the calibration in use: lambdas/vision/calibration.json), side by side with the same postings without them: ${said.join('; ')}.`;
}

export function render(
  images: ImageFigures[],
  meta: { date: string; machine: string; load: string; runner: string },
): string {
  const photos = images.filter((i) => i.set === 'photos');
  const groups: [string, ImageFigures[]][] = [
    [`photos (test/fixtures/photos, ${photos.length})`, photos],
    [`the text page (${TEXT_PAGE})`, images.filter((i) => i.file === TEXT_PAGE)],
    [`overall (${images.length})`, images],
  ];
  const med = (list: ImageFigures[], pick: (i: ImageFigures) => number) => median(list.map(pick));
  const perImage = table(
    [
      'file',
      'status',
      'postings',
      'of them words',
      'of them prefixes',
      'of them likely',
      'bytes',
      'of them facets',
      'of them summary',
      'largest posting B',
      'write units',
      'indexedTerms B',
      'record B',
      'record WU per write (without indexedTerms)',
    ],
    images.map((i) => [
      `${i.set}/${i.file}`,
      i.status,
      i.postings,
      i.words,
      i.prefixes,
      i.likely,
      num(i.bytes),
      num(i.facetsBytes),
      num(i.summaryBytes),
      num(i.largest),
      i.units,
      num(i.indexedTermsBytes),
      num(i.recordBytes),
      `${i.recordUnits} (${i.recordUnitsWithout})`,
    ]),
  );
  const medianRows = groups.map(([name, list]) => {
    const at = (pick: (i: ImageFigures) => number, digits = 0) => num(med(list, pick), digits);
    return [
      name,
      at((i) => i.postings, 1),
      at((i) => i.bytes),
      at((i) => i.units, 1),
      at((i) => i.storedBytes),
      at((i) => i.indexedTermsBytes),
      at((i) => 2 * (i.recordUnits - i.recordUnitsWithout), 1),
    ];
  });
  const medians = table(
    [
      'median over',
      'postings',
      'bytes',
      'write units',
      'stored B (+100 each)',
      'indexedTerms B',
      'record WU added (2 writes)',
    ],
    medianRows,
  );
  const costs = table(
    ['per 1,000 images', 'write units', 'USD writes', 'stored', 'USD storage a month'],
    groups.map(([name, list]) => {
      const units = med(list, (i) => i.units);
      const stored = med(list, (i) => i.storedBytes);
      const cost = costOf(units, stored);
      return [
        name,
        `${num(units, 1)} x 1,000`,
        num(cost.writes, 4),
        `${num((stored * 1000) / 2 ** 20, 2)} MiB`,
        num(cost.storage, 4),
      ];
    }),
  );
  const share = (list: ImageFigures[], pick: (i: ImageFigures) => number) =>
    `${Math.round((100 * list.reduce((sum, i) => sum + pick(i), 0)) / list.reduce((sum, i) => sum + i.bytes, 0))} %`;
  const overKb = images.filter((i) => i.units > i.postings);
  const largestOneKb = Math.max(...images.filter((i) => i.units === i.postings).map((i) => i.largest));
  const notes = [
    `- Every posting carries \`facets\` (the image's terms but the hash ones) and \`summary\`: over the photos they are ${share(photos, (i) => i.facetsBytes)} and ${share(photos, (i) => i.summaryBytes)} of the postings' bytes. A posting grows with the number of terms, so an image's bytes grow with its square.`,
    `- Postings over 1 KB (2 write units each or more): ${overKb.map((i) => `${i.file} (${i.units} units for ${i.postings} postings)`).join(', ') || 'none'}. The largest posting of the other images is ${largestOneKb} B.`,
    `- The search box (\`q=\`) adds the \`prefix=\` postings, one per distinct first three letters of the words an image is found by: a median of ${num(
      med(photos, (i) => i.prefixes),
      1,
    )} postings and ${num(
      med(photos, (i) => i.prefixUnits),
      1,
    )} write units per photo (${num(
      costOf(
        med(photos, (i) => i.prefixUnits),
        0,
      ).writes,
      4,
    )} USD per 1,000), ${num(
      med(
        images.filter((i) => i.file === TEXT_PAGE),
        (i) => i.prefixUnits,
      ),
      1,
    )} for the text page; without them a photo would take ${num(
      med(photos, (i) => i.units - i.prefixUnits),
      1,
    )} write units (the same run, the same postings less those).`,
    likelyNote(photos, images),
    '- Not measured here: deleting an image deletes each posting (a delete costs the units of the item deleted), and reprocessing a new version puts every posting again and deletes the terms it lost.',
  ];
  return [
    '# Search index: write amplification per image',
    '',
    `\`${COMMAND}\` (= \`npm run bench:search-postings\`): the local runner with \`--inference offline\` on moto,`,
    'the fixture photos and the vision fixtures uploaded through the API; every posting of the search table read back',
    "by a Scan and sized by DynamoDB's rules (bench/support/dynamodb.ts). A posting is one put of",
    "ceil(bytes / 1,024) write units; storage adds 100 bytes of overhead per item. The record's `indexedTerms` is",
    'written by both of its final writes (the final update and the flag clear), each of which costs the units of the',
    'record with the `eventPending` flag; "record WU added" is what it adds to those two writes together.',
    '',
    `Measured ${meta.date} on ${meta.machine}; the runner from ${meta.runner}. Load average before: \`${meta.load}\`.`,
    '',
    '## Per image',
    '',
    perImage,
    '',
    '## Medians',
    '',
    medians,
    '',
    `## Cost (on demand, $${PRICES.dynamoWritePerMillion} per million write units, $${PRICES.dynamoGbMonth}/GB-month)`,
    '',
    costs,
    '',
    '## Notes',
    '',
    ...notes,
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const options = new Command('npm run bench:search-postings --')
    .option('--out <file>', 'where to write the results', path.join(ROOT, 'bench/search-postings/results.md'))
    .parse()
    .opts<{ out: string }>();
  const load = loadAverages();
  const images = await measure((line) => process.stderr.write(`${line}\n`));
  // The measured code is what is checked out, committed or not.
  const dirty =
    spawnSync('git', ['diff', '--quiet', 'HEAD', '--', 'lambdas']).status === 1
      ? ' with uncommitted changes under lambdas/'
      : '';
  const markdown = render(images, {
    date: new Date().toISOString(),
    machine: `${describeMachine()}${dirty}`,
    load,
    runner: existsSync(path.join(ROOT, 'dist/lambdas/local/main.js')) ? 'dist/ (as built)' : 'the sources (tsx)',
  });
  writeFileSync(options.out, markdown);
  process.stdout.write(markdown);
}

if (require.main === module) {
  main().catch((error) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
