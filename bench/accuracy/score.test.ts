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

const options = { target: 0.9, minSupport: 3, floor: 0.05, fallback: 0.4, oneScale: true };
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

/** `n` right answers at one score. */
const many = (n: number, score: number): Example[] => Array.from({ length: n }, () => yes(score));
const lowest = (examples: Example[], target: number) =>
  lowestThreshold(
    examples.map((e) => e.score),
    (t) => countClass(examples, t),
    target,
    0.05,
  );

describe('lowestThreshold', () => {
  it('is the lowest score at which precision, with one wrong answer added, reaches the target', () => {
    const examples = [...many(9, 0.9), no(0.5), yes(0.4), no(0.3)];
    // At 0.6 and above: 9 right, none wrong, 9 / (9 + 1) = 0.9; at 0.4: 10 right, 1 wrong, 10 / 12.
    expect(lowest(examples, 0.9)).toBe(0.9);
    expect(lowest(examples, 0.8)).toBe(0.4);
  });

  it('needs evidence: two right answers alone do not make 0.9', () => {
    expect(lowest([yes(0.8), yes(0.9)], 0.9)).toBe(0.9001);
  });

  it('goes just above the strongest score when no threshold reaches the target', () => {
    expect(lowest([no(0.9), ...many(9, 0.5)], 0.9)).toBe(0.9001);
  });

  it('never goes under the floor', () => {
    expect(lowest([yes(0.02), ...many(9, 0.5)], 0.9)).toBe(0.5);
  });
});

describe('calibrateClasses', () => {
  it('gives a well-supported class its own threshold, never below the pooled one', () => {
    const byClass = new Map([
      ['dog', [...many(20, 0.6), no(0.5)]],
      ['cat', [...many(9, 0.9), no(0.55), no(0.56), no(0.57)]],
    ]);
    // Pooled: at 0.56, 29 right and 2 wrong (29 / 32 >= 0.9). Dog alone would take 0.5 (20 / 22); cat takes 0.9.
    expect(calibrateClasses(byClass, options)).toEqual({ pooled: 0.56, rare: 0.56, classes: { dog: 0.56, cat: 0.9 } });
  });

  it('gives the classes with few tuning photos one threshold, earned together (by not listing them)', () => {
    const byClass = new Map([
      ['dog', many(40, 0.6)],
      ['kite', [yes(0.2), no(0.65)]],
      ['bus', [no(0.75), yes(0.7)]],
    ]);
    // Pooled: at 0.2, 42 right and 2 wrong. Kite and bus together never reach 0.9 (at 0.7, one right and one wrong),
    // so they take the threshold above their strongest wrong answer.
    const { pooled, rare, classes } = calibrateClasses(byClass, options);
    expect(pooled).toBe(0.2);
    expect(rare).toBe(0.7501);
    expect(classes).toEqual({ dog: 0.6 });
  });

  it('lets a well-supported derived label (each its own rule, on its own scale) keep a threshold below the pooled one', () => {
    const byClass = new Map([
      ['Bright', [...many(20, 0.6), no(0.5)]],
      ['Dark', [...many(9, 0.9), no(0.55), no(0.56), no(0.57)]],
    ]);
    expect(calibrateClasses(byClass, { ...options, oneScale: false }).classes).toEqual({ Bright: 0.5, Dark: 0.9 });
  });

  it("keeps today's threshold for a source without enough positives, unless its wrong answers need higher", () => {
    expect(calibrateClasses(new Map([['Suggestive', [no(0.1), no(0.2)]]]), options).pooled).toBe(0.4);
    expect(calibrateClasses(new Map([['Suggestive', [no(0.1), no(0.76)]]]), options).pooled).toBe(0.7601);
  });

  it('leaves out a class only ever maybe', () => {
    const byClass = new Map([
      ['dog', many(9, 0.6)],
      ['car', [no(0.65), ...many(9, 0.9)]],
      ['chair', [maybe(0.9)]],
    ]);
    expect(calibrateClasses(byClass, options)).toEqual({ pooled: 0.6, rare: 0.6, classes: { dog: 0.6, car: 0.9 } });
  });
});

describe('calibrateFaces', () => {
  it('is the lowest score at which faces by count reach the target', () => {
    const images = [
      ...Array.from({ length: 9 }, () => ({ scores: [0.95], faces: 1, maybeFaces: 0 })),
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
