/**
 * The naive sharp pipeline the core is measured against: every step starts again from the original bytes,
 * so the image is opened once for its metadata and decoded once per thumbnail size, once for the perceptual-hash
 * raster and once for the palette raster. Same outputs and settings as the core (lanczos3, WebP quality 80
 * effort 4, 32x32 grey DCT hash, 64x64 palette raster); the steps run concurrently, as the core's do, so the
 * comparison measures decoding once versus decoding per step, not parallel versus serial.
 */
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { colourFacts } from '../lambdas/core/colour';
import { PHASH_RASTER_SIZE, perceptualHash } from '../lambdas/core/phash';
import { THUMBNAIL_SIZES, WEBP_EFFORT, WEBP_QUALITY } from './protocol';

const COLOUR_RASTER_SIZE = 64;

export interface NaiveResult {
  sha256: string;
  width: number;
  height: number;
  format: string;
  phash: string;
  thumbnails: { size: number; width: number; height: number; data: Buffer }[];
  colours: ReturnType<typeof colourFacts>;
}

const open = (bytes: Buffer) => sharp(bytes, { failOn: 'warning', pages: 1 }).autoOrient();

export async function naiveAnalyze(bytes: Buffer): Promise<NaiveResult> {
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const [meta, thumbnails, grey, rgba] = await Promise.all([
    sharp(bytes).metadata(),
    Promise.all(
      THUMBNAIL_SIZES.map(async (size) => {
        const { data, info } = await open(bytes)
          .resize({ width: size, height: size, fit: 'inside', withoutEnlargement: true })
          .toColourspace('srgb')
          .webp({ quality: WEBP_QUALITY, effort: WEBP_EFFORT })
          .toBuffer({ resolveWithObject: true });
        return { size, width: info.width, height: info.height, data };
      }),
    ),
    open(bytes)
      .flatten({ background: '#ffffff' })
      .resize(PHASH_RASTER_SIZE, PHASH_RASTER_SIZE, { fit: 'fill' })
      .greyscale()
      .raw()
      .toBuffer(),
    open(bytes).resize(COLOUR_RASTER_SIZE, COLOUR_RASTER_SIZE, { fit: 'fill' }).ensureAlpha().raw().toBuffer(),
  ]);
  return {
    sha256,
    width: meta.width ?? 0,
    height: meta.height ?? 0,
    format: meta.format ?? 'unknown',
    phash: perceptualHash(grey),
    thumbnails,
    colours: colourFacts(rgba, 6),
  };
}
