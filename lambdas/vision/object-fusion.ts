import type { Box } from '../core/vision-schema';
import { iou } from './faces';

/** A detection of a named class (objects.ts's `DetectedObject`). */
export interface Detection {
  name: string;
  confidence: number;
  box: Box;
}

/** One view's detections; a view of a region could only see the objects inside it. */
export interface ViewDetections {
  objects: Detection[];
  /** The part of the raster the view saw (fractions). Default: all of it. */
  region?: Box;
}

/** How the views' detections of one object become one score. */
export interface FusionRule {
  /** Same-class boxes of two views overlapping at least this much are one object. */
  iou: number;
  /** The object's score from its score in each view that could see it, 0 where that view did not find it. */
  score: (scores: number[]) => number;
}

/** Share of a box's area inside a region at which the region's view counts as having been able to see it. */
const INSIDE = 0.9;

/**
 * The views' detections as one list of objects, each with one score from every view that could have seen it.
 *
 * 1. Take detections strongest first, whichever view gave them; each joins the same-class object it overlaps most
 *    (at least `rule.iou`) that has nothing from its view yet, or starts one, whose box it gives.
 * 2. Score each object by `rule.score` over the views that found it or could see its box (0 for one that could and
 *    found nothing there).
 *
 * Boxes should be suppressed within each view first (one box per object and view).
 */
export function fuseViews(views: ViewDetections[], rule: FusionRule): Detection[] {
  const all = views
    .flatMap(({ objects }, view) => objects.map((object) => ({ object, view })))
    .sort((a, b) => b.object.confidence - a.object.confidence);
  const fused: { object: Detection; scores: Map<number, number> }[] = [];
  for (const { object, view } of all) {
    let best: (typeof fused)[number] | undefined;
    let bestOverlap = rule.iou;
    for (const candidate of fused) {
      if (candidate.object.name !== object.name || candidate.scores.has(view)) continue;
      const overlap = iou(candidate.object.box, object.box);
      if (overlap >= bestOverlap) [best, bestOverlap] = [candidate, overlap];
    }
    if (best) best.scores.set(view, object.confidence);
    else fused.push({ object, scores: new Map([[view, object.confidence]]) });
  }
  return fused
    .map(({ object, scores }) => {
      const seen = views.flatMap(({ region }, view) =>
        scores.has(view) || !region || inside(object.box, region) ? [scores.get(view) ?? 0] : [],
      );
      return { ...object, confidence: Math.round(rule.score(seen) * 10000) / 10000 };
    })
    .sort((a, b) => b.confidence - a.confidence);
}

/** Whether most of `box` lies in `region`. */
function inside(box: Box, region: Box): boolean {
  const x = Math.max(0, Math.min(box.left + box.width, region.left + region.width) - Math.max(box.left, region.left));
  const y = Math.max(0, Math.min(box.top + box.height, region.top + region.height) - Math.max(box.top, region.top));
  const area = box.width * box.height;
  return area > 0 && (x * y) / area >= INSIDE;
}
