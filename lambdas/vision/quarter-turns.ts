import sharp from 'sharp';
import type { Raster } from '../core/analysis/raster';
import { type Box, clampBox } from '../core/vision-schema';

/** A clockwise quarter turn of the picture: what the record's `vision.turn` says would put it upright. */
export type Turn = 90 | 180 | 270;
export const TURNS: readonly Turn[] = [90, 180, 270];

/** The raster turned clockwise by `turn`: libvips moves the pixels exactly, nothing is resampled. */
export async function turnRaster(raster: Raster, turn: Turn): Promise<Raster> {
  const { data, info } = await sharp(raster.data, {
    raw: { width: raster.width, height: raster.height, channels: 3 },
  })
    .rotate(turn)
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: 3 };
}

/**
 * A box in fractions of the raster turned clockwise by `turn`, as a box in fractions of the raster before it: what
 * the models found on the turned picture, drawn where it is on the stored one.
 */
export function boxBeforeTurn(box: Box, turn: Turn): Box {
  const { left, top, width, height } = box;
  switch (turn) {
    // Turned 90 clockwise, a point (x, y) of the stored picture lands on (1 - y, x).
    case 90:
      return clampBox({ left: top, top: 1 - left - width, width: height, height: width });
    case 180:
      return clampBox({ left: 1 - left - width, top: 1 - top - height, width, height });
    // Turned 270 clockwise (90 anticlockwise), (x, y) lands on (y, 1 - x).
    case 270:
      return clampBox({ left: 1 - top - height, top: left, width: height, height: width });
  }
}
