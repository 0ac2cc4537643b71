/**
 * The naive sharp pipeline the core is measured against: every step starts again from the original bytes,
 * so the image is opened once for its metadata and decoded once per thumbnail size, once for the perceptual-hash
 * raster and once for the palette raster. Same outputs and settings as the core (lanczos3, WebP quality 80
 * effort 4, 32x32 grey DCT hash, 64x64 palette raster). Three variants: the steps concurrently, as the core's
 * run (so the comparison isolates decoding once versus decoding per step); one after another; and one after
 * another with JPEG shrink-on-load turned off, so that every step really decodes the whole original.
 */
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { colourFacts } from '../../lambdas/core/analysis/colour';
import { PHASH_RASTER_SIZE, perceptualHash } from '../../lambdas/core/analysis/phash';
import { THUMBNAIL_SIZES, WEBP_EFFORT, WEBP_QUALITY } from '../support/protocol';

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

export interface NaiveVariant {
  serial: boolean;
  /** Disable libjpeg's DCT-domain shrink so each step decodes the original at full size. */
  fullDecode: boolean;
}

const open = (bytes: Buffer) => sharp(bytes, { failOn: 'warning', pages: 1 }).autoOrient();

/** With `serial`, each step is awaited before the next starts (one core); otherwise they run concurrently. */
export async function naiveAnalyze(bytes: Buffer, { serial, fullDecode }: NaiveVariant): Promise<NaiveResult> {
  const fastShrinkOnLoad = !fullDecode;
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const thumbnail = async (size: number) => {
    const { data, info } = await open(bytes)
      .resize({ width: size, height: size, fit: 'inside', withoutEnlargement: true, fastShrinkOnLoad })
      .toColourspace('srgb')
      .webp({ quality: WEBP_QUALITY, effort: WEBP_EFFORT })
      .toBuffer({ resolveWithObject: true });
    return { size, width: info.width, height: info.height, data };
  };
  const steps = [
    () => sharp(bytes).metadata(),
    ...THUMBNAIL_SIZES.map((size) => () => thumbnail(size)),
    () =>
      open(bytes)
        .flatten({ background: '#ffffff' })
        .resize(PHASH_RASTER_SIZE, PHASH_RASTER_SIZE, { fit: 'fill', fastShrinkOnLoad })
        .greyscale()
        .raw()
        .toBuffer(),
    () =>
      open(bytes)
        .resize(COLOUR_RASTER_SIZE, COLOUR_RASTER_SIZE, { fit: 'fill', fastShrinkOnLoad })
        .ensureAlpha()
        .raw()
        .toBuffer(),
  ] as const;
  const results: unknown[] = [];
  if (serial) for (const step of steps) results.push(await step());
  else results.push(...(await Promise.all(steps.map((step) => step()))));
  const meta = results[0] as sharp.Metadata;
  const thumbnails = results.slice(1, 1 + THUMBNAIL_SIZES.length) as NaiveResult['thumbnails'];
  const [grey, rgba] = results.slice(1 + THUMBNAIL_SIZES.length) as [Buffer, Buffer];
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
