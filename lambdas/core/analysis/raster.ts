import sharp from 'sharp';
import { type Crop, cropPixels, isFullFrame, turnCrop } from '../crop';
import { ImageRejectedError } from '../errors';
import { type AnalyzeOptions, AnalyzeOptionsSchema, largestImageBytes, type ResolvedAnalyzeOptions } from '../options';
import type { ImageFormat } from '../record';
import { RAW_FORMATS } from '../vocabulary';
import { headerOf, pictureOf } from './container';
import { type Header, messageOf, openOriented } from './decode';
import { sniffFormat } from './sniff';

/*
 * The one decode of an image: its bytes checked (size, format), its header against the limits, then its pixels,
 * oriented and shrunk on load. The analysis, the thumbnails, eager renditions and inference all start from it.
 */

/**
 * The decoded pixels every thumbnail was encoded from, as decoded: oriented, 8-bit sRGB, with the alpha channel
 * when the image has one, at most the largest thumbnail size. What renditions made at ingest start from.
 */
export interface Pixels {
  data: Buffer;
  width: number;
  height: number;
  channels: 1 | 2 | 3 | 4;
}

/** The same pixels as RGB, alpha flattened onto white, for inference. */
export interface Raster extends Pixels {
  channels: 3;
}

/**
 * Sniff, check the header against the limits, then decode once: oriented, shrunk so that the part its owner keeps
 * (`crop`) is at most `largest` px on its longest side, 8-bit sRGB, then turned by the owner's `rotation` and cut
 * to the crop. `whileDecoding` runs on the main thread while libvips works on the pool. `uncut` is the decoded
 * raster's size before the crop, in the turned picture.
 */
export async function decodeOriented(
  bytes: Buffer,
  options: ResolvedAnalyzeOptions,
  largest: number,
  whileDecoding: () => void = () => {},
): Promise<{ header: Header; data: Buffer; info: sharp.OutputInfo; uncut: { width: number; height: number } }> {
  const format = checkBytes(bytes, options);
  const picture = pictureOf(bytes, format);
  const header = await headerOf(picture, options);
  const source = await openOriented(picture.bytes, header, options);
  // A crop keeps a part of the picture: the whole is decoded larger, so the part keeps the thumbnails' resolution.
  const crop = isFullFrame(options.crop) ? undefined : options.crop;
  try {
    const decoding = source
      .resize({
        width: Math.ceil(largest / (crop?.width ?? 1)),
        height: Math.ceil(largest / (crop?.height ?? 1)),
        fit: 'inside',
        withoutEnlargement: true,
      })
      .toColourspace('srgb')
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    whileDecoding();
    const { data, info } = await decoding;
    const upright = await turned(colourAndAlphaOnly(data, info, header.hasAlpha), options.rotation);
    const uncut = { width: upright.info.width, height: upright.info.height };
    return { header, ...(await cut(upright, crop && turnCrop(crop, options.rotation))), uncut };
  } catch (error) {
    // A RAW's preview that does not decode is a RAW without a usable preview.
    const code = picture.raw ? 'RAW_NO_PREVIEW' : 'CORRUPT_IMAGE';
    throw new ImageRejectedError(code, `${format} decode failed: ${messageOf(error)}`, format);
  }
}

/**
 * The decoded raster turned clockwise by its owner's rotation: on the shrunk raster, so a turn costs a copy of at
 * most the largest thumbnail's pixels, never a second decode of the original.
 */
async function turned(
  decoded: { data: Buffer; info: sharp.OutputInfo },
  rotation: ResolvedAnalyzeOptions['rotation'],
): Promise<{ data: Buffer; info: sharp.OutputInfo }> {
  if (rotation === 0) return decoded;
  const { width, height, channels } = decoded.info;
  return sharp(decoded.data, { raw: { width, height, channels } })
    .rotate(rotation)
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });
}

/**
 * The upright raster cut to its owner's crop (in fractions of the upright picture): on the decoded raster, a copy of
 * the part kept.
 */
async function cut(
  decoded: { data: Buffer; info: sharp.OutputInfo },
  crop: Crop | undefined,
): Promise<{ data: Buffer; info: sharp.OutputInfo }> {
  if (!crop) return decoded;
  const { width, height, channels } = decoded.info;
  return sharp(decoded.data, { raw: { width, height, channels } })
    .extract(cropPixels(crop, width, height))
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });
}

/**
 * libvips keeps samples beyond colour and alpha (TIFF ExtraSamples, or a grey image with three samples) as extra
 * bands after the sRGB conversion, and sharp's raw input takes at most four: keep the colour, and the first extra
 * band as alpha when the header says there is alpha.
 */
function colourAndAlphaOnly(
  data: Buffer,
  info: sharp.OutputInfo,
  hasAlpha: boolean,
): { data: Buffer; info: sharp.OutputInfo } {
  const bands: number = info.channels;
  if (bands <= 4) return { data, info };
  const keep = hasAlpha ? 4 : 3;
  const pixels = info.width * info.height;
  const out = Buffer.alloc(pixels * keep);
  for (let pixel = 0; pixel < pixels; pixel++) data.copy(out, pixel * keep, pixel * bands, pixel * bands + keep);
  return { data: out, info: { ...info, channels: keep, size: out.length } };
}

/**
 * Only the oriented RGB raster (at most `maxSide` px), for callers that need pixels but no record, such as the
 * inference Lambda reading a thumbnail the processor already made. Same checks and limits as analyzeImage;
 * an unacceptable input throws ImageRejectedError.
 */
export async function decodeRaster(bytes: Buffer, maxSide = 1024, options: AnalyzeOptions = {}): Promise<Raster> {
  const { data, info } = await decodeOriented(bytes, AnalyzeOptionsSchema.parse(options), maxSide);
  return toRgbRaster(data, info);
}

function checkBytes(bytes: Buffer, options: ResolvedAnalyzeOptions) {
  if (bytes.length === 0) throw new ImageRejectedError('EMPTY_FILE', 'the file is empty (0 bytes)');
  // A camera RAW may have a limit of its own; every other format is held to maxBytes, whatever the RAW's.
  const rawLimit = options.maxRawBytes ?? options.maxBytes;
  const tooLarge = (limit: number, format?: ImageFormat) =>
    new ImageRejectedError('FILE_TOO_LARGE', `${bytes.length} bytes, over the ${limit} byte limit`, format);
  const largest = largestImageBytes(options);
  if (bytes.length > largest) throw tooLarge(largest);
  const format = sniffFormat(bytes);
  if (!format) {
    throw new ImageRejectedError(
      'UNSUPPORTED_FORMAT',
      'not a JPEG, PNG, WebP, GIF, AVIF, TIFF, HEIC, JPEG XL or camera RAW image (judged by its bytes, not its name or type)',
    );
  }
  const limit = (RAW_FORMATS as readonly string[]).includes(format) ? rawLimit : options.maxBytes;
  if (bytes.length > limit) throw tooLarge(limit, format);
  if (format === 'svg' && !options.allowSvg) {
    throw new ImageRejectedError('UNSUPPORTED_FORMAT', 'SVG is refused: it can reference external resources', 'svg');
  }
  return format;
}

export async function toRgbRaster(data: Buffer, info: sharp.OutputInfo): Promise<Raster> {
  const rgb =
    info.channels === 3
      ? data
      : await sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } })
          .flatten({ background: '#ffffff' })
          .removeAlpha()
          .raw()
          .toBuffer();
  return { data: rgb, width: info.width, height: info.height, channels: 3 };
}
