import sharp from 'sharp';
import type { Raster } from '../core/analysis/raster';
import { type Box, clampBox } from '../core/vision-schema';

/** A raster fitted into a `size` x `size` square with black bars, and how to map boxes back out of it. */
export interface Letterbox {
  /** RGB, `size` x `size`. */
  pixels: Buffer;
  /** A box in fractions of the square, as a box in fractions of the original raster. */
  toRaster(box: Box): Box;
  /** A point in fractions of the square, as a point in fractions of the original raster (not clamped). */
  toRasterPoint(point: Point): Point;
}

/** A point in fractions of an image's width and height. */
export interface Point {
  x: number;
  y: number;
}

/** Keep the aspect ratio the detectors were trained on: scale the longest side to `size`, centre, pad. */
export async function letterbox(raster: Raster, size: number): Promise<Letterbox> {
  const scale = size / Math.max(raster.width, raster.height);
  const width = Math.max(1, Math.round(raster.width * scale));
  const height = Math.max(1, Math.round(raster.height * scale));
  const padX = Math.floor((size - width) / 2);
  const padY = Math.floor((size - height) / 2);
  const pixels = await sharp(raster.data, { raw: { width: raster.width, height: raster.height, channels: 3 } })
    .resize(width, height, { fit: 'fill' })
    .extend({ left: padX, right: size - width - padX, top: padY, bottom: size - height - padY, background: '#000' })
    .raw()
    .toBuffer();
  return {
    pixels,
    toRaster: (box) =>
      clampBox({
        left: (box.left * size - padX) / width,
        top: (box.top * size - padY) / height,
        width: (box.width * size) / width,
        height: (box.height * size) / height,
      }),
    toRasterPoint: ({ x, y }) => ({ x: (x * size - padX) / width, y: (y * size - padY) / height }),
  };
}
