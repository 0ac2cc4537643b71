import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import sharp, { type Sharp } from 'sharp';
import { cropPixels, isFullFrame, turnCrop } from '../crop';
import { ImageRejectedError } from '../errors';
import { type AnalyzeOptions, AnalyzeOptionsSchema, type ResolvedAnalyzeOptions } from '../options';
import { measureQuality, QUALITY_RASTER_SIDE } from '../quality';
import {
  ANALYSIS_VERSION,
  type AnalysisRecord,
  type ImageMetadata,
  type ProcessedRecord,
  type RejectedRecord,
  type ThumbnailEntry,
} from '../record';
import { colourFacts } from './colour';
import { type Header, messageOf } from './decode';
import { readDescribed } from './described';
import { readExif } from './exif';
import { gainMapOf } from './gain-map';
import { iccProfileName } from './icc';
import { appleContentIdentifier, findMotionPhoto, type MotionPhoto } from './motion';
import { PHASH_RASTER_SIZE, perceptualHash } from './phash';
import { decodeOriented, type Pixels, type Raster, toRgbRaster } from './raster';

/** A thumbnail as written to storage: its record entry plus the encoded WebP bytes. */
export interface Thumbnail extends ThumbnailEntry {
  data: Buffer;
}

/** The core's options, and what to keep of the decode besides the record and the thumbnails. */
export interface AnalyzeImageOptions extends AnalyzeOptions {
  /** Also return `pixels` (renditions made in the same decode as the thumbnails). Default false. */
  keepPixels?: boolean;
  /** Measure quality. Default true; false only for `npm run bench:quality`'s baseline, in the same run. */
  measureQuality?: boolean;
}

export interface AnalysisResult {
  record: AnalysisRecord;
  /** Empty unless the record is PROCESSED. */
  thumbnails: Thumbnail[];
  raster?: Raster;
  /** With `keepPixels`, when the record is PROCESSED. */
  pixels?: Pixels;
  /**
   * When the record is PROCESSED: whether the file's EXIF names an orientation (`Header.orientationTagged`). Not in
   * the record: it is what vision needs to know (lambdas/vision/quarter-turns.ts), not a fact worth storing.
   */
  orientationTagged?: boolean;
  /** What the file claimed that was not so and did not change the outcome (a motion photo's video not found). */
  notes?: string[];
}

/** Side of the RGBA raster palette and brightness are computed on. */
const COLOUR_RASTER_SIZE = 64;

/**
 * Everything the pipeline knows about one image, from its bytes alone.
 *
 * 1. Refuse what is empty, too big or not an image we accept, from the magic bytes (never the name).
 * 2. Read the header; refuse pixel or frame bombs before decoding a pixel.
 * 3. Decode once: auto-orient and shrink (JPEG shrink-on-load) straight to the largest thumbnail size; then turn it
 *    by its owner's `rotation`, if any, and cut it to its owner's `crop`, if any (the size in the record is the
 *    part kept).
 * 4. From that one raster, in parallel: encode each WebP thumbnail, and derive the small rasters for the
 *    perceptual hash, palette and brightness, and quality. Hand the raster back if asked (`keepRaster`, `keepPixels`).
 * 5. From the header: the EXIF's camera, date and position, and what the XMP and IPTC say of the photo (`described`:
 *    keywords, title, headline, caption).
 * Before 2: a motion photo's video (motion.ts) is found and recorded (`metadata.motion`), and only the still before
 * it is decoded.
 *
 * Never throws: an unacceptable input is a REJECTED record, an unexpected error a FAILED one.
 */
export async function analyzeImage(bytes: Buffer, options: AnalyzeImageOptions = {}): Promise<AnalysisResult> {
  const started = performance.now();
  const { keepPixels = false, measureQuality: withQuality = true, ...core } = options;
  const resolved = AnalyzeOptionsSchema.parse(core);
  // Hashed while libvips decodes on the thread pool (see analyzeAccepted), or here if it never gets that far.
  let digest: string | undefined;
  const sha256 = (): string => {
    digest ??= createHash('sha256').update(bytes).digest('hex');
    return digest;
  };
  const common = () => ({
    size: bytes.length,
    analysisVersion: ANALYSIS_VERSION,
    durationMs: Math.round((performance.now() - started) * 10) / 10,
  });
  try {
    const processed = await analyzeAccepted(bytes, resolved, sha256, withQuality);
    return {
      record: {
        status: 'PROCESSED',
        ...common(),
        ...processed.fields,
        hashes: { sha256: sha256(), phash: processed.phash },
      },
      thumbnails: processed.thumbnails,
      raster: processed.raster,
      ...(keepPixels && { pixels: processed.pixels }),
      orientationTagged: processed.orientationTagged,
      ...(processed.note !== undefined && { notes: [processed.note] }),
    };
  } catch (error) {
    if (error instanceof ImageRejectedError) {
      const { code, message, detectedFormat } = error;
      const record: RejectedRecord = {
        status: 'REJECTED',
        ...common(),
        rejection: { code, message },
        hashes: { sha256: sha256() },
      };
      if (detectedFormat) record.detectedFormat = detectedFormat;
      return { record, thumbnails: [] };
    }
    return {
      record: { status: 'FAILED', ...common(), error: { code: 'ANALYSIS_FAILED', message: messageOf(error) } },
      thumbnails: [],
    };
  }
}

type ProcessedFields = Pick<
  ProcessedRecord,
  'metadata' | 'palette' | 'dominantColor' | 'brightness' | 'quality' | 'described' | 'thumbnails'
>;

async function analyzeAccepted(
  bytes: Buffer,
  options: ResolvedAnalyzeOptions,
  whileDecoding: () => void,
  withQuality: boolean,
): Promise<{
  fields: ProcessedFields;
  phash: string;
  thumbnails: Thumbnail[];
  raster?: Raster;
  pixels: Pixels;
  orientationTagged: boolean;
  note?: string;
}> {
  // A file over the byte limit is refused whole (decodeOriented): its still is not cut out of it first.
  const motion: MotionPhoto = bytes.length <= options.maxBytes ? findMotionPhoto(bytes) : {};
  const still = motion.stillEnd === undefined ? bytes : bytes.subarray(0, motion.stillEnd);
  const { header, data, info, uncut } = await decodeOriented(
    still,
    options,
    Math.max(...options.thumbnailSizes),
    whileDecoding,
  );
  const raw = { raw: { width: info.width, height: info.height, channels: info.channels } } as const;
  const size = keptSize(orientedSize(header, uncut, options.rotation), options);
  const fromRaster = (): Sharp => sharp(data, raw);

  // Each branch is an async function, so a synchronous throw while building one pipeline is a rejection that
  // Promise.all sees, never a sibling's promise left rejected with no one listening (which ends the process).
  const [thumbnails, grey, rgba, quality] = await Promise.all([
    encodeThumbnails(fromRaster, info, options),
    (async () =>
      fromRaster()
        .flatten({ background: '#ffffff' })
        .resize(PHASH_RASTER_SIZE, PHASH_RASTER_SIZE, { fit: 'fill' })
        .greyscale()
        .raw()
        .toBuffer())(),
    (async () =>
      fromRaster().resize(COLOUR_RASTER_SIZE, COLOUR_RASTER_SIZE, { fit: 'fill' }).ensureAlpha().raw().toBuffer())(),
    // The measuring is JavaScript on this thread: it runs while libvips encodes the thumbnails on its own.
    withQuality
      ? (async () => {
          const raster = await qualityRaster(fromRaster, data, info, size);
          return measureQuality(raster.data, raster.width, raster.height);
        })()
      : undefined,
  ]);

  const described = readDescribed(header);
  const fields: ProcessedFields = {
    metadata: describe(header, size, options, still, motion),
    ...colourFacts(rgba, options.paletteSize),
    ...(quality && { quality }),
    ...(described && { described }),
    thumbnails: thumbnails.map(({ data: _data, ...entry }) => entry),
  };
  return {
    fields,
    phash: perceptualHash(grey),
    thumbnails,
    raster: options.keepRaster ? await toRgbRaster(data, info) : undefined,
    pixels: { data, width: info.width, height: info.height, channels: info.channels },
    orientationTagged: header.orientationTagged,
    ...(motion.note !== undefined && { note: motion.note }),
  };
}

/**
 * The RGB image quality is measured on: the decoded raster itself when it already is (a photo of 1024 px or more,
 * with no alpha, at the default thumbnail sizes), else made from it. Enlarged when the deployment's largest
 * thumbnail is smaller, never past the image's own size: a 640 px product picture is judged at 640 px, as it
 * looks, not as soft as an enlargement would make it.
 */
async function qualityRaster(
  fromRaster: () => Sharp,
  data: Buffer,
  info: sharp.OutputInfo,
  original: { width: number; height: number },
): Promise<{ data: Buffer; width: number; height: number }> {
  const side = Math.min(QUALITY_RASTER_SIDE, Math.max(original.width, original.height));
  if (info.channels === 3 && Math.max(info.width, info.height) === side) {
    return { data, width: info.width, height: info.height };
  }
  const made = await fromRaster()
    .flatten({ background: '#ffffff' })
    .resize(side, side, { fit: 'inside' })
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data: made.data, width: made.info.width, height: made.info.height };
}

/**
 * One WebP per distinct output size, largest first: sizes at or above the raster's longest side all map to the
 * raster itself (never upscaled), so a small image is encoded once however many sizes ask for it.
 */
async function encodeThumbnails(
  fromRaster: () => Sharp,
  source: sharp.OutputInfo,
  options: ResolvedAnalyzeOptions,
): Promise<Thumbnail[]> {
  const longest = Math.max(source.width, source.height);
  const sizes = [...new Set(options.thumbnailSizes)].sort((a, b) => b - a);
  const encodings = new Map<number, Promise<{ data: Buffer; info: sharp.OutputInfo }>>();
  // Async for the same reason as in analyzeAccepted: every encoding started is awaited below, even if one throws.
  const encode = async (target: number) => {
    const pipeline =
      target < longest ? fromRaster().resize({ width: target, height: target, fit: 'inside' }) : fromRaster();
    return pipeline
      .webp({ quality: options.webpQuality, effort: options.webpEffort })
      .toBuffer({ resolveWithObject: true });
  };
  for (const size of sizes) {
    const target = Math.min(size, longest);
    if (!encodings.has(target)) encodings.set(target, encode(target));
  }
  return Promise.all(
    sizes.map(async (size) => {
      const { data, info } = await (encodings.get(Math.min(size, longest)) as Promise<{
        data: Buffer;
        info: sharp.OutputInfo;
      }>);
      return { size, width: info.width, height: info.height, bytes: data.length, format: 'webp' as const, data };
    }),
  );
}

/**
 * Full-resolution oriented size: the header's size, swapped when EXIF orientation turns the picture a quarter, and
 * again when its owner's rotation does. `decoded` is the raster's size before any crop.
 */
function orientedSize(
  header: Header,
  decoded: { width: number; height: number },
  rotation: ResolvedAnalyzeOptions['rotation'],
): { width: number; height: number } {
  const turned = (header.orientation >= 5 && header.orientation <= 8) !== (rotation === 90 || rotation === 270);
  const width = turned ? header.height : header.width;
  const height = turned ? header.width : header.height;
  // The raster's own shape wins if the two disagree (HEIF transforms the header does not report).
  const rasterLandscape = decoded.width >= decoded.height;
  return rasterLandscape === width >= height || width === height ? { width, height } : { width: height, height: width };
}

/** The full-resolution size of the part its owner keeps (`crop`, of the picture before the turn): core/crop.ts. */
function keptSize(
  upright: { width: number; height: number },
  options: ResolvedAnalyzeOptions,
): { width: number; height: number } {
  if (isFullFrame(options.crop) || !options.crop) return upright;
  const { width, height } = cropPixels(turnCrop(options.crop, options.rotation), upright.width, upright.height);
  return { width, height };
}

function describe(
  header: Header,
  { width, height }: { width: number; height: number },
  options: ResolvedAnalyzeOptions,
  still: Buffer,
  { motion }: MotionPhoto,
): ImageMetadata {
  const metadata: ImageMetadata = {
    format: header.format,
    width,
    height,
    aspectRatio: aspectRatio(width, height),
    orientation: width === height ? 'square' : width > height ? 'landscape' : 'portrait',
    hasAlpha: header.hasAlpha,
    colorSpace: header.colorSpace,
    bitDepth: header.bitDepth,
    isAnimated: header.pages > 1,
    pages: header.pages,
  };
  const exif = readExif(header.exif, options.includeGps);
  if (exif) metadata.exif = exif;
  if (header.raw) metadata.raw = header.raw;
  const colorProfile = iccProfileName(header.icc);
  if (colorProfile) metadata.colorProfile = colorProfile;
  const hdr = header.format === 'jpeg' ? gainMapOf(still) : undefined;
  if (hdr) metadata.hdr = hdr;
  if (motion) metadata.motion = motion;
  const contentIdentifier = appleContentIdentifier(header.exif);
  if (contentIdentifier) metadata.contentIdentifier = contentIdentifier;
  return metadata;
}

/** Four decimals; a sliver taller than 20,000:1 would round to 0, which is no ratio, so it keeps 4 significant digits. */
function aspectRatio(width: number, height: number): number {
  const rounded = Math.round((width / height) * 10000) / 10000;
  return rounded > 0 ? rounded : Number((width / height).toPrecision(4));
}
