import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Raster } from '../core';
import type { Box } from '../core/vision-schema';
import { suppressOverlaps } from './faces';
import { letterbox } from './letterbox';
import { once } from './once';
import { arrayBufferOf, loadTf } from './tfjs';

/** CenterNet (MobileNetV3), COCO's 80 classes, TF.js graph format, as shipped by the npm package @vladmandic/human. */
const HUMAN_MODELS = join(dirname(require.resolve('@vladmandic/human')), '..', 'models');
export const CENTERNET_MODEL = join(process.env.IMAGE_INTEL_CENTERNET_DIR ?? HUMAN_MODELS, 'centernet');
const INPUT = 512;

/** The model's class indices, in order (COCO 2017's 80 detection classes). */
// biome-ignore format: a few names a row reads better than eighty lines
export const COCO_CLASSES = [
  'person', 'bicycle', 'car', 'motorcycle', 'airplane', 'bus', 'train', 'truck', 'boat', 'traffic light',
  'fire hydrant', 'stop sign', 'parking meter', 'bench', 'bird', 'cat', 'dog', 'horse', 'sheep', 'cow',
  'elephant', 'bear', 'zebra', 'giraffe', 'backpack', 'umbrella', 'handbag', 'tie', 'suitcase', 'frisbee',
  'skis', 'snowboard', 'sports ball', 'kite', 'baseball bat', 'baseball glove', 'skateboard', 'surfboard',
  'tennis racket', 'bottle', 'wine glass', 'cup', 'fork', 'knife', 'spoon', 'bowl', 'banana', 'apple',
  'sandwich', 'orange', 'broccoli', 'carrot', 'hot dog', 'pizza', 'donut', 'cake', 'chair', 'couch',
  'potted plant', 'bed', 'dining table', 'toilet', 'tv', 'laptop', 'mouse', 'remote', 'keyboard', 'cell phone',
  'microwave', 'oven', 'toaster', 'sink', 'refrigerator', 'book', 'clock', 'vase', 'scissors', 'teddy bear',
  'hair drier', 'toothbrush',
] as const;

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
}

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

/**
 * Objects of COCO's 80 classes, boxes normalised to the raster.
 *
 * 1. Letterbox the raster into 512x512 (keeping the aspect ratio scores cats as cats; stretching did not).
 * 2. Run CenterNet; its head already decodes the top 100 detections as x1, y1, x2, y2, score, class.
 * 3. Keep confident ones, suppress same-class overlaps, map boxes back out of the letterbox.
 */
export async function detectObjects(raster: Raster, options: ObjectOptions = {}): Promise<DetectedObject[]> {
  const { minConfidence = 0.4, iouThreshold = 0.4 } = options;
  const [tf, model] = await Promise.all([loadTf(), loadModel()]);
  const { pixels, toRaster } = await letterbox(raster, INPUT);

  const input = tf.tensor4d(Float32Array.from(pixels), [1, INPUT, INPUT, 3]);
  const output = model.execute(input, ['tower_0/detections']) as import('@tensorflow/tfjs-core').Tensor;
  const [detections] = (await output.array()) as number[][][];
  input.dispose();
  output.dispose();

  const found: DetectedObject[] = [];
  for (const [x1, y1, x2, y2, score, index] of detections ?? []) {
    const name = COCO_CLASSES[index as number];
    if (!name || (score as number) < minConfidence) continue;
    found.push({
      name,
      confidence: Math.round((score as number) * 10000) / 10000,
      box: toRaster({
        left: (x1 as number) / INPUT,
        top: (y1 as number) / INPUT,
        width: ((x2 as number) - (x1 as number)) / INPUT,
        height: ((y2 as number) - (y1 as number)) / INPUT,
      }),
    });
  }
  const byClass = new Map<string, DetectedObject[]>();
  for (const object of found) byClass.set(object.name, [...(byClass.get(object.name) ?? []), object]);
  return [...byClass.values()]
    .flatMap((group) => suppressOverlaps(group, iouThreshold))
    .sort((a, b) => b.confidence - a.confidence);
}
