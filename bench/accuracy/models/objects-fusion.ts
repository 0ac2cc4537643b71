import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { type FusionRule, fuseViews, type ViewDetections } from '../../../lambdas/vision/object-fusion';
import { BOTH_LOOKS, type DetectedObject, suppressByClass, UNCERTAIN } from '../../../lambdas/vision/objects';
import type { Predictions } from '../predict';
import { calibrateClasses, countClass, type Example, examplesOf, positives, TODAY } from '../score';
import { readSet, type Split } from '../set';
import type { ViewRun, ViewsFile } from './objects-views';

/**
 * CenterNet alone against each way of fusing views (a mirrored copy, the centre, two halves, NanoDet), on the same
 * photos, from one run of objects-views.ts: which variant finds more objects at a fixed precision on the tuning half,
 * and what that choice gives on the evaluation half.
 *
 *   npx tsx bench/accuracy/models/objects-fusion.ts [--views /tmp/objects-views.json] [--set DIR] [--json FILE]
 *
 * Per variant: recall at precision 0.9 and 0.7 on tune, all classes pooled (one threshold); per class (its own
 * threshold) for the common classes; eval precision and recall at the tune thresholds; the product's calibration
 * (bench/accuracy/score.ts: per class, one wrong answer added, under 5 positives on the rare classes' threshold) on
 * tune, scored on eval; and the added time, from the views' own timings.
 */
const CLASSES = ['person', 'cat', 'dog', 'bird', 'horse', 'car'];
const NMS = 0.4;

const mean = (s: number[]) => s.reduce((a, b) => a + b, 0) / s.length;
const max = (s: number[]) => Math.max(...s);
export const RULES: Record<string, (s: number[]) => number> = {
  max,
  mean,
  'noisy-or': (s) => 1 - s.reduce((p, x) => p * (1 - x), 1),
  'max, 0.85 when alone': (s) => (s.every((x) => x > 0) ? max(s) : 0.85 * max(s)),
  'max, 0.7 when alone': (s) => (s.every((x) => x > 0) ? max(s) : 0.7 * max(s)),
  'max, 0.5 when alone': (s) => (s.every((x) => x > 0) ? max(s) : 0.5 * max(s)),
  'mean, boosted 1.2': (s) => Math.min(1, 1.2 * mean(s)),
};
const FIRST_ONLY = new Set(['whole']);

interface Variant {
  name: string;
  /** The views run on every photo. */
  views: string[];
  rule?: string;
  /** The rule itself, when it is not one of RULES (the shipped one). */
  fusion?: FusionRule;
  /** The further views run only when the whole view has a detection in [lo, hi). */
  band?: [number, number];
}

function predict(runs: Record<string, ViewRun>, variant: Variant): { objects: DetectedObject[]; ran: string[] } {
  const whole = suppressByClass((runs.whole as ViewRun).objects, NMS);
  if (variant.views.length === 1) return { objects: whole, ran: ['whole'] };
  if (variant.band) {
    const [lo, hi] = variant.band;
    if (!whole.some((o) => o.confidence >= lo && o.confidence < hi)) return { objects: whole, ran: ['whole'] };
  }
  const views: ViewDetections[] = variant.views.map((view) => ({
    objects: suppressByClass((runs[view] as ViewRun).objects, NMS),
    region: regionOf(view, runs),
  }));
  const rule: FusionRule = variant.fusion ?? { iou: 0.3, score: RULES[variant.rule ?? 'max'] as FusionRule['score'] };
  return { objects: suppressByClass(fuseViews(views, rule), NMS), ran: variant.views };
}

/** The region each region view saw, from its name (objects-views.ts's halves depend on the orientation). */
function regionOf(view: string, runs: Record<string, ViewRun>) {
  if (view === 'centre') return { left: 0.2, top: 0.2, width: 0.6, height: 0.6 };
  if (view !== 'halfA' && view !== 'halfB') return undefined;
  // Split across the width or the height, whichever the first half's boxes (it reports many weak ones) stay within.
  const landscape = (runs.halfA as ViewRun).objects.every((o) => o.box.left + o.box.width <= 0.551);
  const start = view === 'halfA' ? 0 : 0.45;
  return landscape ? { left: start, top: 0, width: 0.55, height: 1 } : { left: 0, top: start, width: 1, height: 0.55 };
}

/** The highest recall at which precision reaches `target` at some threshold, and that threshold. */
function recallAt(examples: Example[], target: number): { recall: number; threshold: number } {
  let best = { recall: 0, threshold: 1 };
  for (const t of [...new Set(examples.map((e) => e.score).filter((s) => s > 0))]) {
    const c = countClass(examples, t);
    if ((c.precision ?? 0) >= target && (c.recall ?? 0) > best.recall) best = { recall: c.recall ?? 0, threshold: t };
  }
  return best;
}

/** Average precision: precision at each right answer, strongest first, averaged over every labelled object. */
function averagePrecision(examples: Example[]): number {
  const ranked = examples.filter((e) => e.truth !== 'maybe' && e.score > 0).sort((a, b) => b.score - a.score);
  let tp = 0;
  let sum = 0;
  for (const [i, e] of ranked.entries()) if (e.truth === 'yes') sum += ++tp / (i + 1);
  return sum / Math.max(1, positives(examples));
}

const r2 = (n: number | undefined) => (n === undefined ? '-' : n.toFixed(2));
const quantile = (xs: number[], q: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))] ?? 0;

function main() {
  const { values } = parseArgs({
    options: {
      views: { type: 'string', default: '/tmp/objects-views.json' },
      set: { type: 'string', default: 'bench/accuracy/set' },
      json: { type: 'string' },
      variants: { type: 'string' },
    },
  });
  const file = JSON.parse(readFileSync(values.views as string, 'utf8')) as ViewsFile;
  const set = readSet(values.set as string);
  const hasNanodet = Object.values(file.images).every((runs) => runs.nanodet);
  const variants: Variant[] = [{ name: 'centernet', views: ['whole'] }];
  const combos: string[][] = [
    ['whole', 'mirrored'],
    ['whole', 'centre'],
    ['whole', 'halfA', 'halfB'],
    ['whole', 'mirrored', 'centre'],
    ...(hasNanodet
      ? [
          ['whole', 'nanodet'],
          ['whole', 'mirrored', 'nanodet'],
        ]
      : []),
  ];
  for (const views of combos)
    for (const rule of Object.keys(RULES)) variants.push({ name: `${views.slice(1).join('+')}: ${rule}`, views, rule });
  for (const band of [
    [0.1, 0.8],
    [0.2, 0.8],
    [0.3, 0.8],
    [0.2, 0.6],
    [0.3, 0.6],
    [0.35, 0.55],
    [0.38, 0.52],
    [0.4, 0.5],
  ] as [number, number][])
    for (const rule of Object.keys(RULES))
      variants.push({ name: `mirrored if [${band}): ${rule}`, views: ['whole', 'mirrored'], rule, band });

  // What lambdas/vision/objects.ts runs, from its own constants: what predict.ts gives the calibration.
  variants.push({
    name: 'shipped (objects.ts)',
    views: ['whole', 'mirrored'],
    fusion: BOTH_LOOKS,
    band: [...UNCERTAIN],
  });

  const rows: Record<string, unknown>[] = [];
  for (const variant of variants) {
    if (values.variants && !variant.name.includes(values.variants) && variant.name !== 'centernet') continue;
    const images: Predictions['images'] = {};
    const added: number[] = [];
    const addedCpu: number[] = [];
    let triggered = 0;
    for (const [name, runs] of Object.entries(file.images)) {
      const { objects, ran } = predict(runs, variant);
      const extra = ran.filter((v) => !FIRST_ONLY.has(v));
      if (extra.length) triggered++;
      added.push(extra.reduce((n, v) => n + (runs[v] as ViewRun).ms, 0));
      addedCpu.push(extra.reduce((n, v) => n + (runs[v] as ViewRun).cpuMs, 0));
      images[name] = { objects, faces: [], moderation: {}, labels: [], ms: 0 };
    }
    const predictions: Predictions = { run: variant.name, models: {}, input: '', images };
    const of = (split: Split) => {
      const ex = examplesOf(set, predictions, split).objects;
      if (ex.kind !== 'classes') throw new Error('objects are per class');
      return ex.byClass;
    };
    const tune = of('tune');
    const evalHalf = of('eval');
    const pooledTune = [...tune.values()].flat();
    const pooledEval = [...evalHalf.values()].flat();
    const at90 = recallAt(pooledTune, 0.9);
    const at70 = recallAt(pooledTune, 0.7);
    const eval90 = countClass(pooledEval, at90.threshold);
    const eval70 = countClass(pooledEval, at70.threshold);
    const calibration = calibrateClasses(tune, {
      target: 0.9,
      minSupport: 5,
      floor: 0.05,
      fallback: TODAY.objects,
      oneScale: true,
    });
    const thresholdOf = (name: string) => calibration.classes[name] ?? calibration.rare ?? calibration.pooled;
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (const [name, list] of evalHalf) {
      const c = countClass(list, thresholdOf(name));
      tp += c.tp;
      fp += c.fp;
      fn += c.fn;
    }
    const perClass = Object.fromEntries(
      CLASSES.map((c) => {
        const list = tune.get(c) ?? [];
        return [c, `${r2(recallAt(list, 0.9).recall)} (${positives(list)})`];
      }),
    );
    rows.push({
      variant: variant.name,
      'tune AP': r2(averagePrecision(pooledTune)),
      'eval AP': r2(averagePrecision(pooledEval)),
      'tune R@P.9': r2(at90.recall),
      't.9': at90.threshold,
      'tune R@P.7': r2(at70.recall),
      'eval P/R at t.9': `${r2(eval90.precision)}/${r2(eval90.recall)}`,
      'eval P/R at t.7': `${r2(eval70.precision)}/${r2(eval70.recall)}`,
      'calibrated eval P/R': `${r2(tp / (tp + fp))}/${r2(tp / (tp + fn))} (${tp}/${fp}/${fn})`,
      ...perClass,
      triggered,
      'added ms med/p90': `${quantile(added, 0.5)}/${quantile(added, 0.9)}`,
      'added cpu med': quantile(addedCpu, 0.5),
    });
  }
  console.table(rows);
  if (values.json) writeFileSync(values.json as string, `${JSON.stringify(rows, null, 1)}\n`);
}

if (require.main === module) main();
