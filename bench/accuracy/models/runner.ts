import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Raster } from '../../../lambdas/core/analysis/raster';

/** One image's predictions in the shared format (bench/accuracy/predictions/*.json); a runner fills its task. */
export interface Prediction {
  objects?: { name: string; confidence: number }[];
  faces?: { confidence: number }[];
  moderation?: Record<string, number>;
}

export type Task = 'objects' | 'faces' | 'moderation';

/** A candidate model for one task, run on the pipeline's pixels. */
export interface Runner {
  task: Task;
  /** The run's name: the predictions file's name. */
  name: string;
  /** What the model is and which package (and version) ships it. */
  model: string;
  /** The files the model needs at run time: their size is the weights' size. */
  weights: () => string[];
  /** Load once (timed as the load time). */
  load: () => Promise<void>;
  /** Predictions for one raster: every object at or above 0.05, every face at or above 0.3. */
  predict: (raster: Raster) => Promise<Prediction>;
}

export const round = (n: number): number => Math.round(n * 10000) / 10000;
export const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** A package's root folder and version, found from its main entry (some export no package.json). */
export function packageOf(name: string): { root: string; version: string } {
  let dir = dirname(require.resolve(name));
  while (
    !existsSync(join(dir, 'package.json')) ||
    JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).name !== name
  )
    dir = dirname(dir);
  return { root: dir, version: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version };
}
