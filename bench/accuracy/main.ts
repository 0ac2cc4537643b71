/**
 * Shown means right: the offline models' precision and recall on the labelled set, and the thresholds the product
 * shows results at.
 *
 * 1. Predict: the models over every photo of the set, on the pipeline's pixels, every score above the floors
 *    (predict.ts); written to bench/accuracy/predictions/ (or read from there with `--predictions`).
 * 2. Calibrate on the tuning half (score.ts): per source and class, the lowest threshold with precision >= 0.9.
 * 3. Write the thresholds to lambdas/vision/calibration.json, which the product reads.
 * 4. Score the evaluation half at the calibrated thresholds and at today's, and write results.json (the regression
 *    test reads it) and results.md.
 *
 * Usage: `npm run bench:accuracy [-- --set <dir>] [-- --predictions <file>]`.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { CALIBRATION, type Calibration, type Thresholds, thresholdOf } from '../../lambdas/vision/calibration';
import { describeMachine } from '../../test/support/machine';
import { OFFLINE_RUN, type Predictions, predictSet } from './predict';
import { type AccuracyResults, renderResults, type SourceResult } from './report';
import { calibrate, examplesOf, FACE, positives, SOURCES, type Source, scoreSource, TODAY } from './score';
import { readSet } from './set';

const ROOT = path.join(__dirname, '../..');
const TARGET = 0.9;
const MIN_SUPPORT = 5;

async function main(): Promise<void> {
  const options = new Command()
    .option('--set <dir>', 'the labelled set', path.join(ROOT, 'bench/accuracy/set'))
    .option('--predictions <file>', 'score this predictions file instead of running the models')
    .option('--out <dir>', 'where results.md and results.json go', path.join(ROOT, 'bench/accuracy'))
    .option('--calibration <file>', 'where the thresholds go', path.join(ROOT, 'lambdas/vision/calibration.json'))
    .option('--set-version <text>', 'which version of the set, for results.md (e.g. the commit that last changed it)')
    .parse()
    .opts<{ set: string; predictions?: string; out: string; calibration: string; setVersion?: string }>();
  const set = readSet(options.set);
  const predictions = options.predictions
    ? (JSON.parse(readFileSync(options.predictions, 'utf8')) as Predictions)
    : await predictSet(options.set, {
        onImage: (name, done, total) => process.stderr.write(`${done}/${total} ${name}\n`),
      });
  const written: string[] = [];
  if (!options.predictions) {
    const file = path.join(ROOT, 'bench/accuracy/predictions', `${OFFLINE_RUN}.json`);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify(predictions)}\n`);
    written.push(file);
  }

  const tune = examplesOf(set, predictions, 'tune');
  const evaluation = examplesOf(set, predictions, 'eval');
  const date = new Date().toISOString().slice(0, 10);
  const setName = `${path.relative(ROOT, options.set) || options.set}${options.setVersion ? ` (${options.setVersion})` : ''}`;
  const calibration: Calibration = {
    made: { command: 'npm run bench:accuracy', set: `${setName} (tune half)`, date },
    ...calibrate(tune, { target: TARGET, minSupport: MIN_SUPPORT }),
    // The retrieval thresholds are not calibrated yet: the committed ones are kept.
    found: CALIBRATION.found,
  };
  writeFileSync(options.calibration, `${JSON.stringify(calibration, null, 2)}\n`);
  written.push(options.calibration);

  const sources = Object.fromEntries(
    SOURCES.map((source) => [source, resultOf(source, calibration, tune, evaluation)]),
  ) as Record<Source, SourceResult>;
  const names = Object.keys(set.images);
  const ms = Object.values(predictions.images)
    .map((i) => i.ms)
    .sort((a, b) => a - b);
  const results: AccuracyResults = {
    date,
    machine: describeMachine(),
    command: `npm run bench:accuracy${options.predictions ? ` -- --predictions ${options.predictions}` : ''}`,
    set: setName,
    images: {
      tune: names.filter((n) => n.startsWith('tune/')).length,
      eval: names.filter((n) => n.startsWith('eval/')).length,
    },
    run: predictions.run,
    input: predictions.input,
    target: TARGET,
    minSupport: MIN_SUPPORT,
    msPerImage: { median: ms[Math.floor(ms.length / 2)] ?? 0, p90: ms[Math.floor(ms.length * 0.9)] ?? 0 },
    sources,
  };
  writeFileSync(path.join(options.out, 'results.json'), `${JSON.stringify(results, null, 1)}\n`);
  written.push(path.join(options.out, 'results.json'));
  // Committed files are kept as the project's formatter writes them.
  spawnSync(path.join(ROOT, 'node_modules/.bin/biome'), ['format', '--write', ...written], { stdio: 'ignore' });
  writeFileSync(path.join(options.out, 'results.md'), renderResults(results));
  process.stdout.write(renderResults(results));
}

/** One source's classes: threshold, tuning support, counts on eval at the calibrated threshold and at today's. */
function resultOf(
  source: Source,
  calibration: Calibration,
  tune: ReturnType<typeof examplesOf>,
  evaluation: ReturnType<typeof examplesOf>,
): SourceResult {
  const calibrated = (name: string) =>
    source === 'faces' ? calibration.faces : thresholdOf(calibration[source] as Thresholds, name);
  const today = () => TODAY[source];
  const atCalibrated = scoreSource(evaluation[source], calibrated);
  const atToday = scoreSource(evaluation[source], today);
  const tuned = scoreSource(tune[source], calibrated);
  const tuneExamples = tune[source];
  return {
    today: TODAY[source],
    pooled: source === 'faces' ? calibration.faces : (calibration[source] as Thresholds).pooled,
    ...(source === 'faces' ? {} : { rare: (calibration[source] as Thresholds).rare }),
    total: { eval: atCalibrated.total, today: atToday.total, tune: tuned.total },
    classes: atCalibrated.classes.map(({ name, threshold, counts }) => ({
      name,
      threshold,
      support:
        tuneExamples.kind === 'faces'
          ? tuneExamples.images.reduce((n, i) => n + i.faces, 0)
          : positives(tuneExamples.byClass.get(name) ?? []),
      eval: counts,
      today: atToday.classes.find((c) => c.name === name)?.counts ?? counts,
    })),
    ...(source === 'faces' ? { note: `one threshold for every ${FACE}` } : {}),
  };
}

if (require.main === module) {
  main().catch((error) => {
    process.stderr.write(`${(error as Error).stack}\n`);
    process.exit(1);
  });
}
