import sharp, { type Metadata, type Sharp } from 'sharp';
import { ImageRejectedError } from '../errors';
import type { ResolvedAnalyzeOptions } from '../options';
import type { ImageFormat, RawFacts } from '../record';

/** What the header says, read before any pixel is decoded. */
export interface Header {
  format: ImageFormat;
  /** Stored (pre-orientation) size of one frame. */
  width: number;
  height: number;
  pages: number;
  orientation: number;
  /**
   * Whether the header names an EXIF orientation at all (1 included): a file without one says nothing of which way
   * is up, and the offline models may try it turned (lambdas/vision/quarter-turns.ts).
   */
  orientationTagged: boolean;
  hasAlpha: boolean;
  colorSpace: string;
  bitDepth: number;
  exif?: Buffer;
  /** The XMP packet and the IPTC block (a JPEG's APP13 payload, a TIFF's IIM), when the header has them. */
  xmp?: Buffer;
  iptc?: Buffer;
  /** HEVC-coded HEIF: the prebuilt libvips cannot decode it, libheif's WASM build does. */
  needsHeicDecoder: boolean;
  /** A camera RAW's facts, when the picture is its preview (container.ts); `format` is then the RAW's kind. */
  raw?: RawFacts;
}

const BIT_DEPTHS: Record<string, number> = { uchar: 8, char: 8, ushort: 16, short: 16, uint: 32, int: 32, float: 32 };

/** Reads and checks the header: dimensions and frame count against the limits, before decoding anything. */
export async function readHeader(bytes: Buffer, format: ImageFormat, options: ResolvedAnalyzeOptions): Promise<Header> {
  let meta: Metadata;
  try {
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch (error) {
    throw new ImageRejectedError('CORRUPT_IMAGE', `unreadable ${format} header: ${messageOf(error)}`, format);
  }
  const pages = meta.pages ?? 1;
  const width = meta.width ?? 0;
  const height = pages > 1 ? (meta.pageHeight ?? meta.height ?? 0) : (meta.height ?? 0);
  if (width <= 0 || height <= 0)
    throw new ImageRejectedError('CORRUPT_IMAGE', `${format} header has no dimensions`, format);
  if (width * height > options.maxPixels) {
    throw new ImageRejectedError(
      'PIXEL_LIMIT_EXCEEDED',
      `${width}x${height} is ${((width * height) / 1e6).toFixed(1)} MP, over the ${(options.maxPixels / 1e6).toFixed(1)} MP limit`,
      format,
    );
  }
  // Both sides: EXIF orientation can turn a tall sliver into a wide one before the resize.
  if (Math.max(width, height) > options.maxSide) {
    throw new ImageRejectedError(
      'PIXEL_LIMIT_EXCEEDED',
      `${width}x${height} has a side over the ${options.maxSide} px limit`,
      format,
    );
  }
  if (pages > options.maxFrames) {
    throw new ImageRejectedError(
      'FRAME_LIMIT_EXCEEDED',
      `${pages} frames, over the ${options.maxFrames} frame limit`,
      format,
    );
  }
  return {
    format,
    width,
    height,
    pages,
    orientation: meta.orientation ?? 1,
    orientationTagged: meta.orientation !== undefined,
    hasAlpha: meta.hasAlpha ?? false,
    colorSpace: meta.space ?? 'unknown',
    // GIF reports its palette index width; its samples are 8-bit.
    bitDepth: (format === 'gif' ? undefined : meta.bitsPerSample) ?? BIT_DEPTHS[meta.depth ?? 'uchar'] ?? 8,
    exif: meta.exif,
    xmp: meta.xmp,
    iptc: meta.iptc,
    needsHeicDecoder: format === 'heic' || meta.compression === 'hevc',
  };
}

/**
 * A sharp pipeline over the first frame, auto-oriented, ready to resize. Decoding is strict: libvips fails on
 * the first warning, so a truncated or corrupt file throws instead of yielding half an image.
 */
export async function openOriented(bytes: Buffer, header: Header, options: ResolvedAnalyzeOptions): Promise<Sharp> {
  if (header.needsHeicDecoder) return openHeic(bytes, header);
  return sharp(bytes, {
    limitInputPixels: options.maxPixels,
    failOn: 'warning',
    sequentialRead: true,
    pages: 1,
  }).autoOrient();
}

async function openHeic(bytes: Buffer, header: Header): Promise<Sharp> {
  // Loaded on first use: the WASM module costs ~100 ms and most inputs are not HEIC.
  const { default: decodeHeic } = await import('heic-decode');
  let image: { width: number; height: number; data: Uint8ClampedArray };
  let images: Awaited<ReturnType<typeof decodeHeic.all>> | undefined;
  try {
    images = await decodeHeic.all({ buffer: bytes });
    const primary = images[0];
    if (!primary) throw new Error('no image in the HEIF container');
    // The limit was checked on libvips' header read; refuse a primary image that is bigger than that claimed.
    if (primary.width * primary.height > header.width * header.height) {
      throw new Error(`image is ${primary.width}x${primary.height}, header said ${header.width}x${header.height}`);
    }
    image = await primary.decode();
  } catch (error) {
    throw new ImageRejectedError('CORRUPT_IMAGE', `HEIC decode failed: ${messageOf(error)}`, 'heic');
  } finally {
    images?.dispose();
  }
  // libheif has already applied the HEIF rotation/mirror properties, which take precedence over EXIF.
  header.orientation = 1;
  return sharp(Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength), {
    raw: { width: image.width, height: image.height, channels: 4 },
  });
}

export function messageOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]?.trim() ?? 'unknown error';
}
