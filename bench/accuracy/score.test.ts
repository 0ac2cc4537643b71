import { curveSvg } from './curves';
import type { Predictions } from './predict';
import { precisionFloor, recallFloor } from './report';
import {
  calibrate,
  calibrateClasses,
  calibrateFaces,
  capFound,
  countClass,
  countFaces,
  curveOf,
  type Example,
  examplesOf,
  foundThresholds,
  lowestThreshold,
  raisedThreshold,
  type SourceExamples,
  scoreSource,
  shownThresholds,
} from './score';
import type { LabelledSet } from './set';

const options = { target: 0.9, minSupport: 3, floor: 0.05, fallback: 0.4, oneScale: true };
const yes = (score: number): Example => ({ score, truth: 'yes' });
const no = (score: number): Example => ({ score, truth: 'no' });
const maybe = (score: number): Example => ({ score, truth: 'maybe' });
const truth = { from: 'test', licence: 'CC0', objects: [], maybeObjects: [], faces: 0, maybeFaces: 0 };
const blank = { labels: [], quality: [], moderation: [], kinds: [] };

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
  it('gives a well-supported class its own threshold, below the pooled one too', () => {
    const byClass = new Map([
      ['dog', [...many(20, 0.6), no(0.5)]],
      ['cat', [...many(9, 0.9), no(0.55), no(0.56), no(0.57)]],
    ]);
    // Pooled: at 0.56, 29 right and 2 wrong (29 / 32 >= 0.9). Dog takes 0.5 (20 / 22), cat 0.9.
    expect(calibrateClasses(byClass, options)).toEqual({ pooled: 0.56, rare: 0.56, classes: { dog: 0.5, cat: 0.9 } });
  });

  it('puts a well-supported class that cannot reach the target at the rare group, not above the pooled one', () => {
    const byClass = new Map([
      ['person', [...many(12, 0.6), no(0.5), yes(0.45)]],
      ['ball', many(6, 0.3)],
      ['bear', [yes(0.2), no(0.8)]],
    ]);
    // The gorilla named a bear at 0.8 puts the pooled and rare thresholds above it; person reaches 0.9 on its own
    // from 0.6 (12 / 13). Six balls never reach it with one wrong answer added (6 / 7): the rare group's.
    expect(calibrateClasses(byClass, options)).toEqual({
      pooled: 0.8001,
      rare: 0.8001,
      classes: { person: 0.6, ball: 0.8001 },
    });
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

describe('raisedThreshold (a rare class on one scale)', () => {
  it("keeps the group's threshold when the class's own answers above it are right, however few", () => {
    expect(raisedThreshold([yes(0.95), yes(0.8), no(0.3)], 0.5, 0.9)).toBe(0.5);
  });

  it('goes just above its own wrong answers where they pull its precision under the target', () => {
    // At 0.5: one right, one wrong (0.5); just above the wrong 0.6, the right answer at 0.8 stays.
    expect(raisedThreshold([yes(0.8), no(0.6), no(0.2)], 0.5, 0.7)).toBe(0.6001);
  });

  it('stays where its own answers reach the target without the added wrong one', () => {
    // At 0.5: three right, one wrong = 0.75 >= 0.7.
    expect(raisedThreshold([yes(0.9), yes(0.8), yes(0.7), no(0.6)], 0.5, 0.7)).toBe(0.5);
  });
});

describe('the found calibration (precision 0.7, never above what is shown)', () => {
  const found = { ...options, target: 0.7 };

  it('takes the lowest threshold reaching 0.7 with one wrong answer added', () => {
    // At 0.4: 7 right, 2 wrong: 7 / (9 + 1) = 0.7; at 0.3: 8 right, 3 wrong: 8 / 12.
    const dog = [...many(6, 0.8), no(0.45), yes(0.4), no(0.4), yes(0.3), no(0.3)];
    expect(calibrateClasses(new Map([['dog', dog]]), found).classes).toEqual({ dog: 0.4 });
    // For 0.9, six right answers at 0.8 are not enough evidence (6 / 7).
    expect(calibrateClasses(new Map([['dog', dog]]), options).classes).toEqual({ dog: 0.8001 });
  });

  it('calibrates the rare classes together, and a rare class of two right photos is found at the group threshold', () => {
    const byClass = new Map([
      ['person', [...many(10, 0.8), no(0.5)]],
      ['cat', [yes(0.6), yes(0.45)]],
      ['kite', [yes(0.5), no(0.42)]],
      ['sheep', [no(0.7)]],
    ]);
    // Rare group (cat, kite, sheep): at 0.45, 3 right and 1 wrong (the sheep at 0.7): 3 / 5 < 0.7, and no higher
    // threshold does better, so the group goes above its strongest score. Person, well supported: 10 / 12 at 0.5.
    const { rare, classes } = calibrateClasses(byClass, found);
    expect(rare).toBe(0.7001);
    expect(classes).toEqual({ person: 0.5 });
    // With the sheep's wrong answer at 0.2: the group at 0.45 has 3 right and none wrong (3 / 4 = 0.75), and the cat,
    // two right photos, is found from there: its right answers do not raise its threshold above themselves.
    const calmer = new Map([...byClass, ['sheep', [no(0.2)]]]);
    expect(calibrateClasses(calmer, found)).toEqual({ pooled: 0.2, rare: 0.45, classes: { person: 0.5 } });
  });

  it('is never above the shown threshold: per class, for the rare group and pooled', () => {
    const shown = { pooled: 0.5, rare: 0.6, classes: { person: 0.5, cat: 0.55 } };
    const own = { pooled: 0.52, rare: 0.7, classes: { person: 0.4, dog: 0.65 } };
    expect(capFound(own, shown)).toEqual({ pooled: 0.5, rare: 0.6, classes: { person: 0.4, cat: 0.55, dog: 0.6 } });
  });

  it('writes found beside shown for objects and labels, each at most its shown threshold', () => {
    const classes = (byClass: Map<string, Example[]>): SourceExamples => ({ kind: 'classes', byClass });
    const tune = {
      objects: classes(
        new Map([
          ['person', [...many(10, 0.8), no(0.6), yes(0.55), yes(0.5), no(0.45)]],
          ['bird', [yes(0.9), no(0.3)]],
        ]),
      ),
      faces: { kind: 'faces' as const, images: [{ scores: [0.9], faces: 1, maybeFaces: 0 }] },
      labels: classes(new Map([['Text', [...many(6, 0.9), no(0.5), yes(0.4), no(0.3)]]])),
      moderation: classes(new Map([['Suggestive', [no(0.1)]]])),
    };
    const calibration = calibrate(tune, { target: 0.9, foundTarget: 0.7, minSupport: 5 });
    expect(calibration.found.target).toBe(0.7);
    // Person: shown at 0.8 (10 right, none wrong); found at 0.45 (12 right, 2 wrong: 12 / 15 >= 0.7).
    expect(calibration.objects.classes.person).toBe(0.8);
    expect(calibration.found.objects.classes.person).toBe(0.45);
    for (const source of ['objects', 'labels'] as const) {
      const shownAt = shownThresholds({ ...calibration, made: { command: '', set: '', date: '' } }, source);
      const foundAt = foundThresholds({ ...calibration, made: { command: '', set: '', date: '' } }, source);
      for (const name of ['person', 'bird', 'Text', 'never seen'])
        expect(foundAt?.(name)).toBeLessThanOrEqual(shownAt(name));
    }
  });

  it('finds what is shown when a calibration has no found thresholds (one made before them)', () => {
    const { found: _, ...old } = {
      made: { command: '', set: '', date: '' },
      target: 0.9,
      objects: { pooled: 0.5, rare: 0.8, classes: { person: 0.5 } },
      faces: 0.8,
      labels: { pooled: 0.8, classes: {} },
      moderation: { pooled: 0.8, classes: {} },
      found: undefined,
    };
    expect(foundThresholds(old, 'objects')?.('cat')).toBe(0.8);
    expect(foundThresholds(old, 'faces')).toBeUndefined();
  });
});

describe('curveOf', () => {
  it('gives a point per score a right or wrong answer has, from the highest threshold down, ignoring maybes', () => {
    const examples: SourceExamples = {
      kind: 'classes',
      byClass: new Map([
        ['dog', [yes(0.9), no(0.7), maybe(0.6), yes(0.5)]],
        ['cat', [no(0.8), yes(0)]],
      ]),
    };
    // 0.8 (one right, one wrong) lies between 0.9 and 0.7 on the segment at one recall.
    expect(curveOf(examples).map((p) => [p.threshold, p.tp, p.fp, p.fn])).toEqual([
      [0.9, 1, 0, 2],
      [0.7, 1, 2, 2],
      [0.5, 2, 2, 1],
    ]);
    expect(curveOf(examples, 'dog').map((p) => [p.threshold, p.precision, p.recall])).toEqual([
      [0.9, 1, 0.5],
      [0.7, 0.5, 0.5],
      [0.5, 2 / 3, 1],
    ]);
  });

  it('keeps the first and last point of a run of one recall: those between lie on the segment joining them', () => {
    const examples: SourceExamples = {
      kind: 'classes',
      byClass: new Map([['dog', [yes(0.9), no(0.8), no(0.7), no(0.6), yes(0.5)]]]),
    };
    expect(curveOf(examples).map((p) => p.threshold)).toEqual([0.9, 0.6, 0.5]);
  });

  it('counts faces by count at each face score', () => {
    const examples: SourceExamples = {
      kind: 'faces',
      images: [
        { scores: [0.95, 0.5], faces: 1, maybeFaces: 0 },
        { scores: [0.7], faces: 1, maybeFaces: 0 },
      ],
    };
    expect(curveOf(examples).map((p) => [p.threshold, p.tp, p.fp, p.fn])).toEqual([
      [0.95, 1, 0, 1],
      [0.7, 2, 0, 0],
      [0.5, 2, 1, 0],
    ]);
  });

  it('draws the curve and marks each operating point, the legend saying one with nothing shown', () => {
    const points = curveOf({ kind: 'classes', byClass: new Map([['dog', [yes(0.9), no(0.7), yes(0.5)]]]) });
    const svg = curveSvg(
      'dog',
      points,
      [
        { label: 'shown', counts: countClass([yes(0.9), no(0.7), yes(0.5)], 0.8), style: 'shown' },
        { label: 'found', counts: countClass([yes(0.9), no(0.7), yes(0.5)], 0.95), style: 'found' },
      ],
      { shown: 0.9, found: 0.7 },
    );
    expect(svg.match(/<polyline points="([^"]+)"/)?.[1]?.split(' ')).toHaveLength(3);
    // The shown point (recall 0.5, precision 1) at x = 48 + 0.5 * 260, y = 30; the found one has nothing shown.
    expect(svg).toContain('<circle cx="178.0" cy="30.0"');
    expect(svg.match(/<circle /g)).toHaveLength(3);
    expect(svg).toContain('found: precision -, recall 0 % (TP 0, FP 0, FN 2)');
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

describe('recallFloor', () => {
  it('allows one example fewer found than results.md states', () => {
    expect(recallFloor({ tp: 9, fp: 4, fn: 1 })).toBeCloseTo(0.8);
    expect(recallFloor({ tp: 0, fp: 2, fn: 0 })).toBeUndefined();
  });
});

describe('precisionFloor', () => {
  it('allows one right answer fewer than results.md states', () => {
    expect(precisionFloor({ tp: 9, fp: 0, fn: 3 })).toBeCloseTo(8 / 9);
    expect(precisionFloor({ tp: 1, fp: 0, fn: 0 })).toBe(0);
    expect(precisionFloor({ tp: 0, fp: 0, fn: 2 })).toBeUndefined();
  });
});
