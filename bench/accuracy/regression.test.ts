/**
 * What results.md states, held: the evaluation half's predictions, as `npm run bench:accuracy` recorded them
 * (predictions/<run>.json), scored at the committed thresholds (lambdas/vision/calibration.json), and
 * - every source and class keeps the precision of what is shown that results.json records, less one right answer
 *   (precisionFloor);
 * - every source keeps its recall of what is shown, and objects and derived labels the precision and recall of what
 *   a search finds, less one right answer, one example found (recallFloor).
 * A threshold, a scorer or a calibration that makes two more photos wrong, or two fewer found, fails it.
 *
 * The recording must be the models' answers now: the models run again (on the pipeline's pixels, as the bench ran
 * them) over a spread sample of the evaluation half, and every score must be the recorded one; a model, a derived
 * label's rule or a thumbnail change that moves any of them fails here until the bench records again. With
 * IMAGE_INTEL_ACCURACY_CHECK=all (`npm run test:accuracy`, and `npm run test:changed` when a change reaches the
 * models) every photo of the half runs: about two minutes on 2 cores, where the sample takes seconds. It cannot pass
 * on nothing: the evaluation half must be the photos results.json counted, and results.json must state something
 * shown for objects, faces and labels and something found for objects and labels.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { CALIBRATION } from '../../lambdas/vision/calibration';
import { type ImagePrediction, OFFLINE_RUN, type Predictions, predictImage } from './predict';
import { type AccuracyResults, precisionFloor, recallFloor } from './report';
import {
  type Counts,
  examplesOf,
  FOUND_SOURCES,
  foundThresholds,
  SOURCES,
  type Source,
  scoreSource,
  shownThresholds,
} from './score';
import { readSet, splitOf } from './set';

const ROOT = path.join(__dirname, '../..');
const SET = path.join(ROOT, 'bench/accuracy/set');
const results = JSON.parse(readFileSync(path.join(__dirname, 'results.json'), 'utf8')) as AccuracyResults;
const RECORDED = path.join(__dirname, 'predictions', `${OFFLINE_RUN}.json`);
/** Photos of the evaluation half the models run on again in `npm test`, evenly spread in name order. */
const SAMPLE = 12;
/** A recorded score is the score now to this much (the file keeps 4 decimals; ONNX Runtime may differ in the 6th). */
const SCORE_TOLERANCE = 0.0015;
const CHECK_ALL = process.env.IMAGE_INTEL_ACCURACY_CHECK === 'all';

type Scored = ReturnType<typeof scoreSource>;

/** The failure names the source, the row and both figures; `ok` is what must hold. */
function expectAtLeast(what: Record<string, string>, now: number, floor: number): void {
  expect({ ...what, now, atLeast: floor, ok: now >= floor }).toEqual({ ...what, now, atLeast: floor, ok: true });
}

/**
 * Precision now against the stated counts' floor; nothing said now is nothing wrong (recall catches it). Where nothing
 * was said (no flagged photo for moderation), one wrong answer now is the one allowed.
 */
function holdsPrecision(what: Record<string, string>, stated: Counts, now: Counts | undefined): void {
  const floor = precisionFloor(stated);
  if (floor === undefined) {
    const wrong = now?.fp ?? 0;
    expect({ ...what, wrong, ok: wrong <= 1 }).toEqual({ ...what, wrong, ok: true });
  } else expectAtLeast(what, now && now.tp + now.fp > 0 ? (now.precision ?? 0) : 1, floor);
}

/** Recall now against the stated counts' floor; where nothing was there, nothing is there now (the same set). */
function holdsRecall(what: Record<string, string>, stated: Counts, now: Counts): void {
  const floor = recallFloor(stated);
  if (floor === undefined) expect({ ...what, there: now.tp + now.fn }).toEqual({ ...what, there: 0 });
  else expectAtLeast(what, now.recall ?? 0, floor);
}

/** The recorded predictions of the evaluation half, read once for every test below. */
const RECORDED_EVAL: Predictions = (() => {
  const recorded = JSON.parse(readFileSync(RECORDED, 'utf8')) as Predictions;
  const images = Object.entries(recorded.images).filter(([name]) => splitOf(name) === 'eval');
  return { ...recorded, images: Object.fromEntries(images) };
})();

/** What the models said of one photo, each kind sorted by name then score, without the time it took. */
function answers({ ms: _ms, ...prediction }: ImagePrediction) {
  const sorted = <T extends { name?: string; confidence: number }>(list: T[]) =>
    [...list].sort((a, b) => (a.name ?? '').localeCompare(b.name ?? '') || a.confidence - b.confidence);
  return {
    objects: sorted(prediction.objects),
    faces: sorted(prediction.faces),
    labels: sorted(prediction.labels),
    moderation: sorted(Object.entries(prediction.moderation).map(([name, confidence]) => ({ name, confidence }))),
  };
}

/** Every answer that moved by more than SCORE_TOLERANCE (or appeared, or went), recorded beside now, for the failure. */
function differences(recorded: ImagePrediction, now: ImagePrediction): string[] {
  const was = answers(recorded);
  const is = answers(now);
  const found: string[] = [];
  for (const kind of Object.keys(was) as (keyof typeof was)[]) {
    const a = was[kind] as { name?: string; confidence: number }[];
    const b = is[kind] as { name?: string; confidence: number }[];
    if (a.length !== b.length) found.push(`${kind}: ${a.length} recorded, ${b.length} now`);
    for (const [i, one] of a.entries()) {
      const other = b[i];
      if (!other || other.name !== one.name || Math.abs(other.confidence - one.confidence) > SCORE_TOLERANCE)
        found.push(
          `${kind}[${i}]: ${one.name ?? 'face'} ${one.confidence} recorded, ${other ? `${other.name ?? 'face'} ${other.confidence}` : 'nothing'} now`,
        );
    }
  }
  return found;
}

describe('the recorded predictions are what the models say now', () => {
  const names = Object.keys(RECORDED_EVAL.images).sort();
  const sample = Array.from({ length: SAMPLE }, (_, i) => names[Math.floor((i * names.length) / SAMPLE)] as string);
  const checked = CHECK_ALL ? names : [...new Set(sample)];

  it.each(checked)('%s', async (name) => {
    const recorded = RECORDED_EVAL.images[name] as ImagePrediction;
    const now = await predictImage(readFileSync(path.join(SET, name)));
    expect({ name, moved: differences(recorded, now) }).toEqual({ name, moved: [] });
  });
});

describe('the precision and recall results.md states, on the evaluation half', () => {
  let images = 0;
  let shown: Record<Source, Scored>;
  let found: Partial<Record<Source, Scored>>;

  beforeAll(async () => {
    if (!existsSync(path.join(SET, 'labels.json'))) throw new Error(`the evaluation set is missing: ${SET}`);
    const set = readSet(SET);
    const predictions = RECORDED_EVAL;
    images = Object.keys(predictions.images).length;
    const evaluation = examplesOf(set, predictions, 'eval');
    shown = Object.fromEntries(
      SOURCES.map((source) => [source, scoreSource(evaluation[source], shownThresholds(CALIBRATION, source))]),
    ) as typeof shown;
    found = Object.fromEntries(
      FOUND_SOURCES.map((source) => {
        const threshold = foundThresholds(CALIBRATION, source);
        if (!threshold) throw new Error(`${source} has no found thresholds`);
        return [source, scoreSource(evaluation[source], threshold)];
      }),
    );
  });

  it('measures the photos results.json counted, and results.json states figures to hold', () => {
    expect(images).toBe(results.images.eval);
    expect(images).toBeGreaterThan(0);
    for (const source of ['objects', 'faces', 'labels'] as const)
      expect({ source, shown: results.sources[source].total.shown.tp > 0 }).toEqual({ source, shown: true });
    for (const source of FOUND_SOURCES)
      expect({ source, found: (results.sources[source].total.found?.tp ?? 0) > 0 }).toEqual({ source, found: true });
  });

  it('uses the thresholds results.md was made with, shown and found', () => {
    for (const source of SOURCES) {
      const shownAt = shownThresholds(CALIBRATION, source);
      const foundAt = foundThresholds(CALIBRATION, source);
      for (const c of results.sources[source].classes) {
        const stated = { source, name: c.name, shown: c.shown.threshold, found: c.found?.threshold };
        expect({ source, name: c.name, shown: shownAt(c.name), found: foundAt?.(c.name) }).toEqual(stated);
      }
    }
  });

  it.each(SOURCES)('keeps the shown precision of %s, all classes together and each class', (source) => {
    const stated = results.sources[source];
    holdsPrecision({ source, name: '(all)' }, stated.total.shown, shown[source].total);
    for (const c of stated.classes) {
      const now = shown[source].classes.find((m) => m.name === c.name)?.counts;
      holdsPrecision({ source, name: c.name }, c.shown.counts, now);
    }
  });

  it.each(SOURCES)('keeps the shown recall of %s, all classes together', (source) => {
    holdsRecall({ source, shown: 'recall' }, results.sources[source].total.shown, shown[source].total);
  });

  it.each(FOUND_SOURCES)('keeps the found precision and recall of %s, all classes together', (source) => {
    const stated = results.sources[source].total.found;
    const now = found[source]?.total;
    if (!stated || !now) throw new Error(`${source}: results.json or the calibration has no found figures`);
    holdsPrecision({ source, found: 'precision' }, stated, now);
    holdsRecall({ source, found: 'recall' }, stated, now);
  });
});
