import sharp, { type Metadata, type Sharp } from 'sharp';
import { ImageRejectedError } from '../errors';
import type { ResolvedAnalyzeOptions } from '../options';
import type { ImageFormat, RawFacts } from '../record';
import { decodeJxl, type JxlHeader, type JxlPixels, loadJxlDecoder, readJxlHeader } from './jxl';

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
  /** The embedded ICC profile, when there is one (a Display P3 photo's: colour.ts names it). */
  icc?: Buffer;
  /** HEVC-coded HEIF: the prebuilt libvips cannot decode it, libheif's WASM build does. */
  needsHeicDecoder: boolean;
  /** A camera RAW's facts, when the picture is its preview (container.ts); `format` is then the RAW's kind. */
  raw?: RawFacts;
}

/**
 * The most pixels a JPEG XL may have: libjxl's WASM build decodes the whole picture in its own memory, about 80 MB a
 * megapixel at its peak (bench/formats/results.md: 965 MB for 12 MP), which the processor's 2048 MB must hold.
 */
export const JXL_MAX_PIXELS = 16_000_000;

const BIT_DEPTHS: Record<string, number> = { uchar: 8, char: 8, ushort: 16, short: 16, uint: 32, int: 32, float: 32 };

/** Reads and checks the header: dimensions and frame count against the limits, before decoding anything. */
export async function readHeader(bytes: Buffer, format: ImageFormat, options: ResolvedAnalyzeOptions): Promise<Header> {
  if (format === 'jxl') {
    return checkLimits(jxlHeader(bytes), { ...options, maxPixels: Math.min(options.maxPixels, JXL_MAX_PIXELS) });
  }
  let meta: Metadata;
  try {
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch (error) {
    throw new ImageRejectedError('CORRUPT_IMAGE', `unreadable ${format} header: ${messageOf(error)}`, format);
  }
  // The prebuilt libvips' AV1 decoder (aom) is built for 8-bit streams only: refused here, not as a corrupt file.
  if (meta.compression === 'av1' && (meta.bitsPerSample ?? 8) > 8) {
    throw new ImageRejectedError(
      'UNSUPPORTED_FORMAT',
      `${meta.bitsPerSample}-bit AVIF is not decoded here: its AV1 decoder reads 8-bit AVIF only (docs/formats.md)`,
      format,
    );
  }
  const pages = meta.pages ?? 1;
  const width = meta.width ?? 0;
  const height = pages > 1 ? (meta.pageHeight ?? meta.height ?? 0) : (meta.height ?? 0);
  return checkLimits(
    {
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
      icc: meta.icc,
      needsHeicDecoder: format === 'heic' || meta.compression === 'hevc',
    },
    options,
  );
}

/** Refuses, from the header, a picture over the pixel, side or frame limits. */
function checkLimits(header: Header, options: ResolvedAnalyzeOptions): Header {
  const { format, width, height, pages } = header;
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
  return header;
}

/** A JPEG XL header, read from its bits (jxl.ts): libvips cannot read it. */
function jxlHeader(bytes: Buffer): Header {
  let header: JxlHeader;
  try {
    header = readJxlHeader(bytes);
  } catch (error) {
    throw new ImageRejectedError('CORRUPT_IMAGE', `unreadable jxl header: ${messageOf(error)}`, 'jxl');
  }
  return {
    format: 'jxl',
    width: header.width,
    height: header.height,
    // An animation's first frame is decoded; its frame count is not in the header.
    pages: 1,
    orientation: header.orientation,
    orientationTagged: header.orientation !== 1,
    hasAlpha: header.hasAlpha,
    colorSpace: 'srgb',
    bitDepth: header.bitDepth,
    exif: header.exif,
    xmp: header.xmp,
    needsHeicDecoder: false,
  };
}

/**
 * A sharp pipeline over the first frame, auto-oriented, ready to resize. Decoding is strict: libvips fails on
 * the first warning, so a truncated or corrupt file throws instead of yielding half an image.
 */
export async function openOriented(bytes: Buffer, header: Header, options: ResolvedAnalyzeOptions): Promise<Sharp> {
  if (header.needsHeicDecoder) return openHeic(bytes, header);
  if (header.format === 'jxl') return openJxl(bytes, header);
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

/** libjxl's WASM build: 8-bit sRGB RGBA, already oriented; the size checked against the header's. */
async function openJxl(bytes: Buffer, header: Header): Promise<Sharp> {
  await loadJxlDecoder();
  let image: JxlPixels;
  try {
    image = await decodeJxl(bytes);
  } catch (error) {
    throw new ImageRejectedError('CORRUPT_IMAGE', `JPEG XL decode failed: ${messageOf(error)}`, 'jxl');
  }
  const turned = header.orientation >= 5 && header.orientation <= 8;
  const expected = turned ? [header.height, header.width] : [header.width, header.height];
  if (image.width !== expected[0] || image.height !== expected[1]) {
    const said = `${header.width}x${header.height}`;
    throw new ImageRejectedError(
      'CORRUPT_IMAGE',
      `JPEG XL is ${image.width}x${image.height}, header said ${said}`,
      'jxl',
    );
  }
  // libjxl has applied the codestream's orientation.
  header.orientation = 1;
  const pixels = sharp(Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength), {
    raw: { width: image.width, height: image.height, channels: 4 },
  });
  return header.hasAlpha ? pixels : pixels.removeAlpha();
}

export function messageOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]?.trim() ?? 'unknown error';
}
