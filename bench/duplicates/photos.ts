/*
 * The photos of the duplicates bench: the accuracy bench's labelled pictures (README.md says where each comes from),
 * nine copies of each a user would want found, and two steps to the side that must not be, each analysed as the
 * processor analyses an upload and hashed over its windows from the same decode.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { analyzeImage } from '../../lambdas/core/analysis/analyze';
import { windowHashes } from '../../lambdas/core/analysis/window-hashes';
import { type WindowHashes, windowRegion } from '../../lambdas/core/analysis/windows';
import type { ProcessedRecord } from '../../lambdas/core/record';

const SET = path.join(__dirname, '../accuracy/set');
export const LABELS = (
  JSON.parse(readFileSync(path.join(SET, 'labels.json'), 'utf8')) as {
    images: Record<string, { from: string; licence: string }>;
  }
).images;
export const NAMES = Object.keys(LABELS).sort();

export interface Photo {
  /** The set's picture it was made from. */
  picture: string;
  /** `original`, a key of COPIES, or a step to the side. */
  kind: string;
  hashes: WindowHashes;
  record: ProcessedRecord;
}

/** Cut `[left, top, width, height]` (fractions) out of a picture. */
export async function cut(
  bytes: Buffer,
  [left, top, width, height]: readonly [number, number, number, number],
): Promise<Buffer> {
  const { width: w = 0, height: h = 0 } = await sharp(bytes).rotate().metadata();
  return sharp(bytes)
    .rotate()
    .extract(windowRegion(w, h, [left, top, width, height]))
    .jpeg({ quality: 90 })
    .toBuffer();
}

async function watermark(bytes: Buffer): Promise<Buffer> {
  const { width = 0, height = 0 } = await sharp(bytes).metadata();
  const size = Math.round(height * 0.07);
  const svg = `<svg width="${width}" height="${height}"><text x="${width * 0.5}" y="${height * 0.94}" font-size="${size}"
    font-family="sans-serif" fill="white" stroke="black" stroke-width="1">© a photographer 2026</text></svg>`;
  return sharp(bytes)
    .composite([{ input: Buffer.from(svg) }])
    .jpeg({ quality: 85 })
    .toBuffer();
}

/** 320 px wide, or half as wide for a picture under 640 px: always smaller, never an enlargement. */
async function resized(bytes: Buffer): Promise<Buffer> {
  const { width = 0 } = await sharp(bytes).rotate().metadata();
  return sharp(bytes)
    .rotate()
    .resize({ width: Math.min(320, Math.round(width / 2)) })
    .jpeg({ quality: 80 })
    .toBuffer();
}

/** The copies made of each picture, each a duplicate a user would want found. */
export const COPIES: Record<string, (bytes: Buffer) => Promise<Buffer>> = {
  're-encoded (JPEG q40)': (bytes) => sharp(bytes).jpeg({ quality: 40 }).toBuffer(),
  'resized (320 px wide, q80)': resized,
  'turned by EXIF (stored sideways, orientation 6)': (bytes) =>
    sharp(bytes).rotate(270).withMetadata({ orientation: 6 }).jpeg({ quality: 90 }).toBuffer(),
  'watermarked (text, bottom right)': watermark,
  'brightened 15 %': (bytes) => sharp(bytes).modulate({ brightness: 1.15 }).jpeg({ quality: 90 }).toBuffer(),
  'cropped 5 % each side': (bytes) => cut(bytes, [0.05, 0.05, 0.9, 0.9]),
  'cropped 10 % each side': (bytes) => cut(bytes, [0.1, 0.1, 0.8, 0.8]),
  'cropped 10 % off one side': (bytes) => cut(bytes, [0.1, 0, 0.9, 1]),
  'cropped 7 % off a corner': (bytes) => cut(bytes, [0.07, 0.07, 0.93, 0.93]),
};

/** Each picture's left 70 % and right 70 %: two steps to the side, 40 % of the view shared, never duplicates. */
export const STEPS: Record<string, (bytes: Buffer) => Promise<Buffer>> = {
  'step to the left (left 70 %)': (bytes) => cut(bytes, [0, 0, 0.7, 1]),
  'step to the right (right 70 %)': (bytes) => cut(bytes, [0.3, 0, 0.7, 1]),
};

/**
 * As the processor analyses an upload (`analyzeImage` with `keepPixels`, then `windowHashes` of the decoded pixels,
 * the largest thumbnail's 1024 px raster). Only the 1024 px thumbnail is encoded, at WebP effort 0: the raster is the
 * same as with the default sizes, and the thumbnails are not what is measured.
 */
async function analyse(bytes: Buffer, label: string): Promise<{ hashes: WindowHashes; record: ProcessedRecord }> {
  const { record, pixels } = await analyzeImage(bytes, { keepPixels: true, thumbnailSizes: [1024], webpEffort: 0 });
  if (record.status !== 'PROCESSED' || !pixels) throw new Error(`${label}: ${record.status}`);
  return { hashes: await windowHashes(pixels), record };
}

/** Every picture, its copies and its steps, analysed; two pictures at a time (2 cores). */
export async function makePhotos(): Promise<Photo[]> {
  const photos: Photo[][] = [];
  let next = 0;
  const worker = async () => {
    while (next < NAMES.length) {
      const at = next++;
      const picture = NAMES[at] as string;
      const bytes = readFileSync(path.join(SET, picture));
      const made: Photo[] = [{ picture, kind: 'original', ...(await analyse(bytes, picture)) }];
      for (const [kind, make] of Object.entries({ ...COPIES, ...STEPS })) {
        made.push({ picture, kind, ...(await analyse(await make(bytes), `${picture} ${kind}`)) });
      }
      photos[at] = made;
    }
  };
  await Promise.all([worker(), worker()]);
  return photos.flat();
}
