/**
 * Upload-to-event latency and burst drain on the local runner, the processor's settings of now against those of
 * before, in one run.
 *
 * 1. The 12 MP JPEG: the first of bench/corpus (bench/support/make-corpus.ts builds the corpus if it is missing).
 * 2. Single uploads (bench/latency/single.ts): one runner per configuration, up together, taking turns; each
 *    upload waits for its completion event and a pause; one warm-up, then `count` timed per configuration.
 * 3. Bursts (test/support/load/run.ts): `burst` uploads at once on a fresh runner per run, the configurations
 *    alternating new, old, old, new... over `burstRounds` rounds.
 * 4. Check every upload ended with one Image Processed and a PROCESSED record; write bench/latency/results.md
 *    and .json, rewrite bench/latency/README.md's latency section; exit 1 if any upload was not accounted for.
 *
 * Usage: `npm run bench:latency [-- --count 15 --burst 200 --burst-rounds 2 --out bench/latency/results.md]`.
 * Build first (`npm run build`): the runner runs from dist/ when it exists. Nothing else should run meanwhile.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import sharp from 'sharp';
import { runLoad } from '../../test/support/load/run';
import { machineInfo, uptime } from '../../test/support/machine';
import { ensureCorpus } from '../support/make-corpus';
import { replaceReadmeSection } from '../support/readme';
import { renderMarkdown, renderReadmeSection, renderText, resultsJson } from './render';
import { type BurstRun, summarise } from './report';
import { contextArgs, type LatencyConfig, runSingles } from './single';

const ROOT = path.join(__dirname, '../..');
const README = path.join(__dirname, 'README.md');

/** The settings of now (the defaults) and of before the change, as the issue names them. */
export const CONFIGS: [LatencyConfig, LatencyConfig] = [
  { name: 'new', label: 'the defaults', context: {} },
  {
    name: 'old',
    label: '5 s batching window, 10 batches at once, one image at a time',
    context: { processorBatchWindowSeconds: '5', processorImagesInFlight: '1' },
    concurrency: 10,
  },
];

const integer = (min: number) => (value: string) => {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < min) throw new InvalidArgumentError(`expected an integer >= ${min}`);
  return parsed;
};

async function main(argv: string[]): Promise<void> {
  const program = new Command('npm run bench:latency --')
    .description('Upload-to-event latency and burst drain on the local runner: the defaults against the old settings.')
    .addOption(new Option('--count <n>', 'timed single uploads per config').default(15).argParser(integer(1)))
    .addOption(new Option('--pause <ms>', 'pause after each single upload').default(1000).argParser(integer(0)))
    .addOption(new Option('--burst <n>', 'uploads per burst').default(200).argParser(integer(1)))
    .addOption(new Option('--burst-concurrency <n>', 'burst uploads in flight').default(32).argParser(integer(1)))
    .addOption(new Option('--burst-rounds <n>', 'burst runs per config').default(2).argParser(integer(1)))
    .option('--out <file>', 'markdown results (a .json is written beside it)', 'bench/latency/results.md')
    .option('--no-readme', "leave bench/latency/README.md's latency section as it is")
    .parse(argv, { from: 'user' });
  const flags = program.opts<{
    count: number;
    pause: number;
    burst: number;
    burstConcurrency: number;
    burstRounds: number;
    out: string;
    readme: boolean;
  }>();
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const began = Date.now();
  const loadBefore = uptime();
  log(`load before: ${loadBefore}`);

  const corpus = await ensureCorpus(log);
  const file = corpus.files['12mp'][0] as string;
  const bytes = readFileSync(file);
  const { width = 0, height = 0 } = await sharp(bytes).metadata();
  const photo = {
    file: path.relative(ROOT, file),
    bytes: bytes.length,
    width,
    height,
    provenance: `a 2x2 mosaic from ${corpus.provenance}, baseline JPEG q90 (bench/support/make-corpus.ts)`,
  };

  log(`single uploads: ${photo.file}, ${flags.count} per config after one warm-up`);
  const singles = await runSingles({
    configs: CONFIGS,
    photo: { name: path.basename(file), bytes },
    count: flags.count,
    pauseMs: flags.pause,
    log,
  });

  const bursts: BurstRun[] = [];
  for (let round = 0; round < flags.burstRounds; round++) {
    for (const config of round % 2 === 0 ? CONFIGS : [...CONFIGS].reverse()) {
      const order = bursts.length + 1;
      log(`burst #${order}: ${config.name}, ${flags.burst} uploads, ${flags.burstConcurrency} in flight`);
      const run = await runLoad({
        uploads: flags.burst,
        rate: 1,
        burst: flags.burst,
        burstConcurrency: flags.burstConcurrency,
        inference: 'none',
        concurrency: config.concurrency ?? 'default',
        runnerArgs: contextArgs(config),
        idleTimeoutMs: 60_000,
        log,
      });
      bursts.push({ config: config.name, order, run });
    }
  }

  const summary = summarise({
    command: `npm run bench:latency${argv.length > 0 ? ` -- ${argv.join(' ')}` : ''}`,
    configs: CONFIGS,
    singles,
    bursts,
    photo,
    options: {
      count: flags.count,
      pauseMs: flags.pause,
      burst: flags.burst,
      burstConcurrency: flags.burstConcurrency,
      burstRounds: flags.burstRounds,
    },
    machine: machineInfo(),
    loadBefore,
    loadAfter: uptime(),
    wallSeconds: (Date.now() - began) / 1000,
  });
  writeFileSync(flags.out, renderMarkdown(summary));
  const json = flags.out.replace(/(\.md)?$/, '.json');
  writeFileSync(json, resultsJson(summary, singles, bursts));
  formatJson(json);
  if (flags.readme) replaceReadmeSection(README, 'latency', renderReadmeSection(summary));
  process.stdout.write(`${renderText(summary)}\nwrote ${flags.out} and ${json}\n`);
  if (summary.problems.length > 0) {
    process.stderr.write(`\nFAILED: ${summary.problems.length} uploads not accounted for (see ${flags.out})\n`);
    process.exitCode = 1;
  }
}

/** The results are committed: leave them as the project's formatter would, so the linter stays clean. */
function formatJson(file: string): void {
  const biome = path.join(ROOT, 'node_modules/.bin/biome');
  if (!existsSync(biome)) return;
  try {
    execFileSync(biome, ['format', '--write', file], { stdio: 'ignore' });
  } catch {
    // Unformatted results are still results.
  }
}

main(process.argv.slice(2)).catch((error: Error) => {
  process.stderr.write(`${error.stack ?? error.message}\n`);
  process.exit(1);
});
