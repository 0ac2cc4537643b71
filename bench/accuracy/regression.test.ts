/**
 * The precision results.md states for what the product shows, held: the offline models run again over the
 * evaluation half (on the pipeline's pixels, as `npm run bench:accuracy` ran them) at the committed thresholds
 * (lambdas/vision/calibration.json), and every source and class must keep the precision results.json records, less
 * one right answer (precisionFloor): a model, a threshold, a derivative or a rule that makes two more photos wrong
 * fails it. A minute or two on 2 cores, most of it the models.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { CALIBRATION, thresholdOf } from '../../lambdas/vision/calibration';
import { predictSet } from './predict';
import { type AccuracyResults, precisionFloor } from './report';
import { examplesOf, SOURCES, type Source, scoreSource } from './score';
import { readSet } from './set';

const ROOT = path.join(__dirname, '../..');
const SET = path.join(ROOT, 'bench/accuracy/set');
const results = JSON.parse(readFileSync(path.join(__dirname, 'results.json'), 'utf8')) as AccuracyResults;

const thresholdFor = (source: Source) => (name: string) =>
  source === 'faces' ? CALIBRATION.faces : thresholdOf(CALIBRATION[source], name);

describe('the precision results.md states, on the evaluation half', () => {
  let measured: Record<Source, ReturnType<typeof scoreSource>>;

  beforeAll(async () => {
    if (!existsSync(path.join(SET, 'labels.json'))) throw new Error(`the evaluation set is missing: ${SET}`);
    const set = readSet(SET);
    const predictions = await predictSet(SET, { split: 'eval' });
    const evaluation = examplesOf(set, predictions, 'eval');
    measured = Object.fromEntries(
      SOURCES.map((source) => [source, scoreSource(evaluation[source], thresholdFor(source))]),
    ) as typeof measured;
  }, 900_000);

  it('uses the thresholds results.md was made with', () => {
    for (const source of SOURCES) {
      for (const { name, threshold } of results.sources[source].classes) {
        expect({ source, name, threshold: thresholdFor(source)(name) }).toEqual({ source, name, threshold });
      }
    }
  });

  it.each(SOURCES)('keeps the precision of %s, all classes together and each class', (source) => {
    const stated = results.sources[source];
    const rows = [
      { name: '(all)', stated: stated.total.eval, now: measured[source].total },
      ...stated.classes.map((c) => ({
        name: c.name,
        stated: c.eval,
        now: measured[source].classes.find((m) => m.name === c.name)?.counts,
      })),
    ];
    for (const { name, stated: counts, now } of rows) {
      const floor = precisionFloor(counts);
      if (floor === undefined) continue;
      const precision = now && now.tp + now.fp > 0 ? now.precision : 1;
      expect({ source, name, precision, atLeast: floor, ok: (precision ?? 0) >= floor }).toEqual({
        source,
        name,
        precision,
        atLeast: floor,
        ok: true,
      });
    }
  });
});
