import { type FusionRule, fuseViews } from '../../../lambdas/vision/object-fusion';
import type { DetectedObject } from '../../../lambdas/vision/objects';

const box = (left: number, top: number, width = 0.2, height = 0.2) => ({ left, top, width, height });
const cat = (confidence: number, left = 0.1, top = 0.1): DetectedObject => ({
  name: 'cat',
  confidence,
  box: box(left, top),
});
/** What each object's scores were, so the tests see what the rule was given. */
const seen: number[][] = [];
const record: FusionRule = {
  iou: 0.3,
  score: (scores) => {
    seen.push(scores);
    return Math.max(...scores);
  },
};
const penalised: FusionRule = {
  iou: 0.3,
  score: (s) => (s.every((x) => x > 0) ? Math.max(...s) : 0.5 * Math.max(...s)),
};

beforeEach(() => {
  seen.length = 0;
});

describe('fuseViews', () => {
  it('scores one object from both views when their boxes overlap', () => {
    const fused = fuseViews([{ objects: [cat(0.6)] }, { objects: [cat(0.4, 0.12, 0.11)] }], record);
    expect(fused).toHaveLength(1);
    expect(seen).toEqual([[0.6, 0.4]]);
  });

  it('keeps the box of the strongest detection', () => {
    const [fused] = fuseViews([{ objects: [cat(0.4, 0.12, 0.11)] }, { objects: [cat(0.6)] }], record);
    expect(fused?.box).toEqual(box(0.1, 0.1));
  });

  it('gives a view that found nothing where it could see a 0', () => {
    const fused = fuseViews([{ objects: [cat(0.6)] }, { objects: [] }], penalised);
    expect(fused.map((o) => o.confidence)).toEqual([0.3]);
  });

  it('keeps two objects apart when their boxes do not overlap enough', () => {
    const fused = fuseViews([{ objects: [cat(0.6)] }, { objects: [cat(0.5, 0.6, 0.6)] }], record);
    expect(fused).toHaveLength(2);
    expect(seen).toEqual([
      [0.6, 0],
      [0, 0.5],
    ]);
  });

  it('does not match different classes, however they overlap', () => {
    const dog = { ...cat(0.5), name: 'dog' };
    const fused = fuseViews([{ objects: [cat(0.6)] }, { objects: [dog] }], penalised);
    expect(fused.map((o) => [o.name, o.confidence])).toEqual([
      ['cat', 0.3],
      ['dog', 0.25],
    ]);
  });

  it('matches a detection to one object of the other view only', () => {
    const fused = fuseViews([{ objects: [cat(0.6), cat(0.5, 0.11, 0.1)] }, { objects: [cat(0.4, 0.1, 0.1)] }], record);
    expect(fused).toHaveLength(2);
    expect(seen).toEqual([
      [0.6, 0.4],
      [0.5, 0],
    ]);
  });

  it('does not count a region view against an object outside its region', () => {
    const centre = { left: 0.5, top: 0.5, width: 0.5, height: 0.5 };
    fuseViews([{ objects: [cat(0.6)] }, { objects: [], region: centre }], record);
    expect(seen).toEqual([[0.6]]);
  });

  it('counts a region view that found nothing inside its region', () => {
    const centre = { left: 0, top: 0, width: 0.5, height: 0.5 };
    fuseViews([{ objects: [cat(0.6)] }, { objects: [], region: centre }], record);
    expect(seen).toEqual([[0.6, 0]]);
  });

  it('lists the objects strongest first', () => {
    const fused = fuseViews(
      [{ objects: [cat(0.3), cat(0.9, 0.6, 0.6)] }, { objects: [cat(0.3), cat(0.9, 0.6, 0.6)] }],
      penalised,
    );
    expect(fused.map((o) => o.confidence)).toEqual([0.9, 0.3]);
  });
});
