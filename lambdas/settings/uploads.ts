import { z } from 'zod';
import { ANALYSIS_DEFAULTS } from '../core/options';
import { int, list, urlLifetime } from './values';

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
  // Only as a Live Photo's video, beside its still (lambdas/live): never an image of its own.
  'video/quicktime': 'mov',
} as const;
export type UploadContentType = keyof typeof CONTENT_TYPE_EXTENSIONS;
export const UPLOAD_CONTENT_TYPES = Object.keys(CONTENT_TYPE_EXTENSIONS) as [UploadContentType, ...UploadContentType[]];

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
