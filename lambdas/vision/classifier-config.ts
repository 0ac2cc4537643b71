import { z } from 'zod';

/**
 * Bring your own ONNX image classifier (an ImageNet model, a product-category model...): the project ships
 * none, because no npm package offers such weights. Everything the pre- and post-processing needs is config.
 */
export const ClassifierConfigSchema = z.object({
  /** Path to the .onnx file: one image input, one [1, classes] output. */
  modelPath: z.string().min(1),
  /** Path to a text file with one label per line, in the model's class order. */
  labelsPath: z.string().min(1),
  /** Input width and height in pixels; the raster is resized to exactly this (no letterbox). */
  inputSize: z.tuple([z.number().int().positive(), z.number().int().positive()]).default([224, 224]),
  layout: z.enum(['NCHW', 'NHWC']).default('NCHW'),
  channelOrder: z.enum(['RGB', 'BGR']).default('RGB'),
  /** Per channel, in channel order, applied to pixel / 255: (x - mean) / std. Defaults are ImageNet's. */
  mean: z.tuple([z.number(), z.number(), z.number()]).default([0.485, 0.456, 0.406]),
  std: z.tuple([z.number().positive(), z.number().positive(), z.number().positive()]).default([0.229, 0.224, 0.225]),
  /** Apply softmax to the output: `auto` does when the outputs are not already probabilities. */
  softmax: z.enum(['auto', 'always', 'never']).default('auto'),
  topK: z.number().int().positive().default(5),
  minConfidence: z.number().min(0).max(1).default(0.1),
});
export type ClassifierConfig = z.input<typeof ClassifierConfigSchema>;
export type ResolvedClassifierConfig = z.output<typeof ClassifierConfigSchema>;
