/**
 * Search at scale (issue 13): items read per query, and time, at 100,000 images, beside a Scan doing the same.
 *
 * 1. Start moto on a port of its own and create the pipeline's tables with the local runner's code.
 * 2. Generate the synthetic library (corpus.ts) and write it through the processor's write path,
 *    a few images at a time; print the load rate.
 * 3. Run each query shape through the list-images use case and a Scan of the records table; run similar-images at
 *    several distances for images with and without near-duplicates; count what every request reads.
 * 4. Compute, offline from the same hashes, how crowded the band values are and what other layouts would read.
 * 5. Write bench/search-scale/results.md and .json.
 *
 * Usage: `npx tsx bench/search-scale/main.ts [--images 100000] [--seed 13] [--concurrency 8] [--scans all|first] [--out file.md]`;
 * `--replay file.json` derives a run's offline figures again and renders it (replay.ts).
 */

import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { SearchIndex } from '../../lambdas/search/index-table';
import { presignEach, S3ImageObjects } from '../../lambdas/store/image-objects';
import { ImageStore } from '../../lambdas/store/image-store';
import { thumbnailKey } from '../../lambdas/store/keys';
import type { Caller } from '../../lambdas/store/owner';
import { peakRssMb } from '../../test/support/load/proc';
import { describeMachine } from '../../test/support/machine';
import { BUCKET, HEAVY_OWNER, Library, librarySummary } from './corpus';
import { type Catalogue, loadLibrary, postingSizes } from './load';
import { type BenchEmulator, clientsFor, countReads, emptyCount, type ReadCount, startBenchEmulator } from './moto';
import { measureQuery, type QueryContext } from './queries';
import { THUMBNAIL_SIZES } from './records';
import { replayResults } from './replay';
import { render, type ScaleResults } from './report';
import { chooseShapes } from './shapes';
import {
  bandEstimates,
  bandFigures,
  bandSample,
  chooseSimilar,
  measureSimilar,
  ownerHashes,
  similarScan,
} from './similar';

const ROOT = path.join(__dirname, '../..');
const log = (line: string) => process.stderr.write(`${line}\n`);
/**
 * Shapes whose first query also runs the full Scan newest first needs. It reads every item whatever the filter (its
 * items are the table's), so three of them show its cost; each query runs the Scan to a page.
 */
const FULL_SCAN_SHAPES = new Set(['one label, common', 'two filters', 'no match']);

interface Options {
  images: number;
  seed: number;
  concurrency: number;
  out: string;
  /** A run's JSON to derive again and render, without an emulator. */
  replay?: string;
  /** `all`: a Scan beside every query; `first`: beside the first query of each shape, and one full Scan. */
  scans: 'all' | 'first';
}

function options(): Options {
  const opts = new Command('npm run bench:search-scale --')
    .option('--images <n>', 'images in the library', '100000')
    .option('--seed <n>', 'seed of the generator', '13')
    .option('--concurrency <n>', 'images written at once', '8')
    .option('--out <file>', 'the markdown (the JSON goes beside it)', path.join(ROOT, 'bench/search-scale/results.md'))
    .option('--scans <which>', 'all: a Scan beside every query; first: beside the first of each shape', 'all')
    .option('--replay <json>', "derive a run's results again from its JSON and render them (no emulator)")
    .parse()
    .opts<Record<string, string>>();
  const whole = (name: string, min: number) => {
    const value = Number(opts[name]);
    if (!Number.isInteger(value) || value < min) throw new Error(`--${name} must be a whole number of at least ${min}`);
    return value;
  };
  return {
    images: whole('images', 100),
    seed: whole('seed', 0),
    concurrency: whole('concurrency', 1),
    out: opts.out as string,
    replay: opts.replay,
    scans: opts.scans === 'first' ? 'first' : 'all',
  };
}

/** How many images the generator alone makes per second (to tell its cost from the emulator's). */
function generatorRate(library: Library, count: number): number {
  const started = performance.now();
  for (let index = 0; index < Math.min(count, library.plan.images); index++) library.image(index);
  return Math.min(count, library.plan.images) / ((performance.now() - started) / 1000);
}

function write(out: string, results: ScaleResults): void {
  writeFileSync(out, render(results));
  writeFileSync(out.replace(/\.md$/, '.json'), `${JSON.stringify(results, null, 2)}\n`);
}

/** The emulator, its counted clients and the stores the use cases are given. */
interface Bench {
  emulator: BenchEmulator;
  clients: ReturnType<typeof clientsFor>;
  store: ImageStore;
  index: SearchIndex;
  /** Every request from now on counts into a fresh tally, which this returns. */
  count: () => ReadCount;
  /** The tally requests are counted into now. */
  tally: () => ReadCount;
}

function benchOn(emulator: BenchEmulator): Bench {
  const clients = clientsFor(emulator.endpoint);
  let tally: ReadCount = emptyCount();
  countReads(clients.dynamodb, () => tally);
  const store = new ImageStore(clients.document, emulator.resources.table);
  return {
    emulator,
    clients,
    store,
    index: new SearchIndex(clients.document, emulator.resources.searchTable, { records: store }),
    count: () => {
      tally = emptyCount();
      return tally;
    },
    tally: () => tally,
  };
}

/** Generate and write the library; the figures of the load and the catalogue the queries use. */
async function load(
  bench: Bench,
  opts: Options,
  library: Library,
): Promise<{ catalogue: Catalogue; results: ScaleResults }> {
  const generatePerSecond = generatorRate(library, 2000);
  log(
    `generator: ${generatePerSecond.toFixed(0)} images/s alone; loading ${opts.images} images, ${opts.concurrency} at a time`,
  );
  const { pid } = bench.emulator;
  const { catalogue, figures } = await loadLibrary(
    library,
    { store: bench.store, index: bench.index },
    {
      concurrency: opts.concurrency,
      owner: HEAVY_OWNER,
      progress: (done, seconds) =>
        log(
          `  ${done} images in ${seconds.toFixed(0)} s (${(done / seconds).toFixed(1)}/s), moto ${((peakRssMb(pid) ?? 0) / 1024).toFixed(1)} GiB peak`,
        ),
    },
    () => bench.tally().requests,
  );
  log(`loaded: ${figures.perSecond.toFixed(1)} images/s, ${figures.postings} postings`);
  const sizes = await postingSizes(
    bench.emulator.endpoint,
    bench.emulator.resources.searchTable,
    library,
    catalogue.ids,
  );
  const results: ScaleResults = {
    command: `npx tsx bench/search-scale/main.ts --images ${opts.images} --seed ${opts.seed} --concurrency ${opts.concurrency} --scans ${opts.scans}`,
    date: new Date().toISOString(),
    machine: describeMachine(),
    images: opts.images,
    seed: opts.seed,
    library: librarySummary(library),
    load: { ...figures, generatePerSecond, motoPeakMb: peakRssMb(pid) },
    postingBytes: {
      mean: sizes.reduce((a, b) => a + b, 0) / sizes.length,
      p50: sizes[sizes.length >> 1] ?? 0,
      max: sizes.at(-1) ?? 0,
    },
    searches: [],
    similar: [],
    similarEstimate: {},
  };
  return { catalogue, results };
}

/** Similar at each distance for the chosen images, the Scan without the index, and the offline band figures. */
async function similarPhase(
  bench: Bench,
  library: Library,
  catalogue: Catalogue,
  results: ScaleResults,
  caller: Caller,
) {
  const hashes = ownerHashes(library, catalogue, HEAVY_OWNER);
  const picked = chooseSimilar(library, hashes);
  const context = { store: bench.store, index: bench.index, caller, catalogue, count: bench.count };
  for (const { index: image, kind } of picked) {
    const rows = await measureSimilar(context, hashes, image, kind);
    results.similar.push(...rows);
    Object.assign(results.similarEstimate, bandEstimates(hashes, catalogue.ids, image, results.postingBytes.mean));
    log(
      `  similar ${kind}: ${rows.map((r) => `d=${r.maxDistance} ${r.ours.items} items/${r.ours.requests} requests`).join(', ')}`,
    );
  }
  results.similarScan = await similarScan(
    bench.clients.document,
    bench.emulator.resources.table,
    HEAVY_OWNER,
    bench.count,
  );
  const sample = [...bandSample(hashes, results.seed), ...picked.map((p) => p.index)];
  results.bands = bandFigures(library, hashes, sample, results.postingBytes.mean);
}

/** Every query shape through the list-images use case and a Scan; `save` after each shape. */
async function searchPhase(
  bench: Bench,
  catalogue: Catalogue,
  results: ScaleResults,
  caller: Caller,
  save: () => void,
  scans: Options['scans'],
) {
  const objects = new S3ImageObjects(bench.clients.s3);
  const context: QueryContext = {
    document: bench.clients.document,
    table: bench.emulator.resources.table,
    searchTable: bench.emulator.resources.searchTable,
    store: bench.store,
    links: {
      sign: (keys) => presignEach(objects, BUCKET, keys, 900),
      keysOf: (imageId) =>
        Object.fromEntries(THUMBNAIL_SIZES.map((size) => [String(size), thumbnailKey(imageId, size)])),
    },
    caller,
    catalogue,
    count: bench.count,
  };
  for (const { shape, queries } of chooseShapes(catalogue)) {
    for (const [i, params] of queries.entries()) {
      // With `--scans first` (a large library, where a Scan reads the whole table), one full Scan shows its cost.
      const full = i === 0 && (scans === 'all' ? FULL_SCAN_SHAPES.has(shape) : shape === 'two filters');
      const measured = await measureQuery(context, shape, params, full, 3, scans === 'all' || i === 0);
      log(
        `  ${shape}: ${measured.query}: ${measured.returned} returned, ${measured.ours.items} items in ${measured.ours.requests} requests; Scan ${measured.scanPage?.items ?? '-'}`,
      );
      results.searches.push(measured);
    }
    save();
  }
}

/**
 * The patched moto answers as moto does (patched-moto.check.ts, `npm run bench:search-scale:moto`), or its figures
 * would be of another database: checked before every run, since `npm test` does not start a second moto for it.
 */
function checkPatchedMoto(): void {
  log('checking the patched moto against moto as the local runner starts it (npm run bench:search-scale:moto)');
  const { status } = spawnSync('npm', ['run', '--silent', 'bench:search-scale:moto'], { cwd: ROOT, stdio: 'inherit' });
  if (status !== 0) throw new Error('the patched moto answers otherwise than moto: no figures from it');
}

async function main(): Promise<void> {
  const opts = options();
  if (opts.replay) {
    const results = replayResults(JSON.parse(readFileSync(opts.replay, 'utf8')) as ScaleResults);
    write(opts.out, results);
    process.stdout.write(render(results));
    return;
  }
  checkPatchedMoto();
  const emulator = await startBenchEmulator('search-scale');
  // Stopped from outside (Ctrl-C, a timeout): moto goes too (Node runs no exit handler on a signal).
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void emulator.stop().finally(() => process.exit(128 + (signal === 'SIGINT' ? 2 : 15))));
  }
  try {
    log(`moto on ${emulator.endpoint} (pid ${emulator.pid})`);
    const bench = benchOn(emulator);
    const library = new Library(opts.images, opts.seed);
    const { catalogue, results } = await load(bench, opts, library);
    // Written after every phase, so a long run that is stopped still leaves what it measured.
    const save = () => {
      results.load.motoPeakMb = peakRssMb(emulator.pid);
      write(opts.out, results);
    };
    save();
    // What the API builds for the API client `studio` (auth=apikey): its own images, not an admin.
    const caller: Caller = { owner: HEAVY_OWNER, admin: false };
    // Similar first: its target is the one most in doubt.
    await similarPhase(bench, library, catalogue, results, caller);
    save();
    await searchPhase(bench, catalogue, results, caller, save, opts.scans);
    process.stdout.write(render(results));
  } finally {
    await emulator.stop();
  }
}

if (require.main === module) {
  main().catch((error) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
