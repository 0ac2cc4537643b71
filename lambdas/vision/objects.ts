import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Raster } from '../core/analysis/raster';
import { type Box, clampBox } from '../core/vision-schema';
import { suppressOverlaps } from './faces';
import { letterbox } from './letterbox';
import { type FusionRule, fuseViews } from './object-fusion';
import { once } from './once';
import { arrayBufferOf, loadTf } from './tfjs';

/** CenterNet (MobileNetV3), COCO's 80 classes, TF.js graph format, as shipped by the npm package @vladmandic/human. */
const HUMAN_MODELS = join(dirname(require.resolve('@vladmandic/human')), '..', 'models');
export const CENTERNET_MODEL = join(process.env.IMAGE_INTEL_CENTERNET_DIR ?? HUMAN_MODELS, 'centernet');
const INPUT = 512;

/** The model's class indices, in order (COCO 2017's 80 detection classes). */
// biome-ignore format: a few names a row reads better than eighty lines
export { COCO_CLASSES } from './coco-classes';

import { COCO_CLASSES } from './coco-classes';

export interface DetectedObject {
  name: string;
  confidence: number;
  box: Box;
}

export interface ObjectOptions {
  /** Keep detections at or above this score (0-1). Default 0.4: at 0.35 a fallen leaf was a 0.39 bottle. */
  minConfidence?: number;
  /** Same-class overlap above which the weaker detection is dropped. Default 0.4. */
  iouThreshold?: number;
  /**
   * When to look again at the mirrored raster and score each object by both looks: when the first has a detection
   * in the uncertain band (`'uncertain'`, the default), on every raster, or never (CenterNet alone).
   */
  secondLook?: 'uncertain' | 'always' | 'never';
}

/** The objects found and the views CenterNet ran on (what the record's `inference.models` reports). */
export interface ObjectDetection {
  objects: DetectedObject[];
  views: ('whole' | 'mirrored')[];
}

/**
 * First-look scores that make the second look worth its time: the shown thresholds calibrated so far (person and
 * all classes 0.46) lie in it. Chosen in bench/accuracy/models (objects-fusion.ts): on the tuning half it found as
 * many objects at precision 0.9 as the mirrored look on every photo, and it runs on under half the photos.
 */
export const UNCERTAIN: readonly [number, number] = [0.35, 0.55];
/**
 * Both looks scored together: the mean of the two scores, 0 for a look that found nothing there. An object both
 * looks agree on keeps its score; one only one look sees loses half of it.
 */
export const BOTH_LOOKS: FusionRule = {
  iou: 0.3,
  score: (scores) => scores.reduce((a, b) => a + b, 0) / scores.length,
};
/** The floor the looks' detections are kept from before they are fused (the offline path's candidates floor). */
const LOOK_FLOOR = 0.05;

type GraphModel = import('@tensorflow/tfjs-converter').GraphModel;

/** The model read from disk through `tf.io.fromMemory`: no network, once per process. */
const loadModel = once(async (): Promise<GraphModel> => {
  const tf = await loadTf();
  const { loadGraphModel } = await import('@tensorflow/tfjs-converter');
  const [json, weights] = await Promise.all([
    readFile(`${CENTERNET_MODEL}.json`, 'utf8'),
    readFile(`${CENTERNET_MODEL}.bin`),
  ]);
  const { modelTopology, weightsManifest } = JSON.parse(json);
  return loadGraphModel(
    tf.io.fromMemory({ modelTopology, weightSpecs: weightsManifest[0].weights, weightData: arrayBufferOf(weights) }),
  );
});

/** Where CenterNet looks: the whole raster, the whole raster mirrored left to right, or one region of it. */
export type View = { kind: 'whole' } | { kind: 'mirrored' } | { kind: 'region'; region: Box };

/**
 * CenterNet's detections on one view of the raster, boxes in fractions of the raster, none suppressed.
 *
 * 1. Letterbox the view into 512x512 (keeping the aspect ratio scores cats as cats; stretching did not); a mirrored
 *    view mirrors the letterbox, a region is cut out of the raster first.
 * 2. Run CenterNet; its head already decodes the top 100 detections as x1, y1, x2, y2, score, class.
 * 3. Keep those at or above `minConfidence`, boxes mapped back out of the letterbox (and the mirror, the region).
 */
export async function detectInView(raster: Raster, view: View, minConfidence: number): Promise<DetectedObject[]> {
  const [tf, model] = await Promise.all([loadTf(), loadModel()]);
  const region = view.kind === 'region' ? view.region : undefined;
  const { pixels, toRaster } = await letterbox(region ? cut(raster, region) : raster, INPUT);
  if (view.kind === 'mirrored') mirror(pixels, INPUT);

  const input = tf.tensor4d(Float32Array.from(pixels), [1, INPUT, INPUT, 3]);
  const output = model.execute(input, ['tower_0/detections']) as import('@tensorflow/tfjs-core').Tensor;
  const [detections] = (await output.array()) as number[][][];
  input.dispose();
  output.dispose();

  const found: DetectedObject[] = [];
  for (const [x1, y1, x2, y2, score, index] of detections ?? []) {
    const name = COCO_CLASSES[index as number];
    if (!name || (score as number) < minConfidence) continue;
    const width = ((x2 as number) - (x1 as number)) / INPUT;
    const left = view.kind === 'mirrored' ? 1 - (x2 as number) / INPUT : (x1 as number) / INPUT;
    const box = toRaster({
      left,
      top: (y1 as number) / INPUT,
      width,
      height: ((y2 as number) - (y1 as number)) / INPUT,
    });
    found.push({
      name,
      confidence: Math.round((score as number) * 10000) / 10000,
      box: region ? outOf(region, box) : box,
    });
  }
  return found;
}

/**
 * Objects of COCO's 80 classes, boxes normalised to the raster, strongest first.
 *
 * 1. CenterNet on the letterboxed raster, same-class overlaps suppressed.
 * 2. When a detection's score is uncertain (`UNCERTAIN`; or always, or never: `secondLook`), CenterNet again on the
 *    mirrored raster, and each object scored by both looks (`BOTH_LOOKS`): a detection one look alone makes is
 *    more often wrong (bench/accuracy/models/README.md, "Two looks").
 * 3. Keep those at or above `minConfidence`.
 */
export async function detectObjects(raster: Raster, options: ObjectOptions = {}): Promise<DetectedObject[]> {
  return (await detectObjectsWithViews(raster, options)).objects;
}

/** `detectObjects`, saying which views ran. */
export async function detectObjectsWithViews(raster: Raster, options: ObjectOptions = {}): Promise<ObjectDetection> {
  const { minConfidence = 0.4, iouThreshold = 0.4, secondLook = 'uncertain' } = options;
  const floor = Math.min(minConfidence, LOOK_FLOOR);
  const first = suppressByClass(await detectInView(raster, { kind: 'whole' }, floor), iouThreshold);
  const [lo, hi] = UNCERTAIN;
  const again =
    secondLook === 'always' ||
    (secondLook === 'uncertain' && first.some((o) => o.confidence >= lo && o.confidence < hi));
  if (!again) return { objects: first.filter((o) => o.confidence >= minConfidence), views: ['whole'] };
  const mirrored = suppressByClass(await detectInView(raster, { kind: 'mirrored' }, floor), iouThreshold);
  const fused = suppressByClass(fuseViews([{ objects: first }, { objects: mirrored }], BOTH_LOOKS), iouThreshold);
  return { objects: fused.filter((o) => o.confidence >= minConfidence), views: ['whole', 'mirrored'] };
}

/** Same-class overlaps suppressed (the stronger kept), strongest first. */
export function suppressByClass(found: DetectedObject[], iouThreshold: number): DetectedObject[] {
  const byClass = new Map<string, DetectedObject[]>();
  for (const object of found) byClass.set(object.name, [...(byClass.get(object.name) ?? []), object]);
  return [...byClass.values()]
    .flatMap((group) => suppressOverlaps(group, iouThreshold))
    .sort((a, b) => b.confidence - a.confidence);
}

/** Mirror an RGB `size` x `size` square left to right, in place. */
function mirror(pixels: Buffer, size: number): void {
  for (let y = 0; y < size; y++) {
    const row = y * size * 3;
    for (let x = 0; x < size / 2; x++) {
      const a = row + x * 3;
      const b = row + (size - 1 - x) * 3;
      for (let c = 0; c < 3; c++) {
        const t = pixels[a + c] as number;
        pixels[a + c] = pixels[b + c] as number;
        pixels[b + c] = t;
      }
    }
  }
}

/** The raster's pixels inside `region` (fractions), as a raster of their own. */
function cut(raster: Raster, region: Box): Raster {
  const left = Math.round(region.left * raster.width);
  const top = Math.round(region.top * raster.height);
  const width = Math.max(1, Math.min(raster.width - left, Math.round(region.width * raster.width)));
  const height = Math.max(1, Math.min(raster.height - top, Math.round(region.height * raster.height)));
  const data = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++)
    raster.data.copy(
      data,
      y * width * 3,
      ((top + y) * raster.width + left) * 3,
      ((top + y) * raster.width + left + width) * 3,
    );
  return { ...raster, data, width, height };
}

/** A box in fractions of `region`, in fractions of the whole raster. */
function outOf(region: Box, box: Box): Box {
  return clampBox({
    left: region.left + box.left * region.width,
    top: region.top + box.top * region.height,
    width: box.width * region.width,
    height: box.height * region.height,
  });
}
