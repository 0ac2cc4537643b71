import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { analyzeImage, decodeRaster, type Raster } from '../../../lambdas/core';

/** One image's labels as bench/accuracy/set/labels.json has them (the fields the model comparison scores). */
export interface ImageLabels {
  objects?: string[];
  maybeObjects?: string[];
  faces?: number;
  maybeFaces?: number;
  moderation?: string[];
}

export interface LabelledSet {
  dir: string;
  images: Record<string, ImageLabels>;
}

/** The evaluation set: `--set DIR`, else the evalset branch's worktree, else this branch's own folder. */
export async function readSet(dir: string): Promise<LabelledSet> {
  const { images } = JSON.parse(await readFile(join(dir, 'labels.json'), 'utf8')) as LabelledSet;
  return { dir, images };
}

/**
 * The pixels the pipeline gives the models: the core's largest (1024 px) WebP thumbnail, decoded as
 * analyze-stored-image.ts decodes it. Kept as WebP between images so the set does not sit in memory as rasters.
 */
export async function pipelineThumbnail(path: string): Promise<Buffer> {
  const { thumbnails, record } = await analyzeImage(await readFile(path));
  const largest = [...thumbnails].sort((a, b) => b.size - a.size)[0];
  if (!largest) throw new Error(`${path}: no thumbnail (${record.status})`);
  return largest.data;
}

export const decodeThumbnail = (webp: Buffer): Promise<Raster> => decodeRaster(webp, 1024);

export const INPUT_DESCRIPTION = "the pipeline's 1024 px WebP thumbnail (core analyzeImage), decoded by decodeRaster";
