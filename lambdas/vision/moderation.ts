import { dirname, join } from 'node:path';
import sharp from 'sharp';
import type { Raster } from '../core/analysis/raster';
import { once } from './once';
import { normalise } from './tensor';
import { arrayBufferOf, loadTf } from './tfjs';

/** nsfwjs's MobileNetV2 (TF.js layers model, 224x224), shipped inside the npm package as JS modules. */
const NSFWJS_MODELS = join(dirname(require.resolve('nsfwjs')), '..', 'models', 'mobilenet_v2');
const INPUT = 224;
const CLASSES = ['Drawing', 'Hentai', 'Neutral', 'Porn', 'Sexy'] as const;
/** The model's unsafe classes under the top-level names Rekognition uses, so subscribers see one taxonomy. */
const MODERATION_NAMES: Partial<Record<(typeof CLASSES)[number], string>> = {
  Porn: 'Explicit Nudity',
  Hentai: 'Explicit Nudity',
  Sexy: 'Suggestive',
};

export interface ModerationScores {
  /** Unsafe categories, strongest first, confidence 0-1. */
  labels: { name: string; confidence: number }[];
  /** The model's Drawing class: the picture is an illustration rather than a photo. */
  drawing: number;
}

type LayersModel = import('@tensorflow/tfjs-layers').LayersModel;

/**
 * Loaded through `tf.io.fromMemory` from the package's own files: nsfwjs's `load()` decodes the same weights
 * through a slow path (about 9 s against 0.6 s, with identical outputs).
 */
const loadModel = once(async (): Promise<LayersModel> => {
  const tf = await loadTf();
  const { loadLayersModel } = await import('@tensorflow/tfjs-layers');
  const { modelTopology, weightsManifest } = require(join(NSFWJS_MODELS, 'model.min.js'));
  const weights: string = require(join(NSFWJS_MODELS, 'group1-shard1of1.min.js'));
  return loadLayersModel(
    tf.io.fromMemory({
      modelTopology,
      weightSpecs: weightsManifest[0].weights,
      weightData: arrayBufferOf(Buffer.from(weights, 'base64')),
    }),
  );
});

/** Moderation scores for the raster, stretched to 224x224 and scaled to 0-1 as nsfwjs does. */
export async function moderate(raster: Raster): Promise<ModerationScores> {
  const [tf, model] = await Promise.all([loadTf(), loadModel()]);
  const pixels = await sharp(raster.data, { raw: { width: raster.width, height: raster.height, channels: 3 } })
    .resize(INPUT, INPUT, { fit: 'fill' })
    .raw()
    .toBuffer();
  const scaled = normalise(pixels, { order: 'RGB', layout: 'NHWC', mean: [0, 0, 0], std: [1, 1, 1] });
  const input = tf.tensor4d(scaled, [1, INPUT, INPUT, 3]);
  const output = model.predict(input) as import('@tensorflow/tfjs-core').Tensor;
  const scores = Array.from(await output.data());
  input.dispose();
  output.dispose();

  const byName = new Map<string, number>();
  CLASSES.forEach((name, index) => {
    const label = MODERATION_NAMES[name];
    if (label) byName.set(label, Math.max(byName.get(label) ?? 0, scores[index] ?? 0));
  });
  const round = (n: number) => Math.round(n * 10000) / 10000;
  return {
    labels: [...byName.entries()]
      .map(([name, score]) => ({ name, confidence: round(score) }))
      .sort((a, b) => b.confidence - a.confidence),
    drawing: round(scores[CLASSES.indexOf('Drawing')] ?? 0),
  };
}
