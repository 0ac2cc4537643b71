import type { ProcessedRecord, Raster } from '../../core';
import type { Vision } from '../../core/vision-schema';

/** What a vision provider may look at; each uses what suits it. */
export interface VisionInput {
  imageId: string;
  bucket: string;
  original: { bytes: Buffer; format: string };
  /** The largest thumbnail, already written to the bucket. */
  thumbnail: { key: string; bytes: Buffer };
  /** The oriented RGB raster the thumbnails came from, when the provider asked for it. */
  raster?: Raster;
  colour: Pick<ProcessedRecord, 'palette' | 'brightness'>;
}

export interface IVisionProvider {
  /** Whether `analyze` needs `raster` (the core then keeps it). */
  readonly wantsRaster: boolean;
  analyze(input: VisionInput): Promise<Vision>;
}
