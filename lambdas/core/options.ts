import { z } from 'zod';
import { CropSchema } from './crop';

/**
 * The limits and sizes the analysis assumes when it is not told: the deployment settings take these as their
 * defaults (lambdas/settings/uploads.ts), so the CLI, the runner and a deployment with no context agree.
 */
export const ANALYSIS_DEFAULTS = {
  maxPixels: 100_000_000,
  maxBytes: 25 * 1024 * 1024,
  thumbnailSizes: [128, 512, 1024],
} as const;

/** Clockwise quarter turns of a photo after its EXIF orientation: what its owner may ask (`PUT /images/{id}/rotation`). */
export const ROTATIONS = [0, 90, 180, 270] as const;
export type Rotation = (typeof ROTATIONS)[number];
export const RotationSchema = z.literal(ROTATIONS);

/** Analysis options with their defaults; parsed once so every caller (Lambda, CLI, runner) agrees. */
export const AnalyzeOptionsSchema = z.object({
  /** Refuse, from the header, images with more pixels than this (per frame). Default: the `maxPixels` setting. */
  maxPixels: z.number().int().positive().default(ANALYSIS_DEFAULTS.maxPixels),
  /**
   * Refuse, from the header, images with a side longer than this. libvips works in strips of whole rows, so memory
   * grows with width, not only with pixels: a 99,000,000 x 1 PNG (289 KB, under maxPixels) peaks at 2.4 GB.
   * Default 65,535, the largest side a JPEG or GIF can have; at 100 MP that peaks near 270 MB.
   */
  maxSide: z.number().int().positive().default(65_535),
  /** Refuse animated images with more frames than this. Default 1000. */
  maxFrames: z.number().int().positive().default(1000),
  /** Refuse inputs larger than this many bytes. Default: the `maxUploadBytes` setting. */
  maxBytes: z.number().int().positive().default(ANALYSIS_DEFAULTS.maxBytes),
  /**
   * A camera RAW's own limit (the `maxRawUploadBytes` setting): RAW files are 20-80 MB, and every other format is
   * still held to `maxBytes`. Default: `maxBytes`.
   */
  maxRawBytes: z.number().int().positive().optional(),
  /** Longest side of each WebP thumbnail; never upscaled. Default: the `thumbnailSizes` setting. */
  thumbnailSizes: z
    .array(z.number().int().min(16).max(4096))
    .min(1)
    .max(8)
    .default(() => [...ANALYSIS_DEFAULTS.thumbnailSizes]),
  /** WebP quality (1-100) and effort (0-6): effort 2 encodes about twice as fast for slightly larger files. */
  webpQuality: z.number().int().min(1).max(100).default(80),
  webpEffort: z.number().int().min(0).max(6).default(4),
  /** Number of palette colours (1-6). */
  paletteSize: z.number().int().min(1).max(6).default(6),
  /** Put GPS coordinates from EXIF in the record. Default false: a location is personal data. */
  includeGps: z.boolean().default(false),
  /** Rasterise SVG. Default false: SVG can reference external resources. */
  allowSvg: z.boolean().default(false),
  /**
   * Turn the picture clockwise by this much after its EXIF orientation (its owner's rotation): the thumbnails, the
   * raster, the pixels and the size in the record are the turned picture's. Default 0.
   */
  rotation: RotationSchema.default(0),
  /**
   * Keep only this part of the picture (its owner's crop), in fractions of it as its EXIF orientation shows it,
   * before `rotation` (core/crop.ts): the thumbnails, the raster, the pixels and the size in the record are the
   * cropped picture's. Default none: the whole picture.
   */
  crop: CropSchema.optional(),
  /** Also return the oriented RGB raster the thumbnails came from (for inference). Default false. */
  keepRaster: z.boolean().default(false),
});

export type AnalyzeOptions = z.input<typeof AnalyzeOptionsSchema>;
export type ResolvedAnalyzeOptions = z.output<typeof AnalyzeOptionsSchema>;

/** The most bytes any image may be: a camera RAW's own limit where it is the larger, else `maxBytes`. */
export function largestImageBytes({ maxBytes, maxRawBytes = maxBytes }: { maxBytes: number; maxRawBytes?: number }) {
  return Math.max(maxBytes, maxRawBytes);
}
