/**
 * How long a backfill of 1,000,000 existing photos takes and what it costs, from a real local backfill run.
 *
 * Usage: `npm run bench:backfill` (= `npx tsx bench/backfill/main.ts`); about 2 minutes on 2 cores. Run `npm run
 * build` first: the runner runs from dist/. Writes bench/backfill/results.md and .json.
 *
 * 1. Measure (measure.ts): a backfill of N 12 MP JPEGs and of a few objects that are no image, through the
 *    runner's Step Functions API, every AWS call counted by the capacity bench's proxy.
 * 2. Per photo (figures.ts): calls, CPU, write and read units, bytes; a child execution's duration.
 * 3. Model (model.ts, cost.ts) for 1,000,000 photos at the default settings, inference none and rekognition: each
 *    stage's pace, the one that binds, the time, the cost, and the least settings that bring them in within an hour.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { DEFAULT_SETTINGS, type DeploymentSettings } from '../../lambdas/settings';
import { describeMachine, loadAverages } from '../../test/support/machine';
import { capacityCorpus } from '../capacity/corpus';
import { ASSUMPTIONS, PRICES, QUOTAS } from '../support/aws-assumptions';
import { backfillCost } from './cost';
import { backfillFigures } from './figures';
import { measureBackfill } from './measure';
import {
  type BackfillModelInput,
  backfillTime,
  ESTIMATED_AWS_CHILD_S,
  executionSeconds,
  settingsForDeadline,
} from './model';
import { renderBackfill } from './report';

const OBJECTS = 1_000_000;
const DEADLINE_S = 3600;

const count = (value: string) => {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 10) throw new InvalidArgumentError('expected an integer >= 10');
  return parsed;
};

async function main(argv: string[]): Promise<void> {
  const flags = new Command('npm run bench:backfill --')
    .description('Measure a local backfill per photo, then model 1,000,000 photos.')
    .addOption(new Option('--images <n>', '12 MP JPEGs in the measured backfill').default(200).argParser(count))
    .parse(argv, { from: 'user' })
    .opts<{ images: number }>();
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const command = `npm run bench:backfill${argv.length ? ` -- ${argv.join(' ')}` : ''}`;
  const loadBefore = loadAverages();
  const corpus = await capacityCorpus(log);
  const run = await measureBackfill(corpus.large, { images: flags.images, log });
  const figures = backfillFigures(run);
  const settings: DeploymentSettings = { ...DEFAULT_SETTINGS, inference: 'none' };
  const input: BackfillModelInput = {
    objects: OBJECTS,
    deadlineS: DEADLINE_S,
    settings,
    measured: {
      cpuS: figures.cpuS,
      childS: figures.childS,
      s3WritesByPrefix: figures.s3WritesByPrefix,
      recordWru: figures.record.tableWru + figures.record.indexWru,
      postingWru: figures.postings.units,
    },
    quotas: QUOTAS,
    assumptions: ASSUMPTIONS,
  };
  const rekognition: DeploymentSettings = { ...settings, inference: 'rekognition' };
  const model = {
    none: { execution: executionSeconds(figures.cpuS, settings, QUOTAS, 1), ...backfillTime(input) },
    rekognition: {
      execution: executionSeconds(figures.cpuS, rekognition, QUOTAS, 1),
      ...backfillTime(input, rekognition),
    },
    // The same with a child as quick as the definition estimates it in AWS (not measured).
    estimatedChild: backfillTime({ ...input, measured: { ...input.measured, childS: ESTIMATED_AWS_CHILD_S } }),
    hour: { none: settingsForDeadline(input, 'none'), rekognition: settingsForDeadline(input, 'rekognition') },
  };
  const cost = backfillCost(
    OBJECTS,
    settings.processorBatchSize,
    {
      processorS: model.none.execution.perImage,
      processorGb: settings.processorMemoryMb / 1024,
      childS: figures.childS,
      s3Puts: figures.s3Puts,
      s3Gets: figures.s3Gets,
      recordWru: figures.record.tableWru + figures.record.indexWru,
      postingWru: figures.postings.units,
      rru: figures.rru,
      putEvents: figures.putEvents,
      eventBytes: run.eventBytes,
      derivedBytes: run.derivedBytes,
      dynamoBytes: figures.dynamoBytes,
    },
    PRICES,
    ASSUMPTIONS,
  );
  const report = {
    command,
    date: new Date().toISOString(),
    machine: describeMachine(),
    load: { before: loadBefore, after: loadAverages() },
    emulator: run.emulator,
    runnerProcessing: run.runnerProcessing,
    objects: OBJECTS,
    deadlineS: DEADLINE_S,
    settings: {
      processorMemoryMb: settings.processorMemoryMb,
      processorBatchSize: settings.processorBatchSize,
      backfillMaxConcurrency: settings.backfillMaxConcurrency,
      rekognitionTps: settings.rekognitionTps,
      thumbnailSizes: settings.thumbnailSizes,
    },
    run: { images: run.images, others: run.others, children: run.children, wallS: run.wallS },
    originalBytes: run.originalBytes,
    derivedBytes: run.derivedBytes,
    eventBytes: run.eventBytes,
    figures,
    model,
    cost,
  };
  const markdown = renderBackfill(report);
  writeFileSync(path.join(__dirname, 'results.md'), markdown);
  const jsonFile = path.join(__dirname, 'results.json');
  const rounded = (_: string, value: unknown) =>
    typeof value === 'number' && !Number.isInteger(value) ? Number(value.toPrecision(6)) : value;
  const { durationsMs, ...children } = run.children;
  const json = {
    ...report,
    run: { ...report.run, children: { ...children, durationsMs: durationsMs.slice(0, 20) } },
    quotas: QUOTAS,
    prices: PRICES,
  };
  writeFileSync(jsonFile, `${JSON.stringify(json, rounded, 2)}\n`);
  spawnSync(path.join(__dirname, '../../node_modules/.bin/biome'), ['format', '--write', jsonFile], {
    stdio: 'ignore',
  });
  process.stdout.write(`${markdown}\nwrote bench/backfill/results.md and bench/backfill/results.json\n`);
}

main(process.argv.slice(2)).catch((error: Error) => {
  process.stderr.write(`${error.stack ?? error.message}\n`);
  process.exit(1);
});
