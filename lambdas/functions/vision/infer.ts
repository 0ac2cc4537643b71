import { z } from 'zod';
import { decodeRaster, PaletteEntrySchema } from '../../core';
import { analyzeOffline, type OfflineOptions } from '../../vision/offline';
import type { Vision } from '../../vision/schema';

/** What the processor sends: where the image is (usually its 1024 px thumbnail), and the core's colour facts. */
export const InferRequestSchema = z.object({
  imageId: z.string().min(1),
  bucket: z.string().min(1),
  key: z.string().min(1),
  colour: z
    .object({
      palette: z.array(PaletteEntrySchema),
      brightness: z.object({ value: z.number(), class: z.enum(['dark', 'normal', 'bright']) }),
    })
    .optional(),
});
export type InferRequest = z.infer<typeof InferRequestSchema>;

/** The one thing the use case needs from the outside world: an object's bytes. */
export interface IObjectReader {
  read(bucket: string, key: string): Promise<Buffer>;
}

/** Longest side the models look at: the processor's largest thumbnail, so nothing is decoded at full size. */
const MAX_SIDE = 1024;

/**
 * Offline vision for one stored image.
 *
 * 1. Read the image (the processor passes its largest WebP thumbnail: small, already oriented).
 * 2. Decode it to the RGB raster with the core's checks and limits.
 * 3. Run the offline provider and return its result in the shared schema.
 */
export async function infer(
  request: InferRequest,
  reader: IObjectReader,
  options: OfflineOptions = {},
): Promise<Vision> {
  const bytes = await reader.read(request.bucket, request.key);
  const raster = await decodeRaster(bytes, MAX_SIDE);
  return analyzeOffline(raster, request.colour, options);
}
