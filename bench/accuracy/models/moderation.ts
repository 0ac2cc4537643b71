import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import type { Raster } from '../../../lambdas/core/analysis/raster';
import { moderate } from '../../../lambdas/vision/moderation';
import { normalise } from '../../../lambdas/vision/tensor';
import { arrayBufferOf, loadTf } from '../../../lambdas/vision/tfjs';
import { packageOf, type Runner, round } from './runner';

const { root: NSFWJS, version: VERSION } = packageOf('nsfwjs');
const CLASSES = ['Drawing', 'Hentai', 'Neutral', 'Porn', 'Sexy'] as const;

const modelDir = (variant: string) => join(NSFWJS, 'dist', 'models', variant);
const files = (variant: string) => readdirSync(modelDir(variant)).map((f) => join(modelDir(variant), f));

/** The product's own moderation (lambdas/vision/moderation.ts): the baseline. */
export const productModeration: Runner = {
  task: 'moderation',
  name: 'moderation-nsfwjs-mobilenet_v2',
  model: `nsfwjs mobilenet_v2, 224x224, TF.js layers (nsfwjs ${VERSION}), as lambdas/vision/moderation.ts runs it`,
  weights: () => files('mobilenet_v2'),
  load: async () => {
    await moderate({ data: Buffer.alloc(64 * 64 * 3), width: 64, height: 64 } as Raster);
  },
  predict: async (raster) => {
    const { labels } = await moderate(raster);
    return { moderation: Object.fromEntries(labels.map((l) => [l.name, l.confidence])) };
  },
};

type Model = { predict: (x: unknown) => unknown; execute?: (x: unknown) => unknown };

/**
 * Another of nsfwjs's shipped classifiers, run as the product runs mobilenet_v2 (stretched to the model's square,
 * scaled to 0-1, read through `tf.io.fromMemory` from the package's JS-module shards).
 */
export function nsfwjsVariant(variant: 'mobilenet_v2_mid' | 'inception_v3'): Runner {
  const size = variant === 'inception_v3' ? 299 : 224;
  let model: Model | undefined;
  return {
    task: 'moderation',
    name: `moderation-nsfwjs-${variant}`,
    model: `nsfwjs ${variant}, ${size}x${size} (nsfwjs ${VERSION})`,
    weights: () => files(variant),
    load: async () => {
      const tf = await loadTf();
      const spec = require(join(modelDir(variant), 'model.min.js'));
      const manifest = spec.weightsManifest[0];
      const weights = Buffer.concat(
        (manifest.paths as string[]).map((p) =>
          Buffer.from(require(join(modelDir(variant), `${p}.min.js`)) as string, 'base64'),
        ),
      );
      const artifacts = {
        modelTopology: spec.modelTopology,
        weightSpecs: manifest.weights,
        weightData: arrayBufferOf(weights),
      };
      if (spec.format === 'graph-model') {
        const { loadGraphModel } = await import('@tensorflow/tfjs-converter');
        model = (await loadGraphModel(tf.io.fromMemory(artifacts))) as unknown as Model;
      } else {
        const { loadLayersModel } = await import('@tensorflow/tfjs-layers');
        model = (await loadLayersModel(tf.io.fromMemory(artifacts))) as unknown as Model;
      }
    },
    predict: async (raster) => {
      const tf = await loadTf();
      const pixels = await sharp(raster.data, { raw: { width: raster.width, height: raster.height, channels: 3 } })
        .resize(size, size, { fit: 'fill' })
        .raw()
        .toBuffer();
      const input = tf.tensor4d(normalise(pixels, { order: 'RGB', layout: 'NHWC', mean: [0, 0, 0], std: [1, 1, 1] }), [
        1,
        size,
        size,
        3,
      ]);
      const output = (model as Model).predict(input) as import('@tensorflow/tfjs-core').Tensor;
      const scores = Array.from(await output.data());
      input.dispose();
      output.dispose();
      const score = (name: (typeof CLASSES)[number]) => scores[CLASSES.indexOf(name)] ?? 0;
      return {
        moderation: {
          'Explicit Nudity': round(Math.max(score('Porn'), score('Hentai'))),
          Suggestive: round(score('Sexy')),
        },
      };
    },
  };
}
