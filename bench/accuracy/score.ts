/**
 * Precision and recall of a predictions file against the labelled set, per source and class, and the calibration of
 * each class's threshold on the tuning half.
 *
 * - objects, per image and class: the class's strongest detection is right when a person named the class
 *   (`objects`), wrong when nobody did, and neither when it is only in `maybeObjects`; recall over `objects`.
 * - faces, per image by count: detections up to `faces + maybeFaces` are right, more are wrong; recall is
 *   min(found, faces) / faces.
 * - labels (the derived ones) and moderation, per image and name.
 *
 * Calibration: for each source and class, the lowest threshold whose precision on the tuning half reaches the
 * target, counted with one wrong answer added (tp / (tp + fp + 1)), so that 0.9 takes at least nine right answers
 * and two lucky photos do not set a threshold. A class with fewer than `minSupport` positive tuning examples takes the source's pooled threshold (all its
 * classes together), or its own if that is higher; a source with too few positives keeps today's threshold unless
 * its own is higher. Where no threshold reaches the target, the threshold goes just above the strongest wrong score.
 *
 * What a search finds (objects and derived labels) gets a second, lower threshold per class: the same rules for a
 * lower target (`found.target`, 0.7), never above the class's shown threshold; the product finds an image by a class
 * when that class's strongest score is at or above it, so found is scored in the same unit as shown.
 */
import { type Calibration, foundThresholdOf, type Thresholds, thresholdOf } from '../../lambdas/vision/calibration';
import { UNCERTAIN } from '../../lambdas/vision/face-cascade';
import type { Predictions } from './predict';
import { type LabelledSet, type Split, splitOf } from './set';

export type Source = 'objects' | 'faces' | 'labels' | 'moderation';
export const SOURCES: Source[] = ['objects', 'faces', 'labels', 'moderation'];
/** The derived labels the offline path gives (label-rules.ts). */
export const DERIVED_LABELS = ['Text', 'Document', 'Monochrome', 'Dark', 'Bright', 'Vegetation', 'Illustration'];
export const MODERATION_CLASSES = ['Explicit Nudity', 'Suggestive'];
/** The one "class" of the faces source. */
export const FACE = 'face';

/** One image's evidence for one class: its score (0: not found) and whether a person says it is there. */
export interface Example {
  score: number;
  truth: 'yes' | 'no' | 'maybe';
}
/** One image's faces: every detection's score and what a person counted. */
export interface FaceExample {
  scores: number[];
  faces: number;
  maybeFaces: number;
}
/** A source's examples on one split: per class, or (faces) per image. */
export type SourceExamples =
  | { kind: 'classes'; byClass: Map<string, Example[]> }
  | { kind: 'faces'; images: FaceExample[] };

export interface Counts {
  tp: number;
  fp: number;
  fn: number;
  /** Undefined when nothing was said (precision) or nothing was there (recall). */
  precision?: number;
  recall?: number;
}

const EPSILON = 0.0001;
const round = (n: number) => Math.round(n * 10000) / 10000;

function withRates(tp: number, fp: number, fn: number): Counts {
  return {
    tp,
    fp,
    fn,
    ...(tp + fp > 0 ? { precision: tp / (tp + fp) } : {}),
    ...(tp + fn > 0 ? { recall: tp / (tp + fn) } : {}),
  };
}

export function addCounts(all: Counts[]): Counts {
  const sum = (key: 'tp' | 'fp' | 'fn') => all.reduce((n, c) => n + c[key], 0);
  return withRates(sum('tp'), sum('fp'), sum('fn'));
}

/** TP, FP and FN of one class's examples when scores at or above `threshold` are shown. */
export function countClass(examples: readonly Example[], threshold: number): Counts {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const { score, truth } of examples) {
    const said = score > 0 && score >= threshold;
    if (truth === 'yes' && said) tp++;
    else if (truth === 'yes') fn++;
    else if (truth === 'no' && said) fp++;
  }
  return withRates(tp, fp, fn);
}

/** Faces by count: up to faces + maybeFaces found are right, more are wrong; a clear face not found is missed. */
export function countFaces(images: readonly FaceExample[], threshold: number): Counts {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const { scores, faces, maybeFaces } of images) {
    const found = scores.filter((s) => s >= threshold).length;
    const right = Math.min(found, faces + maybeFaces);
    tp += right;
    fp += found - right;
    fn += faces - Math.min(found, faces);
  }
  return withRates(tp, fp, fn);
}

/** Every source's examples on one split of the set, from a predictions file. */
export function examplesOf(set: LabelledSet, predictions: Predictions, split: Split): Record<Source, SourceExamples> {
  const objects = new Map<string, Example[]>();
  const labels = new Map<string, Example[]>(DERIVED_LABELS.map((name) => [name, []]));
  const moderation = new Map<string, Example[]>(MODERATION_CLASSES.map((name) => [name, []]));
  const faces: FaceExample[] = [];
  const push = (map: Map<string, Example[]>, name: string, example: Example) =>
    map.set(name, [...(map.get(name) ?? []), example]);
  for (const [image, truth] of Object.entries(set.images)) {
    if (splitOf(image) !== split) continue;
    const predicted = predictions.images[image];
    if (!predicted) throw new Error(`${image} has no prediction in run ${predictions.run}`);
    const strongest = new Map<string, number>();
    for (const { name, confidence } of predicted.objects)
      strongest.set(name, Math.max(strongest.get(name) ?? 0, confidence));
    for (const name of new Set([...strongest.keys(), ...truth.objects, ...truth.maybeObjects])) {
      const said = truth.objects.includes(name) ? 'yes' : truth.maybeObjects.includes(name) ? 'maybe' : 'no';
      push(objects, name, { score: strongest.get(name) ?? 0, truth: said });
    }
    for (const name of DERIVED_LABELS) {
      const score = predicted.labels.find((l) => l.name === name)?.confidence ?? 0;
      push(labels, name, { score, truth: truth.labels.includes(name) ? 'yes' : 'no' });
    }
    for (const name of MODERATION_CLASSES) {
      const score = predicted.moderation[name] ?? 0;
      push(moderation, name, { score, truth: truth.moderation.includes(name) ? 'yes' : 'no' });
    }
    faces.push({ scores: predicted.faces.map((f) => f.confidence), faces: truth.faces, maybeFaces: truth.maybeFaces });
  }
  return {
    objects: { kind: 'classes', byClass: objects },
    faces: { kind: 'faces', images: faces },
    labels: { kind: 'classes', byClass: labels },
    moderation: { kind: 'classes', byClass: moderation },
  };
}

export interface CalibrationOptions {
  /** Precision each threshold must reach on the tuning half. */
  target: number;
  /** Positive tuning examples a class needs for a threshold of its own. */
  minSupport: number;
  /** The lowest threshold the product can apply (its floors). */
  floor: number;
  /** Today's threshold: kept by a source with too few positives, unless its own is higher. */
  fallback: number;
  /**
   * The classes' scores come from one model's head, on one scale (objects, moderation): then the rare classes earn
   * their threshold together, and a well-supported class has its own (supportedThreshold). False for the derived labels, each its own rule on
   * its own scale: a well-supported label keeps its own threshold, a rare one takes the pooled one or its own.
   */
  oneScale: boolean;
}

/**
 * The lowest threshold (a score seen, at or above the floor) at which `count` reaches the target precision; with
 * none, just above the strongest score seen, so nothing seen wrong would be shown.
 */
export function lowestThreshold(scores: number[], count: (t: number) => Counts, target: number, floor: number): number {
  const candidates = [...new Set(scores.filter((s) => s >= floor))].sort((a, b) => a - b);
  for (const t of candidates) {
    const { tp, fp } = count(t);
    // One wrong answer not yet seen: a threshold must earn the target with evidence, not with two lucky photos.
    if (tp / (tp + fp + 1) >= target) return t;
  }
  return Math.min(1, round(Math.max(floor, ...candidates) + EPSILON));
}

/**
 * A rare class's threshold: the group's (`from`), raised only by the class's own wrong answers, to the lowest score at
 * which its own answers reach the target, else just above its strongest wrong one. Without the added wrong answer:
 * the group earned the evidence, and a class of two photos could never reach 0.7 with it, so its right answers would
 * push its threshold above themselves.
 */
export function raisedThreshold(examples: readonly Example[], from: number, target: number): number {
  const above = examples.filter((e) => e.score > from);
  const wrong = above.filter((e) => e.truth === 'no').map((e) => round(e.score + EPSILON));
  const candidates = [from, ...new Set([...above.map((e) => e.score), ...wrong])].sort((a, b) => a - b);
  for (const t of candidates) {
    const { tp, fp } = countClass(examples, t);
    if (fp === 0 || tp / (tp + fp) >= target) return t;
  }
  return Math.min(1, Math.max(from, ...wrong));
}

/**
 * A well-supported class's threshold: the lowest reaching the target with one wrong answer added, else `otherwise`
 * (the rare group's, on a detector's scale). Never floored by the pooled threshold: on a set with animals the
 * detector has no class for (a gorilla as a bear), the pooled one goes above most classes' scores, and a person,
 * which reaches 0.9 from 0.53 on its own, would be shown from 0.79, where CenterNet rarely scores one (issue 56).
 */
export function supportedThreshold(
  examples: readonly Example[],
  options: { target: number; floor: number; otherwise: number },
): number {
  const { target, floor, otherwise } = options;
  const scores = [...new Set(examples.map((e) => e.score).filter((s) => s >= floor))].sort((a, b) => a - b);
  for (const t of scores) {
    const { tp, fp } = countClass(examples, t);
    if (tp / (tp + fp + 1) >= target) return t;
  }
  return otherwise;
}

export const positives = (examples: readonly Example[]) => examples.filter((e) => e.truth === 'yes').length;

/** One class-based source's thresholds from its tuning examples. */
export function calibrateClasses(byClass: Map<string, Example[]>, options: CalibrationOptions): Thresholds {
  const { target, minSupport, floor, fallback, oneScale } = options;
  const all = [...byClass.values()].flat();
  const own = (examples: Example[]) =>
    lowestThreshold(
      examples.map((e) => e.score),
      (t) => countClass(examples, t),
      target,
      floor,
    );
  const pooledOwn = own(all);
  const pooled = positives(all) >= minSupport ? pooledOwn : Math.max(pooledOwn, fallback);
  // The classes too rare in the tuning half for a threshold of their own, together: where a model names what its
  // classes do not cover (a bison as a sheep), it is with these, so they earn their threshold as a group.
  const evidence = (examples: Example[]) =>
    examples.some((e) => e.truth === 'yes' || (e.truth === 'no' && e.score >= floor));
  const rare = [...byClass.values()].filter((examples) => positives(examples) < minSupport).flat();
  const rareThreshold = oneScale && evidence(rare) ? Math.max(own(rare), pooled) : pooled;
  const classes: Record<string, number> = {};
  for (const [name, examples] of [...byClass.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    if (!evidence(examples)) continue;
    // A class's own evidence can raise its threshold above the source's, never lower it.
    const supported = positives(examples) >= minSupport;
    // On one scale the rare group earned its threshold together, so a rare class's own answers only raise it where
    // they are wrong; a label on a scale of its own has only its own evidence, so it needs it to go below.
    const threshold = supported
      ? supportedThreshold(examples, { target, floor, otherwise: oneScale ? rareThreshold : own(examples) })
      : oneScale
        ? raisedThreshold(examples, rareThreshold, target)
        : Math.max(own(examples), rareThreshold);
    // `rare` applies to every class not listed (those the tuning half never saw among them): listing it says nothing.
    if (supported || threshold !== rareThreshold) classes[name] = threshold;
  }
  return { pooled, rare: rareThreshold, classes };
}

/** The faces' one threshold from the tuning images. */
export function calibrateFaces(images: FaceExample[], options: CalibrationOptions): number {
  const { target, minSupport, floor, fallback } = options;
  const threshold = lowestThreshold(
    images.flatMap((i) => i.scores),
    (t) => countFaces(images, t),
    target,
    floor,
  );
  const faces = images.reduce((n, i) => n + i.faces, 0);
  return faces >= minSupport ? threshold : Math.max(threshold, fallback);
}

/** Today's thresholds, before calibration: the baseline results.md compares with. */
export const TODAY = { objects: 0.4, faces: 0.8, labels: 0.5, moderation: 0.8 } as const;
/**
 * The lowest threshold calibration may choose per source. Faces: the cascade's uncertain band's lower bound, since
 * faces under it are never checked by the second detector (a cat BlazeFace scores 0.72 would be shown).
 */
const FLOOR = { objects: 0.05, faces: UNCERTAIN.lower, labels: 0.05, moderation: 0 } as const;

/**
 * The retrieval thresholds held to the shown ones: each class's, the rare classes' and the pooled one at most what
 * it is shown at, since whatever is shown is found. A class listed by either keeps a listing when it differs from the
 * rare classes' threshold; a class the found calibration gave its own (enough support) stays listed.
 */
export function capFound(found: Thresholds, shown: Thresholds): Thresholds {
  const rare = Math.min(found.rare ?? found.pooled, shown.rare ?? shown.pooled);
  const classes: Record<string, number> = {};
  for (const name of [...new Set([...Object.keys(found.classes), ...Object.keys(shown.classes)])].sort()) {
    const threshold = Math.min(thresholdOf(found, name), thresholdOf(shown, name));
    if (name in found.classes || threshold !== rare) classes[name] = threshold;
  }
  return { pooled: Math.min(found.pooled, shown.pooled), rare, classes };
}

/** Every source's thresholds, calibrated on the tuning half's examples: shown at `target`, found at `foundTarget`. */
export function calibrate(
  tune: Record<Source, SourceExamples>,
  options: { target: number; foundTarget: number; minSupport: number },
): Pick<Calibration, 'target' | 'objects' | 'faces' | 'labels' | 'moderation' | 'found'> {
  const { target, foundTarget, minSupport } = options;
  const of = (source: Source, precision = target) => ({
    target: precision,
    minSupport,
    floor: FLOOR[source],
    fallback: TODAY[source],
    oneScale: source !== 'labels',
  });
  const classes = (source: Source, precision = target) => {
    const examples = tune[source];
    if (examples.kind !== 'classes') throw new Error(`${source} is not scored per class`);
    return calibrateClasses(examples.byClass, of(source, precision));
  };
  const faces = tune.faces;
  if (faces.kind !== 'faces') throw new Error('faces are scored by count');
  const objects = classes('objects');
  const labels = classes('labels');
  return {
    target,
    objects,
    faces: calibrateFaces(faces.images, of('faces')),
    labels,
    moderation: classes('moderation'),
    found: {
      target: foundTarget,
      objects: capFound(classes('objects', foundTarget), objects),
      labels: capFound(classes('labels', foundTarget), labels),
    },
  };
}

/** The sources a search reads by a likelihood, with a found threshold of their own. */
export const FOUND_SOURCES = ['objects', 'labels'] as const;
export type FoundSource = (typeof FOUND_SOURCES)[number];
export const isFoundSource = (source: Source): source is FoundSource => source === 'objects' || source === 'labels';

/** A calibration written before retrieval thresholds existed has no `found`: a search then found what was shown. */
export type AnyCalibration = Omit<Calibration, 'found'> & { found?: Calibration['found'] };

/** The threshold each class of a source is shown at. */
export const shownThresholds =
  (calibration: AnyCalibration, source: Source) =>
  (name: string): number =>
    source === 'faces' ? calibration.faces : thresholdOf(calibration[source], name);

/**
 * The threshold each class of a source is found from, as the product applies it (never above the shown one); none
 * for the sources no search reads by a likelihood.
 */
export function foundThresholds(calibration: AnyCalibration, source: Source): ((name: string) => number) | undefined {
  if (!isFoundSource(source)) return undefined;
  const { found } = calibration;
  if (!found) return shownThresholds(calibration, source);
  return (name) => foundThresholdOf({ ...calibration, found }, source, name);
}

/** A class's (or the faces') counts at a threshold. */
export interface ClassScore {
  name: string;
  threshold: number;
  counts: Counts;
}

/**
 * Each class's counts on a split at the thresholds given (`thresholdOf(source, name)`), and the source's total: its
 * classes' counts added.
 */
export function scoreSource(
  examples: SourceExamples,
  threshold: (name: string) => number,
): { classes: ClassScore[]; total: Counts } {
  if (examples.kind === 'faces') {
    const counts = countFaces(examples.images, threshold(FACE));
    return { classes: [{ name: FACE, threshold: threshold(FACE), counts }], total: counts };
  }
  const classes = [...examples.byClass.entries()]
    .map(([name, list]) => ({ name, threshold: threshold(name), counts: countClass(list, threshold(name)) }))
    .sort((a, b) => a.name.localeCompare(b.name));
  return { classes, total: addCounts(classes.map((c) => c.counts)) };
}

/** One point of a precision-recall curve: the counts when every class is shown from `threshold`. */
export interface CurvePoint extends Counts {
  threshold: number;
}

/**
 * The precision-recall curve of a source (every class at one threshold) or of one class, from the highest threshold
 * to the lowest: a point per score a right or wrong answer has (a `maybe` alone moves nothing), less those inside a
 * run of one recall, whose points lie on the vertical segment between its first and last.
 */
export function curveOf(examples: SourceExamples, name?: string): CurvePoint[] {
  let scores: number[];
  let count: (t: number) => Counts;
  if (examples.kind === 'faces') {
    scores = examples.images.flatMap((i) => i.scores);
    count = (t) => countFaces(examples.images, t);
  } else {
    const list = name === undefined ? [...examples.byClass.values()].flat() : (examples.byClass.get(name) ?? []);
    scores = list.filter((e) => e.truth !== 'maybe' && e.score > 0).map((e) => e.score);
    count = (t) => countClass(list, t);
  }
  const points = [...new Set(scores)].sort((a, b) => b - a).map((threshold) => ({ threshold, ...count(threshold) }));
  return points.filter((p, i) => p.tp !== points[i - 1]?.tp || p.tp !== points[i + 1]?.tp);
}
