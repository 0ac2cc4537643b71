import { z } from 'zod';
import { ANALYSIS_DEFAULTS } from '../core/options';
import type { FORMAT_MEDIA_TYPES, RawFormat } from '../core/vocabulary';
import { int, list, urlLifetime } from './values';

/** Camera RAW content types (the media types ExifTool and shared-mime-info give them) and their extensions. */
const RAW_CONTENT_TYPE_EXTENSIONS = {
  'image/x-adobe-dng': 'dng',
  'image/x-canon-cr2': 'cr2',
  'image/x-canon-cr3': 'cr3',
  'image/x-nikon-nef': 'nef',
  'image/x-sony-arw': 'arw',
  'image/x-fuji-raf': 'raf',
  'image/x-olympus-orf': 'orf',
} as const satisfies Record<(typeof FORMAT_MEDIA_TYPES)[RawFormat], RawFormat>;

/** Content types an upload may declare; each maps to the extension its S3 key gets. */
export const CONTENT_TYPE_EXTENSIONS = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'image/gif': 'gif',
  'image/avif': 'avif',
  'image/tiff': 'tiff',
  'image/heic': 'heic',
  'image/heif': 'heif',
  'image/jxl': 'jxl',
  ...RAW_CONTENT_TYPE_EXTENSIONS,
  // Only as a Live Photo's video, beside its still (lambdas/live): never an image of its own.
  'video/quicktime': 'mov',
} as const;
export type UploadContentType = keyof typeof CONTENT_TYPE_EXTENSIONS;
export const UPLOAD_CONTENT_TYPES = Object.keys(CONTENT_TYPE_EXTENSIONS) as [UploadContentType, ...UploadContentType[]];

/** Whether an upload of this type is a camera RAW, whose size limit is `maxRawUploadBytes`. */
export const isRawContentType = (type: string): boolean => Object.hasOwn(RAW_CONTENT_TYPE_EXTENSIONS, type);

/** The content type of a Live Photo's video, the one type that is no image (lambdas/live). */
export const LIVE_PHOTO_VIDEO = 'video/quicktime';

type Limits = Pick<UploadSettings, 'maxUploadBytes' | 'maxRawUploadBytes'> &
  Partial<Pick<UploadSettings, 'maxLivePhotoVideoBytes'>> & { allowedTypes: readonly string[] };

/**
 * The camera RAW limit in effect: `maxRawUploadBytes` when a RAW type is allowed; else `maxUploadBytes`, so that a
 * deployment taking no RAW neither presigns nor sizes its processor for one.
 */
export function rawUploadBytes(limits: Limits): number {
  return limits.allowedTypes.some(isRawContentType) ? limits.maxRawUploadBytes : limits.maxUploadBytes;
}

/** The most bytes an upload of `type` may have: a RAW's limit, a Live Photo video's, or every other type's. */
export function maxBytesFor(type: string, limits: Limits): number {
  if (type === LIVE_PHOTO_VIDEO) return limits.maxLivePhotoVideoBytes ?? limits.maxUploadBytes;
  return isRawContentType(type) ? rawUploadBytes(limits) : limits.maxUploadBytes;
}

/** The largest upload of any allowed image type: what the processor must be able to decode (a MOV is never decoded). */
export function largestUploadBytes(limits: Limits): number {
  return Math.max(limits.maxUploadBytes, rawUploadBytes(limits));
}

/** What an upload may be, and what the analysis makes of it. */
export const UploadSettingsSchema = z.object({
  /** Longest side of each WebP thumbnail. Default 128, 512, 1024 (the analysis core's). */
  thumbnailSizes: list(int().min(16).max(4096))
    .refine((sizes) => sizes.length >= 1 && sizes.length <= 8, '1 to 8 sizes')
    .default([...ANALYSIS_DEFAULTS.thumbnailSizes]),
  /** Largest upload S3 accepts, in bytes (enforced by the presigned POST policy). Default 25 MiB. */
  maxUploadBytes: int()
    .min(1)
    .max(5 * 1024 ** 3)
    .default(ANALYSIS_DEFAULTS.maxBytes),
  /**
   * Largest camera RAW upload (the `image/x-*` RAW types), in bytes: RAW files are 20-80 MB. Enforced by the presigned
   * POST policy like `maxUploadBytes`; the processor reads up to the larger of the two. Default 150 MiB.
   */
  maxRawUploadBytes: int()
    .min(1)
    .max(5 * 1024 ** 3)
    .default(150 * 1024 ** 2),
  /**
   * Largest Live Photo video (`video/quicktime`) S3 accepts, in bytes: its own limit, as a MOV of a few seconds
   * outweighs its still. Default 50 MiB.
   */
  maxLivePhotoVideoBytes: int()
    .min(1)
    .max(5 * 1024 ** 3)
    .default(50 * 1024 ** 2),
  /** Content types a client may declare. Default: every type the analysis core decodes, and a Live Photo's MOV. */
  allowedTypes: list(z.enum(UPLOAD_CONTENT_TYPES))
    .refine((types) => types.length > 0, 'at least one type')
    // Each once: the list rides in create-upload's environment, and a repeat means nothing.
    .transform((types) => [...new Set(types)])
    .default([...UPLOAD_CONTENT_TYPES]),
  /** Images with more pixels than this are rejected from their header, before decoding. Default 100 MP. */
  maxPixels: int().min(1).default(ANALYSIS_DEFAULTS.maxPixels),
  /** Seconds a presigned upload (POST) stays usable: 1 s to 7 days (SigV4's limit). Default 900. */
  uploadUrlTtlSeconds: urlLifetime().default(900),
  /** Seconds a presigned download (GET) of an original or thumbnail stays usable: 1 s to 7 days. Default 300. */
  downloadUrlTtlSeconds: urlLifetime().default(300),
});
export type UploadSettings = z.output<typeof UploadSettingsSchema>;
