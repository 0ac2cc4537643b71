import type { ProcessedRecord, Raster } from '../../core';
import type { Vision } from '../../vision/schema';

/** The stored original, or why it could not be read in full. */
export type ReadResult =
  | { kind: 'object'; bytes: Buffer; etag: string }
  | { kind: 'missing' }
  | { kind: 'too-large'; size: number; etag: string };

/** Where originals are read from and thumbnails written to. */
export interface IObjectStore {
  /** Reads the object unless it is larger than `maxBytes` (then only its size and ETag are returned). */
  read(bucket: string, key: string, maxBytes: number): Promise<ReadResult>;
  write(bucket: string, key: string, bytes: Buffer, contentType: string): Promise<void>;
}

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
