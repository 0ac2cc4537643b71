/**
 * What 1,000 images a second sustained needs, from per-image figures measured in a real local run.
 *
 * Usage: `npm run bench:capacity` (= `npx tsx bench/capacity/main.ts`); about 2-3 minutes on 2 cores. Run `npm run
 * build` first: the runner runs from dist/. Writes bench/capacity/results.md and .json.
 *
 * 1. Read the deployed configuration from the synthesized stack (inference none, defaults otherwise).
 * 2. Measure (measure.ts): calls per service and API, item and object sizes, processor time per image.
 * 3. Model (model.ts) at 1,000 images/s for each image class; print and write the results.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { DEFAULT_SETTINGS, type DeploymentSettings } from '../../lambdas/settings';
import { imagesInFlight, processorConcurrency } from '../../lambdas/settings/processing';
import * as tableDesign from '../../lambdas/store/table-design';
import { describeMachine, loadAverages, machineInfo } from '../../test/support/machine';
import { ASSUMPTIONS, PRICES, QUOTAS } from '../support/aws-assumptions';
import { type IndexShape, itemSize, lifecycleFigures, readUnits, type TableShape } from '../support/dynamodb';
import { capacityCorpus } from './corpus';
import { deployedConfiguration } from './deployed';
import { type ClassRun, type MeasureRun, measure } from './measure';
import { capacityModel, type Deployed, type MeasuredApi, type MeasuredImage } from './model';
import { finiteMedian, renderMarkdown } from './report';

const ROOT = path.join(__dirname, '../..');
const LABELS = { small: '1280x800 photo (fixture JPEG)', large: '12 MP JPEG' } as const;

/** The table's shape as the design says at run time (indexes, the old ones kept for contrast, shards). */
export function tableShape(): TableShape {
  const design = tableDesign.TABLE_DESIGN as unknown as {
    partitionKey: string;
    indexes: Record<string, IndexShape>;
    retiredIndexes?: Record<string, IndexShape>;
  };
  const shards = (tableDesign as Record<string, unknown>).LIST_SHARDS;
  return {
    tableKey: design.partitionKey,
    indexes: Object.values(design.indexes),
    retired: Object.values(design.retiredIndexes ?? {}),
    designShards: typeof shards === 'number' ? shards : undefined,
  };
}

function measuredImage(
  run: ClassRun,
  api: MeasureRun['api'],
  table: TableShape,
): { image: MeasuredImage; api: MeasuredApi } {
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
  return {
    image: {
      label: LABELS[run.cls],
      processorAloneS: finiteMedian(run.aloneMs) / 1000,
      processorCpuS: Math.max(0, run.loadCpuS - api.createCpuS),
      requests: run.requests,
      s3ByPrefix: run.s3ByPrefix,
      originalBytes: run.originalBytes,
      thumbnailBytes: run.thumbnailBytes,
      eventBytes: run.eventBytes,
      dynamodb: lifecycleFigures(run.states, table, run.requests['dynamodb.Query'] ?? 0),
      postings: run.postings,
    },
    api: {
      createUploadS: finiteMedian(api.createMs) / 1000,
      createUploadCpuS: api.createCpuS,
      getImageS: finiteMedian(api.getMs) / 1000,
      getImageCpuS: api.getCpuS,
      getImageReadUnits: mean(run.states.map((s) => readUnits(itemSize(s.final), true))),
    },
  };
}

/** When dist/ (what the runner runs) is older than the newest source under lambdas/, say so. */
function buildFreshness(): string {
  const built = path.join(ROOT, 'dist/lambdas/local/main.js');
  let newest = 0;
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(full).mtimeMs);
    }
  };
  walk(path.join(ROOT, 'lambdas'));
  try {
    const at = statSync(built).mtimeMs;
    return at >= newest
      ? 'dist/ built after the last change under lambdas/.'
      : `WARNING: dist/ is older than lambdas/ (${Math.round((newest - at) / 1000)} s): run \`npm run build\`.`;
  } catch {
    return 'dist/ missing: the runner ran from source (tsx).';
  }
}

const count = (value: string) => {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) throw new InvalidArgumentError('expected an integer >= 1');
  return parsed;
};

async function main(argv: string[]): Promise<void> {
  const flags = new Command('npm run bench:capacity --')
    .description('Measure the pipeline per image on a local run, then model 1,000 images/s.')
    .addOption(new Option('--small <n>', 'fixture photos uploaded under load').default(120).argParser(count))
    .addOption(new Option('--large <n>', '12 MP JPEGs uploaded under load').default(40).argParser(count))
    .addOption(new Option('--alone <n>', 'images of each size processed one at a time').default(4).argParser(count))
    .parse(argv, { from: 'user' })
    .opts<{ small: number; large: number; alone: number }>();
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const command = `npm run bench:capacity${argv.length ? ` -- ${argv.join(' ')}` : ''}`;
  const loadBefore = loadAverages();
  const build = buildFreshness();
  log(build);
  const settings: DeploymentSettings = { ...DEFAULT_SETTINGS, inference: 'none' };
  log('synthesizing the stack (inference none) for its configuration');
  const { source, ...deployed }: Deployed & { source: string } = deployedConfiguration({ inference: 'none' });
  const table = tableShape();
  const corpus = await capacityCorpus(log);
  const run = await measure(corpus, {
    apiOnly: 30,
    aloneEach: flags.alone,
    load: { small: flags.small, large: flags.large },
    clients: 8,
    log,
  });
  const measured = run.classes.map((cls) => {
    const figures = measuredImage(cls, run.api, table);
    const result = capacityModel({
      rate: ASSUMPTIONS.rate,
      settings,
      deployed,
      ...figures,
      quotas: QUOTAS,
      prices: PRICES,
      assumptions: ASSUMPTIONS,
    });
    return { label: figures.image.label, ...figures, result };
  });
  const machine = machineInfo();
  const derived = { imagesInFlight: imagesInFlight(settings), processorConcurrency: processorConcurrency(settings) };
  const report = {
    command,
    date: new Date().toISOString(),
    machine: describeMachine(machine),
    load: { before: loadBefore, after: loadAverages() },
    emulator: run.emulator,
    corpus: corpus.provenance,
    build,
    settingsLine:
      `DEFAULT_SETTINGS with inference none: processorMemoryMb ${settings.processorMemoryMb}, processorBatchSize ` +
      `${settings.processorBatchSize}, imagesInFlight() ${derived.imagesInFlight}, processorConcurrency() ` +
      `${derived.processorConcurrency}, thumbnailSizes ${settings.thumbnailSizes.join('/')}; table indexes ` +
      `${table.indexes.map((i) => i.indexName).join(', ')} (${table.designShards ?? 'no'} shards per list group), ` +
      `old ones for contrast: ${table.retired.map((i) => i.indexName).join(', ') || 'none'}; local runner ` +
      `${JSON.stringify(run.runnerProcessing)}`,
    deployedLine:
      `processor ${deployed.processorMemoryMb} MB, batch ${deployed.batchSize}, event source maximum concurrency ` +
      `${deployed.maxConcurrency}; create-upload ${deployed.apiMemoryMb} MB; API stage throttle ${deployed.stageRateLimit} ` +
      `req/s (burst ${deployed.stageBurstLimit}); from ${source}`,
    runs: run.classes,
    measured,
    assumptions: [
      `Lambda CPU: ${QUOTAS.lambdaMbPerVcpu.toLocaleString('en-US')} MB of memory = 1 vCPU (AWS), and one Graviton vCPU as fast as one core of ` +
        `this machine (${machine.cpu}) for sharp's work (lambdaCoreSpeed ${ASSUMPTIONS.lambdaCoreSpeed}; not measured: no ` +
        'arm64 host). A slower core raises the CPU-bound seconds, the concurrency and the compute cost in proportion.',
      "The processor's time alone includes moto's latency (a Python emulator on loopback), not S3's in-Region " +
        "latency; the CPU figure is the runner process's own CPU (moto and the proxy excluded).",
      'At 1,000 images/s batches are full: SQS receives and deletes are 1 per batch of ' +
        `${deployed.batchSize}, and a processor invocation is 1/${deployed.batchSize} per image (the local run's empty ` +
        'receives and partial batches are shown in the measured table, not costed).',
      `Quotas as AWS documents their defaults (bench/support/aws-assumptions.ts); EventBridge PutEvents ` +
        `${QUOTAS.eventBridgePutEventsTps.toLocaleString('en-US')} ` +
        'TPS assumes us-east-1 (us-west-2 and eu-west-1 are the same; us-east-2 2,400; smaller Regions less).',
      'S3: the limits are per partitioned prefix. Keys start with a ULID, whose first characters are the time, so at any ' +
        "moment every new key lands at the end of its prefix's key range: one partition takes all new writes of a prefix, " +
        'whatever S3 splits. A new bucket starts as one partition for both prefixes until S3 splits them under load ' +
        '(503 SlowDown meanwhile, retried by the SDK).',
      `Each image fetched once by a client (GET /images/{id} and one thumbnail GET); logs ` +
        `${ASSUMPTIONS.logBytesPerImage.toLocaleString('en-US')} B ` +
        `and ${ASSUMPTIONS.tracesPerImage} X-Ray traces per image, as docs/costs.md assumed before (not measured).`,
      'Prices: us-east-1 list prices after free tiers (bench/support/aws-assumptions.ts), the ones docs/costs.md uses.',
    ],
    wallS: run.wallS,
  };
  const markdown = renderMarkdown(report);
  writeFileSync(path.join(__dirname, 'results.md'), markdown);
  const json = {
    ...report,
    settings,
    deployed,
    quotas: QUOTAS,
    prices: PRICES,
    assumptionsUsed: ASSUMPTIONS,
    api: run.api,
    // One image's three item states per class, for checking the sizes by hand; the rest are summarised.
    runs: run.classes.map(({ states, ...rest }) => ({ ...rest, sampleStates: states[0] })),
  };
  const jsonFile = path.join(__dirname, 'results.json');
  // Six significant digits are plenty for timings and sizes; the repository's formatter has the last word on layout.
  const rounded = (_: string, value: unknown) =>
    typeof value === 'number' && !Number.isInteger(value) ? Number(value.toPrecision(6)) : value;
  writeFileSync(jsonFile, `${JSON.stringify(json, rounded, 2)}\n`);
  spawnSync(path.join(ROOT, 'node_modules/.bin/biome'), ['format', '--write', jsonFile], { stdio: 'ignore' });
  process.stdout.write(`${markdown}\nwrote bench/capacity/results.md and bench/capacity/results.json\n`);
}

main(process.argv.slice(2)).catch((error: Error) => {
  process.stderr.write(`${error.stack ?? error.message}\n`);
  process.exit(1);
});
