import type { Predictions } from './predict';
import { precisionFloor } from './report';
import {
  calibrateClasses,
  calibrateFaces,
  countClass,
  countFaces,
  type Example,
  examplesOf,
  lowestThreshold,
  scoreSource,
} from './score';
import type { LabelledSet } from './set';

const options = { target: 0.9, minSupport: 3, floor: 0.05, fallback: 0.4 };
const yes = (score: number): Example => ({ score, truth: 'yes' });
const no = (score: number): Example => ({ score, truth: 'no' });
const maybe = (score: number): Example => ({ score, truth: 'maybe' });
const truth = { from: 'test', licence: 'CC0', objects: [], maybeObjects: [], faces: 0, maybeFaces: 0 };
const blank = { labels: [], quality: [], moderation: [] };

describe('countClass', () => {
  it('counts shown right answers, shown wrong ones and misses, and ignores the maybes', () => {
    const counts = countClass([yes(0.9), yes(0.3), no(0.7), no(0.2), maybe(0.8), yes(0)], 0.5);
    expect(counts).toEqual({ tp: 1, fp: 1, fn: 2, precision: 0.5, recall: 1 / 3 });
  });

  it('leaves precision undefined when nothing is shown', () => {
    expect(countClass([yes(0.3)], 0.5)).toEqual({ tp: 0, fp: 0, fn: 1, recall: 0 });
  });
});

describe('countFaces', () => {
  it('takes faces up to faces + maybeFaces as right, more as wrong, and misses only clear faces', () => {
    const images = [
      { scores: [0.95, 0.9, 0.85], faces: 1, maybeFaces: 1 },
      { scores: [0.6], faces: 2, maybeFaces: 0 },
    ];
    expect(countFaces(images, 0.5)).toEqual({ tp: 3, fp: 1, fn: 1, precision: 0.75, recall: 0.75 });
  });
});

describe('lowestThreshold', () => {
  it('is the lowest score at which precision reaches the target', () => {
    const examples = [yes(0.9), yes(0.8), no(0.6), yes(0.5), no(0.3), yes(0.2)];
    // At 0.5: 3 right of 4 (0.75); at 0.8: 2 of 2.
    expect(
      lowestThreshold(
        examples.map((e) => e.score),
        (t) => countClass(examples, t),
        0.9,
        0.05,
      ),
    ).toBe(0.8);
    expect(
      lowestThreshold(
        examples.map((e) => e.score),
        (t) => countClass(examples, t),
        0.75,
        0.05,
      ),
    ).toBe(0.5);
  });

  it('goes just above the strongest score when no threshold reaches the target', () => {
    const examples = [no(0.9), yes(0.5)];
    expect(
      lowestThreshold(
        examples.map((e) => e.score),
        (t) => countClass(examples, t),
        0.9,
        0.05,
      ),
    ).toBe(0.9001);
  });

  it('never goes under the floor', () => {
    const examples = [yes(0.02), yes(0.5)];
    expect(
      lowestThreshold(
        examples.map((e) => e.score),
        (t) => countClass(examples, t),
        0.9,
        0.05,
      ),
    ).toBe(0.5);
  });
});

describe('calibrateClasses', () => {
  it('gives a well-supported class its own threshold, below the pooled one if so', () => {
    const byClass = new Map([
      ['dog', [yes(0.3), yes(0.35), yes(0.4), yes(0.5)]],
      ['car', [no(0.6), yes(0.7), yes(0.8), no(0.85), yes(0.9), yes(0.95)]],
    ]);
    const thresholds = calibrateClasses(byClass, options);
    expect(thresholds.classes.dog).toBe(0.3);
    expect(thresholds.classes.car).toBe(0.9);
    expect(thresholds.pooled).toBeGreaterThan(0.3);
  });

  it('gives a class with few tuning photos the pooled threshold, never a lower one', () => {
    const byClass = new Map([
      ['dog', [0.6, 0.7, 0.8, 0.9, 0.95, 0.96, 0.97, 0.98, 0.99].map(yes).concat(no(0.5))],
      ['kite', [yes(0.2)]],
      ['bus', [no(0.75), yes(0.7)]],
    ]);
    const { pooled, classes } = calibrateClasses(byClass, options);
    expect(pooled).toBe(0.6);
    expect(classes.kite).toBe(pooled);
    // Its own wrong answer at 0.75 raises it above the pooled threshold.
    expect(classes.bus).toBe(0.7501);
  });

  it("keeps today's threshold for a source without enough positives, unless its wrong answers need higher", () => {
    expect(calibrateClasses(new Map([['Suggestive', [no(0.1), no(0.2)]]]), options).pooled).toBe(0.4);
    expect(calibrateClasses(new Map([['Suggestive', [no(0.1), no(0.76)]]]), options).pooled).toBe(0.7601);
  });

  it('leaves out a class only ever maybe', () => {
    const byClass = new Map([
      ['dog', [yes(0.6), yes(0.7), yes(0.8)]],
      ['chair', [maybe(0.9)]],
    ]);
    expect(Object.keys(calibrateClasses(byClass, options).classes)).toEqual(['dog']);
  });
});

describe('calibrateFaces', () => {
  it('is the lowest score at which faces by count reach the target', () => {
    const images = [
      { scores: [0.95], faces: 1, maybeFaces: 0 },
      { scores: [0.85, 0.6], faces: 1, maybeFaces: 0 },
      { scores: [0.7], faces: 1, maybeFaces: 0 },
      { scores: [0.75], faces: 0, maybeFaces: 0 },
    ];
    expect(calibrateFaces(images, options)).toBe(0.85);
  });
});

describe('examplesOf', () => {
  const set: LabelledSet = {
    images: {
      'tune/a.jpg': { ...truth, ...blank, objects: ['dog'], maybeObjects: ['chair'], faces: 1, labels: ['Text'] },
      'eval/b.jpg': { ...truth, ...blank, objects: ['cat'] },
    },
  };
  const predictions: Predictions = {
    run: 'test',
    models: {},
    input: 'test',
    images: {
      'tune/a.jpg': {
        objects: [
          { name: 'dog', confidence: 0.5 },
          { name: 'dog', confidence: 0.8 },
          { name: 'chair', confidence: 0.3 },
          { name: 'car', confidence: 0.2 },
        ],
        faces: [{ confidence: 0.9 }],
        moderation: { Suggestive: 0.1 },
        labels: [{ name: 'Text', confidence: 0.7 }],
        ms: 1,
      },
      'eval/b.jpg': { objects: [], faces: [], moderation: {}, labels: [], ms: 1 },
    },
  };

  it("takes each class's strongest detection, marks maybes, and keeps classes named but not found", () => {
    const tune = examplesOf(set, predictions, 'tune');
    if (tune.objects.kind !== 'classes') throw new Error('objects are per class');
    expect(Object.fromEntries(tune.objects.byClass)).toEqual({
      dog: [yes(0.8)],
      chair: [maybe(0.3)],
      car: [no(0.2)],
    });
    const evaluation = examplesOf(set, predictions, 'eval');
    const scored = scoreSource(evaluation.objects, () => 0.4);
    expect(scored.total).toEqual({ tp: 0, fp: 0, fn: 1, recall: 0 });
  });

  it('scores every derived label and moderation class on every photo, 0 when not said', () => {
    const tune = examplesOf(set, predictions, 'tune');
    const labels = scoreSource(tune.labels, () => 0.5);
    expect(labels.classes.find((c) => c.name === 'Text')?.counts).toEqual({
      tp: 1,
      fp: 0,
      fn: 0,
      precision: 1,
      recall: 1,
    });
    expect(labels.classes).toHaveLength(7);
    expect(scoreSource(tune.moderation, () => 0.05).total.fp).toBe(1);
  });

  it('refuses a predictions file that misses a photo of the set', () => {
    expect(() => examplesOf(set, { ...predictions, images: {} }, 'tune')).toThrow(/tune\/a.jpg has no prediction/);
  });
});

describe('precisionFloor', () => {
  it('allows one right answer fewer than results.md states', () => {
    expect(precisionFloor({ tp: 9, fp: 0, fn: 3 })).toBeCloseTo(8 / 9);
    expect(precisionFloor({ tp: 1, fp: 0, fn: 0 })).toBe(0);
    expect(precisionFloor({ tp: 0, fp: 0, fn: 2 })).toBeUndefined();
  });
});
