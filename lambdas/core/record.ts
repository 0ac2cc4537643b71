import { z } from 'zod';
import { QualitySchema } from './quality';
import { IMAGE_FORMATS, ORIENTATIONS } from './vocabulary';

/**
 * Bumped whenever a change to the core changes what a record would say about the same bytes. 1.2.0: the position (the
 * EXIF GPS) and its place, so `backfill --reprocess` takes every photo analysed before places (docs/places.md).
 * 1.3.0: the provenance (Content Credentials, the XMP's digital source type: docs/provenance.md).
 */
export const ANALYSIS_VERSION = '1.3.0';

export const ImageFormatSchema = z.enum(IMAGE_FORMATS);
export type ImageFormat = z.infer<typeof ImageFormatSchema>;

const hex = z.string().regex(/^#[0-9a-f]{6}$/);
const channel = z.number().int().min(0).max(255);
export const RgbSchema = z.object({ r: channel, g: channel, b: channel });

export const ExifSchema = z.object({
  make: z.string().optional(),
  model: z.string().optional(),
  /** Camera local time as written by the camera (EXIF has no zone unless an offset tag is present). */
  takenAt: z.string().optional(),
  gps: z.object({ latitude: z.number(), longitude: z.number(), altitude: z.number().optional() }).optional(),
});

export const MetadataSchema = z.object({
  format: ImageFormatSchema,
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  aspectRatio: z.number().positive(),
  orientation: z.enum(ORIENTATIONS),
  hasAlpha: z.boolean(),
  colorSpace: z.string(),
  bitDepth: z.number().int().positive(),
  isAnimated: z.boolean(),
  pages: z.number().int().positive(),
  exif: ExifSchema.optional(),
});

export const PaletteEntrySchema = z.object({ hex, rgb: RgbSchema, proportion: z.number().min(0).max(1) });

export const ThumbnailEntrySchema = z.object({
  /** The requested longest side; width/height are what was produced (never upscaled). */
  size: z.number().int().positive(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  bytes: z.number().int().positive(),
  format: z.literal('webp'),
});

export const RejectionCodeSchema = z.enum([
  'EMPTY_FILE',
  'FILE_TOO_LARGE',
  'UNSUPPORTED_FORMAT',
  'PIXEL_LIMIT_EXCEEDED',
  'FRAME_LIMIT_EXCEEDED',
  'CORRUPT_IMAGE',
  /** Its owner's moderation policy rejects it (lambdas/policy): only the pipeline gives it, after vision. */
  'MODERATION_POLICY',
]);
export type RejectionCode = z.infer<typeof RejectionCodeSchema>;

const common = {
  /** Size of the original bytes. */
  size: z.number().int().min(0),
  analysisVersion: z.string(),
  durationMs: z.number().min(0),
};

export const ProcessedRecordSchema = z.object({
  status: z.literal('PROCESSED'),
  ...common,
  metadata: MetadataSchema,
  hashes: z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/), phash: z.string().regex(/^[0-9a-f]{16}$/) }),
  palette: z.array(PaletteEntrySchema).min(1).max(6),
  dominantColor: RgbSchema.extend({ hex }),
  brightness: z.object({ value: z.number().min(0).max(255), class: z.enum(['dark', 'normal', 'bright']) }),
  /** Absent from records of analysis versions before 1.1.0 (re-analyse with `image-intel backfill --reprocess`). */
  quality: QualitySchema.optional(),
  thumbnails: z.array(ThumbnailEntrySchema),
});

export const RejectedRecordSchema = z.object({
  status: z.literal('REJECTED'),
  ...common,
  rejection: z.object({ code: RejectionCodeSchema, message: z.string() }),
  /** What the bytes really are, when the magic bytes told us, whatever the name or Content-Type claimed. */
  detectedFormat: ImageFormatSchema.optional(),
  hashes: z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/) }),
});

/** Our own fault, not the input's: an unexpected error inside the analysis. */
export const FailedRecordSchema = z.object({
  status: z.literal('FAILED'),
  ...common,
  error: z.object({ code: z.string(), message: z.string() }),
});

export const AnalysisRecordSchema = z.discriminatedUnion('status', [
  ProcessedRecordSchema,
  RejectedRecordSchema,
  FailedRecordSchema,
]);

export type AnalysisRecord = z.infer<typeof AnalysisRecordSchema>;
export type ProcessedRecord = z.infer<typeof ProcessedRecordSchema>;
export type RejectedRecord = z.infer<typeof RejectedRecordSchema>;
export type FailedRecord = z.infer<typeof FailedRecordSchema>;
export type ImageMetadata = z.infer<typeof MetadataSchema>;
export type Exif = z.infer<typeof ExifSchema>;
export type PaletteEntry = z.infer<typeof PaletteEntrySchema>;
export type ThumbnailEntry = z.infer<typeof ThumbnailEntrySchema>;
