import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { analyzeImage } from '../../../lambdas/core/analysis/analyze';
import { decodeRaster, type Raster } from '../../../lambdas/core/analysis/raster';

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

/** The evaluation set in DIR (`--set`): its labels.json, or before it is written, its photos. */
export async function readSet(dir: string): Promise<LabelledSet> {
  const labels = await readFile(join(dir, 'labels.json'), 'utf8').catch(() => undefined);
  if (labels) return { dir, images: (JSON.parse(labels) as LabelledSet).images };
  // Not labelled yet: the photos alone, so the models can run while the labels are written.
  const images: Record<string, ImageLabels> = {};
  for (const split of ['tune', 'eval'])
    for (const file of await readdir(join(dir, split)).catch(() => [] as string[]))
      if (file.endsWith('.jpg')) images[`${split}/${file}`] = {};
  return { dir, images };
}

/**
 * The pixels the pipeline gives the models: the core's largest (1024 px) WebP thumbnail, decoded as
 * analyze-stored-image.ts decodes it. Kept as WebP between images so the set does not sit in memory as rasters.
 */
export async function pipelineThumbnail(path: string): Promise<Buffer> {
  const bytes = await readFile(path);
  // Cached by content in the system's temporary folder: every runner of a comparison needs the same thumbnails.
  const cached = join(tmpdir(), 'accuracy-thumbnails', `${createHash('sha256').update(bytes).digest('hex')}.webp`);
  const hit = await readFile(cached).catch(() => undefined);
  if (hit) return hit;
  const { thumbnails, record } = await analyzeImage(bytes);
  const largest = [...thumbnails].sort((a, b) => b.size - a.size)[0];
  if (!largest) throw new Error(`${path}: no thumbnail (${record.status})`);
  await mkdir(dirname(cached), { recursive: true });
  await writeFile(cached, largest.data);
  return largest.data;
}

export const decodeThumbnail = (webp: Buffer): Promise<Raster> => decodeRaster(webp, 1024);

export const INPUT_DESCRIPTION = "the pipeline's 1024 px WebP thumbnail (core analyzeImage), decoded by decodeRaster";
