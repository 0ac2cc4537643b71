import { decodeRaster, type Raster } from '../core/analysis/raster';

/** Longest side of the raster the offline models are given; a larger thumbnail is shrunk to it. */
export const VISION_INPUT_SIDE = 1024;

/**
 * The thumbnail the offline models look at, wherever they run: the largest the core made of the image (1024 px
 * with the default `thumbnailSizes`; a smaller image is never enlarged). The processor sends its key to the vision
 * function; `image-intel analyze` decodes the same bytes, made by the same core, so it sees what a deployment
 * records.
 *
 * Why the thumbnail and not the original: the vision function reads only thumbnails (a small object under one
 * prefix, never an original of up to `maxUploadBytes`), it is already oriented and sRGB, and every model looks at
 * 512 px or less (faces: 256 px views, see faces.ts), so the original's extra pixels would be thrown away. It is
 * lossy (WebP, quality 80): the models see the artefacts on both paths, and the thresholds are calibrated on it.
 */
export function visionThumbnail<T extends { size: number }>(thumbnails: readonly T[]): T {
  const [first, ...rest] = thumbnails;
  if (!first) throw new Error('an image with no thumbnail has nothing for the models to look at');
  return rest.reduce((largest, thumbnail) => (thumbnail.size > largest.size ? thumbnail : largest), first);
}

/**
 * The pixels of `visionThumbnail`'s bytes the models run on: decoded by the core (same checks and limits, alpha
 * flattened onto white) to RGB, at most `VISION_INPUT_SIDE` px on its longest side.
 */
export function visionRaster(thumbnailBytes: Buffer): Promise<Raster> {
  return decodeRaster(thumbnailBytes, VISION_INPUT_SIDE);
}
