import type { Prediction, Task } from './runner';
import type { ImageLabels } from './set';

/**
 * A minimal scorer for comparing models, written before bench/accuracy/score.ts landed, with the set's rules
 * (objects per image and class, a class only in maybeObjects neither right nor wrong; faces by count; moderation
 * per image and name) but one threshold per task, not per class.
 */
export interface Operating {
  threshold: number;
  precision: number;
  recall: number;
  /** Said and right, said in all, there to find. */
  right: number;
  said: number;
  relevant: number;
}

type Scored = { score: number; right: boolean }[];

/** Every scored claim a model makes on one image, and how many claims there were to find. */
function claims(
  task: Task,
  labels: ImageLabels,
  p: Prediction,
): { claims: Scored; relevant: number; found: (t: number) => number } {
  if (task === 'objects') {
    const strongest = new Map<string, number>();
    for (const o of p.objects ?? []) strongest.set(o.name, Math.max(strongest.get(o.name) ?? 0, o.confidence));
    const wanted = new Set(labels.objects ?? []);
    const maybe = new Set(labels.maybeObjects ?? []);
    return {
      // A class only in maybeObjects is neither right nor wrong (the set's README; score.ts does the same).
      claims: [...strongest]
        .filter(([name]) => wanted.has(name) || !maybe.has(name))
        .map(([name, score]) => ({ score, right: wanted.has(name) })),
      relevant: wanted.size,
      found: (t) => [...wanted].filter((name) => (strongest.get(name) ?? 0) >= t).length,
    };
  }
  if (task === 'faces') {
    const faces = labels.faces ?? 0;
    const allowed = faces + (labels.maybeFaces ?? 0);
    const scores = (p.faces ?? []).map((f) => f.confidence).sort((a, b) => b - a);
    return {
      // Strongest first: the first `allowed` faces are right, any more are false positives.
      claims: scores.map((score, i) => ({ score, right: i < allowed })),
      relevant: faces,
      found: (t) => Math.min(faces, scores.filter((s) => s >= t).length),
    };
  }
  const wanted = new Set(labels.moderation ?? []);
  const scores = Object.entries(p.moderation ?? {});
  return {
    claims: scores.map(([name, score]) => ({ score, right: wanted.has(name) })),
    relevant: wanted.size,
    found: (t) => scores.filter(([name, score]) => wanted.has(name) && score >= t).length,
  };
}

export function operatingPoint(
  task: Task,
  labels: Record<string, ImageLabels>,
  predictions: Record<string, Prediction>,
  threshold: number,
): Operating {
  let right = 0;
  let said = 0;
  let relevant = 0;
  let found = 0;
  for (const [name, l] of Object.entries(labels)) {
    const c = claims(task, l, predictions[name] ?? {});
    relevant += c.relevant;
    found += c.found(threshold);
    for (const claim of c.claims) {
      if (claim.score < threshold) continue;
      said++;
      if (claim.right) right++;
    }
  }
  const r = (n: number) => Math.round(n * 1000) / 1000;
  return {
    threshold,
    precision: said ? r(right / said) : 1,
    recall: relevant ? r(found / relevant) : 0,
    right,
    said,
    relevant,
  };
}

/** The threshold with the highest recall whose precision is at least `target` (the highest such threshold on ties). */
export function calibrate(
  task: Task,
  labels: Record<string, ImageLabels>,
  predictions: Record<string, Prediction>,
  target = 0.9,
): Operating {
  const candidates = new Set<number>();
  for (const [name, l] of Object.entries(labels))
    for (const c of claims(task, l, predictions[name] ?? {}).claims) candidates.add(c.score);
  let best: Operating = operatingPoint(task, labels, predictions, 1.0001);
  for (const t of [...candidates].sort((a, b) => b - a)) {
    const point = operatingPoint(task, labels, predictions, t);
    if (point.precision >= target && point.recall > best.recall) best = point;
  }
  return best;
}
