import sharp from 'sharp';
import { PHASH_RASTER_SIZE, perceptualHash } from './phash';
import type { Pixels } from './raster';
import { WINDOW_NAMES, WINDOWS, type WindowHashes, windowRegion } from './windows';

/**
 * The hash of each window of an upright decoded raster, as the core hashes the whole (flattened on white, 32x32
 * greyscale, the DCT hash): the whole's equals the record's `phash` for the same raster.
 */
export async function windowHashes(pixels: Pixels): Promise<WindowHashes> {
  const raw = { raw: { width: pixels.width, height: pixels.height, channels: pixels.channels } } as const;
  const entries = await Promise.all(
    WINDOW_NAMES.map(async (name) => {
      const grey = await sharp(pixels.data, raw)
        .extract(windowRegion(pixels.width, pixels.height, WINDOWS[name]))
        .flatten({ background: '#ffffff' })
        .resize(PHASH_RASTER_SIZE, PHASH_RASTER_SIZE, { fit: 'fill' })
        .greyscale()
        .raw()
        .toBuffer();
      return [name, perceptualHash(new Uint8Array(grey))] as const;
    }),
  );
  return Object.fromEntries(entries) as WindowHashes;
}
