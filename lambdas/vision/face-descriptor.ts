import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Raster } from '../core/analysis/raster';
import {
  type DescribedFace,
  FACE_DESCRIPTOR_LENGTH,
  type FaceDescriptions,
  MAX_FACES_PER_IMAGE,
  MIN_EYE_DISTANCE_PX,
} from '../core/faces';
import { CHIP_SIZE, eyeDistancePx, faceChip } from './face-chip';
import type { FaceWithKeypoints } from './faces';
import { once } from './once';
import { arrayBufferOf, loadTf } from './tfjs';

type Tf = typeof import('@tensorflow/tfjs-core');
type Tensor = import('@tensorflow/tfjs-core').Tensor;
type Tensor4D = import('@tensorflow/tfjs-core').Tensor4D;
type Tensor2D = import('@tensorflow/tfjs-core').Tensor2D;

/**
 * dlib's face recognition model (a ResNet-34 variant, public domain), its weights as shipped by the npm package
 * @vladmandic/face-api (MIT): only the weights are read; the network is written here on the project's TF.js.
 */
const FACE_API_MODELS = join(dirname(require.resolve('@vladmandic/face-api/package.json')), 'model');
export const FACE_RECOGNITION_MODEL = join(
  process.env.IMAGE_INTEL_FACE_MODEL_DIR ?? FACE_API_MODELS,
  'face_recognition_model',
);
/** The files the model is read from (the vision image ships these two). */
export const FACE_RECOGNITION_FILES = ['face_recognition_model-weights_manifest.json', 'face_recognition_model.bin'];

/** The mean RGB dlib's network subtracts from its 0-255 input before scaling it by 1/255. */
const MEAN_RGB = [122.782, 117.001, 104.298] as const;
/** Faces described in one forward pass: bounds the memory a crowd takes. */
const BATCH = 8;

/** The residual stages after the first convolution, in order: name, and whether it halves the resolution. */
// biome-ignore format: the stages read as the network's table
const STAGES: ReadonlyArray<readonly [string, boolean]> = [
  ['conv32_1', false], ['conv32_2', false], ['conv32_3', false],
  ['conv64_down', true], ['conv64_1', false], ['conv64_2', false], ['conv64_3', false],
  ['conv128_down', true], ['conv128_1', false], ['conv128_2', false],
  ['conv256_down', true], ['conv256_1', false], ['conv256_2', false], ['conv256_down_out', true],
];

type Weights = Record<string, Tensor>;

/** The weights read from disk and dequantised (uint8 in the file), once per process. */
const loadWeights = once(async (): Promise<Weights> => {
  const tf = await loadTf();
  const [manifest, data] = await Promise.all([
    readFile(`${FACE_RECOGNITION_MODEL}-weights_manifest.json`, 'utf8'),
    readFile(`${FACE_RECOGNITION_MODEL}.bin`),
  ]);
  const [group] = JSON.parse(manifest) as { weights: Parameters<Tf['io']['decodeWeights']>[1] }[];
  if (!group) throw new Error(`${FACE_RECOGNITION_MODEL}-weights_manifest.json lists no weights`);
  return tf.io.decodeWeights(arrayBufferOf(data), group.weights) as Weights;
});

/** Convolution, bias, the learned per-channel scale (dlib's affine layer), optionally ReLU. */
function convLayer(tf: Tf, w: Weights, x: Tensor4D, name: string, stride: 1 | 2, relu: boolean): Tensor4D {
  const filters = w[`${name}/conv/filters`] as Tensor4D;
  let out = tf.conv2d(x, filters, stride, stride === 2 ? 'valid' : 'same');
  const biased = tf.add(out, w[`${name}/conv/bias`] as Tensor);
  out = tf.add(tf.mul(biased, w[`${name}/scale/weights`] as Tensor), w[`${name}/scale/biases`] as Tensor) as Tensor4D;
  return relu ? tf.relu(out) : out;
}

/** A residual block; a down block halves the resolution and pads the shortcut's channels with zeros. */
function residual(tf: Tf, w: Weights, x: Tensor4D, name: string, down: boolean): Tensor4D {
  let out = convLayer(tf, w, x, `${name}/conv1`, down ? 2 : 1, true);
  out = convLayer(tf, w, out, `${name}/conv2`, 1, false);
  if (!down) return tf.relu(tf.add(out, x) as Tensor4D);
  let shortcut: Tensor4D = tf.avgPool(x, 2, 2, 'valid');
  // A strided 3x3 'valid' convolution loses a row and a column against the pooled shortcut on odd sizes.
  if (shortcut.shape[1] !== out.shape[1] || shortcut.shape[2] !== out.shape[2]) {
    const [n, h, wd, c] = out.shape;
    out = tf.concat([out, tf.zeros([n, 1, wd, c])], 1);
    out = tf.concat([out, tf.zeros([n, h + 1, 1, c])], 2);
  }
  if (shortcut.shape[3] !== out.shape[3]) {
    const [n, h, wd, c] = shortcut.shape;
    shortcut = tf.concat([shortcut, tf.zeros([n, h, wd, c])], 3);
  }
  return tf.relu(tf.add(shortcut, out) as Tensor4D);
}

/** The 128-d descriptors of 150x150 RGB chips (interleaved 8-bit), one per chip. */
export async function describeChips(chips: readonly Uint8Array[]): Promise<number[][]> {
  const [tf, w] = await Promise.all([loadTf(), loadWeights()]);
  const descriptors: number[][] = [];
  for (let start = 0; start < chips.length; start += BATCH) {
    const batch = chips.slice(start, start + BATCH);
    const pixels = new Float32Array(batch.length * CHIP_SIZE * CHIP_SIZE * 3);
    batch.forEach((chip, k) => {
      const offset = k * chip.length;
      for (let i = 0; i < chip.length; i++) {
        pixels[offset + i] = ((chip[i] as number) - (MEAN_RGB[i % 3] as number)) / 255;
      }
    });
    const output = tf.tidy(() => {
      const input = tf.tensor4d(pixels, [batch.length, CHIP_SIZE, CHIP_SIZE, 3]);
      let out = convLayer(tf, w, input, 'conv32_down', 2, true);
      out = tf.maxPool(out, 3, 2, 'valid');
      for (const [name, down] of STAGES) out = residual(tf, w, out, name, down);
      return tf.matMul(tf.mean(out, [1, 2]) as Tensor2D, w.fc as Tensor2D);
    });
    const values = await output.data();
    output.dispose();
    for (let k = 0; k < batch.length; k++) {
      descriptors.push(Array.from(values.subarray(k * FACE_DESCRIPTOR_LENGTH, (k + 1) * FACE_DESCRIPTOR_LENGTH)));
    }
  }
  return descriptors;
}

/**
 * A descriptor for each face big enough, for the grouping: faces whose eyes are closer than MIN_EYE_DISTANCE_PX
 * are counted `tooSmall`, those beyond the first MAX_FACES_PER_IMAGE big enough are counted `overCap`.
 *
 * 1. Keep the faces big enough, in detection order (strongest first), up to the cap.
 * 2. Align each to dlib's 150 px chip on its keypoints (face-chip.ts).
 * 3. Run the network on the chips, a few at a time.
 *
 * `faces` are `detectFaceKeypoints`'s, so `DescribedFace.face` is the index in the image's `vision.faces`.
 */
export async function describeFaces(raster: Raster, faces: readonly FaceWithKeypoints[]): Promise<FaceDescriptions> {
  const bigEnough = faces
    .map((face, index) => ({ face, index }))
    .filter(({ face }) => eyeDistancePx(raster, face.keypoints) >= MIN_EYE_DISTANCE_PX);
  const kept = bigEnough.slice(0, MAX_FACES_PER_IMAGE);
  const descriptors = await describeChips(kept.map(({ face }) => faceChip(raster, face.keypoints)));
  return {
    faces: kept.map(
      ({ face, index }, k): DescribedFace => ({ face: index, box: face.box, descriptor: descriptors[k] }),
    ),
    skipped: { tooSmall: faces.length - bigEnough.length, overCap: bigEnough.length - kept.length },
  };
}

/** Euclidean distance between two descriptors: below FACE_MATCH_DISTANCE, one person. */
export function faceDistance(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) throw new Error(`descriptors differ in length: ${a.length} and ${b.length}`);
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += ((a[i] as number) - (b[i] as number)) ** 2;
  return Math.sqrt(sum);
}
