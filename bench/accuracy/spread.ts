/**
 * How firmly the tuning half sets each object class's found threshold (issue 77, item 5: "a class found at 0.41 that
 * misses a clear 0.40 dog is a threshold to check, not to tune to one photo"). Nothing is written or re-tuned.
 *
 * 1. The tuning half's recorded predictions (predictions/), calibrated as `npm run bench:accuracy` does (score.ts,
 *    with main.ts's targets and support): each class's found threshold, and whether it is its own or the rare group's.
 * 2. The same calibration on 1,000 resamples of the tuning photos (drawn with replacement, a fixed seed): the spread of
 *    each class's found threshold, 5th to 95th percentile, and how often the class had enough positives for its own.
 * 3. Print a table: class, positive tuning photos, right and wrong ones at its found threshold, the threshold (its
 *    own or the rare group's), its spread.
 *
 * `npx tsx bench/accuracy/spread.ts [--resamples N]`.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { CALIBRATION, type Calibration, foundThresholdOf } from '../../lambdas/vision/calibration';
import { OFFLINE_RUN, type Predictions } from './predict';
import { calibrate, type Example, examplesOf, positives } from './score';
import { type LabelledSet, readSet } from './set';

const SET = path.join(__dirname, 'set');
const PREDICTIONS = path.join(__dirname, 'predictions', `${OFFLINE_RUN}.json`);
/** As main.ts calibrates. */
const OPTIONS = { target: 0.9, foundTarget: 0.7, minSupport: 5 };

/** A small seeded generator (mulberry32), so the spread is the same on every run. */
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;
}

/** Found thresholds per class from tuning photos `names` (repeats allowed: each drawn photo counts once more). */
function foundOf(set: LabelledSet, predictions: Predictions, names: string[]) {
  const images: LabelledSet['images'] = {};
  const predicted: Predictions['images'] = {};
  names.forEach((name, i) => {
    images[`tune/${i}-${name}`] = set.images[name] as LabelledSet['images'][string];
    predicted[`tune/${i}-${name}`] = predictions.images[name] as Predictions['images'][string];
  });
  const tune = examplesOf({ images }, { ...predictions, images: predicted }, 'tune');
  // `made` is not calibrated: the committed one's stands in, as nothing is written.
  const calibration: Calibration = { ...CALIBRATION, ...calibrate(tune, OPTIONS) };
  const objects = tune.objects.kind === 'classes' ? tune.objects.byClass : new Map<string, Example[]>();
  return { calibration, objects };
}

function main(): void {
  const { resamples } = new Command()
    .option('--resamples <n>', 'resamples of the tuning photos', '1000')
    .parse()
    .opts<{ resamples: string }>();
  const set = readSet(SET);
  const predictions = JSON.parse(readFileSync(PREDICTIONS, 'utf8')) as Predictions;
  const tuning = Object.keys(set.images)
    .filter((name) => name.startsWith('tune/'))
    .sort();
  const whole = foundOf(set, predictions, tuning);
  const random = seeded(77);
  const drawn = new Map<string, number[]>();
  const own = new Map<string, number>();
  for (let r = 0; r < Number(resamples); r++) {
    const names = tuning.map(() => tuning[Math.floor(random() * tuning.length)] as string);
    const { calibration, objects } = foundOf(set, predictions, names);
    for (const name of whole.objects.keys()) {
      drawn.set(name, [...(drawn.get(name) ?? []), foundThresholdOf(calibration, 'objects', name)]);
      if (positives(objects.get(name) ?? []) >= OPTIONS.minSupport) own.set(name, (own.get(name) ?? 0) + 1);
    }
  }
  const rows = [...whole.objects.entries()]
    .filter(([, examples]) => positives(examples) > 0)
    .sort(([a, x], [b, y]) => positives(y) - positives(x) || a.localeCompare(b))
    .map(([name, examples]) => {
      const found = foundThresholdOf(whole.calibration, 'objects', name);
      const spread = drawn.get(name) ?? [];
      const wrong = examples.filter((e) => e.truth === 'no' && e.score >= found).length;
      const right = examples.filter((e) => e.truth === 'yes' && e.score >= found).length;
      const kind = positives(examples) >= OPTIONS.minSupport && found !== whole.calibration.found.objects.rare;
      return `| ${name} | ${positives(examples)} | ${right} / ${wrong} | ${found.toFixed(4)} (${kind ? 'own' : 'rare group'}) | ${quantile(spread, 0.05).toFixed(2)}-${quantile(spread, 0.95).toFixed(2)} | ${Math.round((100 * (own.get(name) ?? 0)) / Number(resamples))} % |`;
    });
  process.stdout.write(
    [
      `Found thresholds of the object classes, calibrated on the ${tuning.length} tuning photos, and their spread over ${resamples} resamples of them (\`npx tsx bench/accuracy/spread.ts --resamples ${resamples}\`).`,
      '',
      '| class | positive tuning photos | right / wrong tuning photos at the threshold | found threshold | 5th-95th percentile over resamples | resamples with >= 5 positives |',
      '| --- | --- | --- | --- | --- | --- |',
      ...rows,
      '',
    ].join('\n'),
  );
}

main();
