import sharp from 'sharp';
import type { Raster } from '../core/analysis/raster';

/**
 * The sides a picture may have for the models to look at it: Amazon Rekognition refuses an image under 80 px or over
 * 10,000 px on a side (its image-bytes limits), and the offline models are given the same range, so both providers
 * see alike what a deployment can record. A picture outside it is scaled into it, its shape kept; one whose shape
 * no scale can fit (a strip more than 125 times as long as it is wide) is not looked at, and says why.
 */
export const VISION_MIN_SIDE = 80;
export const VISION_MAX_SIDE = 10_000;

export interface Size {
  width: number;
  height: number;
}

/** What to give the models of a picture this size: as it is, scaled to `to`, or nothing (`reason`). */
export type VisionFit = { kind: 'as-is' } | { kind: 'scaled'; to: Size } | { kind: 'skipped'; reason: string };

/** The models are not given this picture: its shape has no scale inside the range. Recorded as `visionError`. */
export class PictureOutOfRangeError extends Error {
  override readonly name = 'PictureOutOfRangeError';
}

/** How a `width` x `height` picture fits the range: the smallest change of scale that brings both sides into it. */
export function visionFit({ width, height }: Size): VisionFit {
  const short = Math.min(width, height);
  const long = Math.max(width, height);
  if (short >= VISION_MIN_SIDE && long <= VISION_MAX_SIDE) return { kind: 'as-is' };
  const scale = long > VISION_MAX_SIDE ? VISION_MAX_SIDE / long : VISION_MIN_SIDE / short;
  const to = { width: Math.round(width * scale), height: Math.round(height * scale) };
  if (Math.min(to.width, to.height) < VISION_MIN_SIDE || Math.max(to.width, to.height) > VISION_MAX_SIDE) {
    return {
      kind: 'skipped',
      reason:
        `a ${width}x${height} picture cannot be scaled into ${VISION_MIN_SIDE}-${VISION_MAX_SIDE} px a side ` +
        `(its long side is more than ${VISION_MAX_SIDE / VISION_MIN_SIDE} times its short one): not looked at`,
    };
  }
  return { kind: 'scaled', to };
}

/**
 * The stored size of an encoded picture, from its header: what Rekognition measures. Undefined when the header cannot
 * be read: the picture is then sent as it is, for Rekognition to judge.
 */
export async function sizeOf(bytes: Buffer): Promise<Size | undefined> {
  try {
    const { width = 0, height = 0 } = await sharp(bytes).metadata();
    return { width, height };
  } catch {
    return undefined;
  }
}

/**
 * An encoded picture within the range, as a JPEG when it had to be scaled; throws PictureOutOfRangeError when it
 * cannot be. `scaled` says from what to what, for the record.
 */
export async function fitEncoded(bytes: Buffer): Promise<{ bytes: Buffer; scaled?: { from: Size; to: Size } }> {
  const from = await sizeOf(bytes);
  if (from === undefined) return { bytes };
  const fit = visionFit(from);
  if (fit.kind === 'as-is') return { bytes };
  if (fit.kind === 'skipped') throw new PictureOutOfRangeError(fit.reason);
  const scaled = await sharp(bytes)
    .resize({ ...fit.to, fit: 'fill' })
    .jpeg({ quality: 90 })
    .toBuffer();
  return { bytes: scaled, scaled: { from, to: fit.to } };
}

/** A raster within the range (the offline models' input); throws PictureOutOfRangeError when it cannot be. */
export async function fitRaster(raster: Raster): Promise<{ raster: Raster; scaled?: { from: Size; to: Size } }> {
  const from = { width: raster.width, height: raster.height };
  const fit = visionFit(from);
  if (fit.kind === 'as-is') return { raster };
  if (fit.kind === 'skipped') throw new PictureOutOfRangeError(fit.reason);
  const { data, info } = await sharp(raster.data, { raw: { width: raster.width, height: raster.height, channels: 3 } })
    .resize({ ...fit.to, fit: 'fill' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { raster: { data, width: info.width, height: info.height, channels: 3 }, scaled: { from, to: fit.to } };
}
