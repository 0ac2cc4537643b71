import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import type { Raster } from '../core/analysis/raster';
import { type ClassifierConfig, ClassifierConfigSchema, type ResolvedClassifierConfig } from './classifier-config';
import { loadSession, ort } from './onnx';
import { normalise } from './tensor';

export interface Classification {
  name: string;
  confidence: number;
}

const labelFiles = new Map<string, Promise<string[]>>();

/** Classify the raster with the configured model: its top labels over the threshold, strongest first. */
export async function classify(raster: Raster, config: ClassifierConfig): Promise<Classification[]> {
  const options = ClassifierConfigSchema.parse(config);
  let labels = labelFiles.get(options.labelsPath);
  if (!labels) {
    labels = readFile(options.labelsPath, 'utf8').then((text) =>
      text
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter(Boolean),
    );
    labelFiles.set(options.labelsPath, labels);
  }
  const [session, names] = await Promise.all([loadSession(options.modelPath), labels]);
  const output = await session.run({ [session.inputNames[0] as string]: await toTensor(raster, options) });
  const values = Array.from(output[session.outputNames[0] as string]?.data as Float32Array);
  if (values.length !== names.length) {
    throw new Error(`classifier outputs ${values.length} classes but ${options.labelsPath} has ${names.length} labels`);
  }
  const probabilities = needsSoftmax(values, options.softmax) ? softmax(values) : values;
  return probabilities
    .map((confidence, index) => ({ name: names[index] as string, confidence: Math.round(confidence * 10000) / 10000 }))
    .filter((c) => c.confidence >= options.minConfidence)
    .sort((a, b) => b.confidence - a.confidence)
    .slice(0, options.topK);
}

/** The raster resized to the input size, scaled, normalised and laid out as the model expects. */
export async function toTensor(raster: Raster, options: ResolvedClassifierConfig): Promise<ort.Tensor> {
  const [width, height] = options.inputSize;
  const pixels = await sharp(raster.data, { raw: { width: raster.width, height: raster.height, channels: 3 } })
    .resize(width, height, { fit: 'fill' })
    .raw()
    .toBuffer();
  const data = normalise(pixels, {
    order: options.channelOrder,
    layout: options.layout,
    mean: options.mean,
    std: options.std,
  });
  const dims = options.layout === 'NCHW' ? [1, 3, height, width] : [1, height, width, 3];
  return new ort.Tensor('float32', data, dims);
}

function needsSoftmax(values: number[], mode: 'auto' | 'always' | 'never'): boolean {
  if (mode !== 'auto') return mode === 'always';
  const sum = values.reduce((a, b) => a + b, 0);
  return values.some((v) => v < 0 || v > 1) || Math.abs(sum - 1) > 1e-3;
}

export function softmax(values: number[]): number[] {
  const max = Math.max(...values);
  const exps = values.map((v) => Math.exp(v - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}
