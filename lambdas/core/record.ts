import { z } from 'zod';
import { QualitySchema } from './quality';
import { IMAGE_FORMATS, ORIENTATIONS, RAW_FORMATS } from './vocabulary';

/**
 * Bumped whenever a change to the core changes what a record would say about the same bytes. 1.2.0: the position (the
 * EXIF GPS) and its place, so `backfill --reprocess` takes every photo analysed before places (docs/places.md).
 * 1.3.0: the provenance (Content Credentials, the XMP's digital source type: docs/provenance.md). 1.4.0: what the photo
 * says of itself (`described`: its IPTC and XMP keywords, title, headline and caption). 1.5.0: the milliseconds of the
 * date taken (`metadata.exif.takenAtMs`), by which bursts are stacked (lambdas/stacks). 1.6.0: every photo a camera
 * makes (issue 82): camera RAW kinds (`metadata.raw`, pictures from the embedded preview), the lens and exposure; JPEG
 * XL, the embedded colour profile's name (`metadata.colorProfile`) and an HDR gain map's facts (`metadata.hdr`); a
 * motion photo's video (`metadata.motion`) and a Live Photo's content identifier: docs/formats.md.
 */
export const ANALYSIS_VERSION = '1.6.0';

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
  /**
   * The milliseconds of `takenAt` (EXIF SubSecTimeOriginal, or SubSecTime with the file's DateTime), when the camera
   * wrote them: a burst's frames are told apart by them (lambdas/stacks).
   */
  takenAtMs: z.number().int().min(0).max(999).optional(),
  gps: z.object({ latitude: z.number(), longitude: z.number(), altitude: z.number().optional() }).optional(),
  /** The lens, as the camera names it (EXIF LensModel). */
  lens: z.string().optional(),
  /** How it was exposed: seconds, f-number, ISO speed, focal length in mm (EXIF ExposureTime, FNumber, ISO...). */
  exposure: z
    .object({
      seconds: z.number().positive().optional(),
      fNumber: z.number().positive().optional(),
      iso: z.number().int().positive().optional(),
      focalLengthMm: z.number().positive().optional(),
    })
    .optional(),
});

const SizeSchema = z.object({ width: z.number().int().positive(), height: z.number().int().positive() });

/**
 * A camera RAW's facts: its kind, its sensor's size when the file says it, and the size of the embedded preview its
 * pictures (thumbnails, renditions, the record's width and height) are made from (core/analysis/raw).
 */
export const RawFactsSchema = z.object({
  kind: z.enum(RAW_FORMATS),
  sensor: SizeSchema.optional(),
  preview: SizeSchema,
});

/** The kinds of HDR gain map a JPEG can carry beside its SDR picture (core/analysis/gain-map.ts). */
export const GAIN_MAP_KINDS = ['ultra-hdr', 'iso-21496-1'] as const;

/**
 * An HDR gain map found in the file (docs/formats.md): `ultra-hdr` when the XMP's `hdrgm` namespace describes it
 * (Android's Ultra HDR, Adobe's gain map), `iso-21496-1` when only ISO 21496-1's APP2 does. The picture analysed and
 * served is the SDR one; the gain map stays in the stored original.
 */
export const HdrSchema = z.object({
  kind: z.enum(GAIN_MAP_KINDS),
  /** The gain map image's size, from its own JPEG header. */
  gainMap: z.object({ width: z.number().int().positive(), height: z.number().int().positive() }).optional(),
  /** The HDR picture's headroom over the SDR one, in stops (log2), as the XMP's `hdrgm:HDRCapacityMax` says. */
  headroom: z.number().min(0).max(16).optional(),
});

/**
 * The video that moves a still (docs/formats.md#motion-photos-and-live-photos): a motion photo's MP4 inside the
 * original after the still (`offset`, `bytes`: a client reads it from the original with a Range request), or a Live
 * Photo's MOV uploaded beside it (`key`, `imageId`: the MOV's object and upload). Never decoded as a picture.
 */
export const MotionSchema = z.object({
  kind: z.enum(['motion-photo', 'live-photo']),
  format: z.enum(['mp4', 'mov']),
  /** The video's length in bytes. */
  bytes: z.number().int().positive(),
  /** From the video's `mvhd` box, when it has one. */
  durationSeconds: z.number().min(0).optional(),
  /** A motion photo's: where the video starts in the original. */
  offset: z.number().int().min(0).optional(),
  /** A Live Photo's: the MOV's object key and its upload's id. */
  key: z.string().optional(),
  imageId: z.string().optional(),
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
  /** A camera RAW's kind and sizes; its `width` and `height` above are its preview's. */
  raw: RawFactsSchema.optional(),
  /**
   * The name of the embedded ICC profile (its `desc` tag: 'Display P3', 'sRGB IEC61966-2.1'), when the file has one.
   * Thumbnails and renditions are converted from it to sRGB.
   */
  colorProfile: z.string().min(1).max(64).optional(),
  /** An HDR gain map, when the file carries one. */
  hdr: HdrSchema.optional(),
  /** The video that moves it, when it is a motion photo (or a Live Photo paired with its MOV). */
  motion: MotionSchema.optional(),
  /** Apple's content identifier (MakerNote tag 17): a Live Photo's still and its MOV both carry it. */
  contentIdentifier: z.string().min(1).max(128).optional(),
});

/**
 * The most a record keeps of what a photo says of itself (`described`): the file is the uploader's to write, and every
 * keyword is a search posting. A keyword is at most what IPTC allows one (64 bytes), a caption what IPTC allows its
 * Caption-Abstract (2,000); longer ones are cut, further keywords left out.
 */
export const DESCRIBED_LIMITS = { keywords: 40, keywordChars: 64, titleChars: 256, captionChars: 2000 } as const;

/**
 * What the photo says of itself, as its IPTC-IIM and XMP metadata write it (core/analysis/described.ts): its keywords
 * (`dc:subject`, the last level of each Lightroom `lr:hierarchicalSubject`, IPTC Keywords), title (`dc:title`, IPTC Object
 * Name), headline (`photoshop:Headline`, IPTC Headline) and caption (`dc:description`, IPTC Caption-Abstract). Kept
 * in the analysis, apart from its owner's tags, which never change it.
 */
export const DescribedSchema = z.object({
  /** As written, each once (case aside), XMP's first. */
  keywords: z
    .array(z.string().min(1).max(DESCRIBED_LIMITS.keywordChars))
    .min(1)
    .max(DESCRIBED_LIMITS.keywords)
    .optional(),
  title: z.string().min(1).max(DESCRIBED_LIMITS.titleChars).optional(),
  headline: z.string().min(1).max(DESCRIBED_LIMITS.titleChars).optional(),
  caption: z.string().min(1).max(DESCRIBED_LIMITS.captionChars).optional(),
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
  /** A camera RAW with no embedded preview we can read, or only one too small to make its pictures from. */
  'RAW_NO_PREVIEW',
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
  /** What the photo says of itself, when it says anything; absent from records of analysis versions before 1.4.0. */
  described: DescribedSchema.optional(),
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
export type RawFacts = z.infer<typeof RawFactsSchema>;
export type Hdr = z.infer<typeof HdrSchema>;
export type Motion = z.infer<typeof MotionSchema>;
export type Described = z.infer<typeof DescribedSchema>;
export type PaletteEntry = z.infer<typeof PaletteEntrySchema>;
export type ThumbnailEntry = z.infer<typeof ThumbnailEntrySchema>;
