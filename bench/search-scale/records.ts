/**
 * The final records of synthetic images, as the processor writes them: a PROCESSED image's analysis, vision and
 * thumbnails from its content (content.ts), a REJECTED image's reason, and the client's filename.
 */
import { ANALYSIS_VERSION } from '../../lambdas/core/record';
import type { ImageItem } from '../../lambdas/store/image-item';
import { thumbnailKey } from '../../lambdas/store/keys';
import type { Rng } from '../../test/fuzz/prng';
import type { Content, Picture } from './content';
import { USER_LABELS } from './vocabulary';

/** Images with a label a person added (a label correction). */
export const CORRECTED_SHARE = 0.005;
export const THUMBNAIL_SIZES = [128, 512, 1024];

export function filenameOf(picture: Picture, createdAt: string, rng: Rng): string {
  if (picture === 'screen')
    return `Screenshot ${createdAt.slice(0, 10)} at ${createdAt.slice(11, 19).replaceAll(':', '.')}.png`;
  if (picture === 'page') return `Scan ${rng.between(1, 999)}.jpg`;
  return `IMG_${String(rng.int(10_000)).padStart(4, '0')}.JPG`;
}

export function processedItem(base: ImageItem, content: Content, duplicateOf: string | undefined, rng: Rng): ImageItem {
  const orientation =
    content.width > content.height ? 'landscape' : content.width < content.height ? 'portrait' : 'square';
  const dominant = content.palette[0] as (typeof content.palette)[number];
  const thumbnails = Object.fromEntries(
    THUMBNAIL_SIZES.map((size) => [String(size), thumbnailKey(base.imageId, size)]),
  );
  const scale = (size: number) => Math.min(1, size / Math.max(content.width, content.height));
  const fullText = content.lines.map((line) => line.text).join('\n');
  return {
    ...base,
    size: content.bytes,
    sha256: content.sha256,
    duplicateOf,
    thumbnails,
    analysis: {
      status: 'PROCESSED',
      size: content.bytes,
      analysisVersion: ANALYSIS_VERSION,
      durationMs: 90 + rng.int(120),
      metadata: {
        format: content.format,
        width: content.width,
        height: content.height,
        aspectRatio: Math.round((content.width / content.height) * 1000) / 1000,
        orientation,
        hasAlpha: content.format === 'png',
        colorSpace: 'srgb',
        bitDepth: 8,
        isAnimated: false,
        pages: 1,
        exif: content.exif,
      },
      hashes: { sha256: content.sha256, phash: content.phash },
      palette: content.palette,
      dominantColor: { ...dominant.rgb, hex: dominant.hex },
      brightness: {
        value: content.brightness,
        class: content.brightness < 70 ? 'dark' : content.brightness > 185 ? 'bright' : 'normal',
      },
      thumbnails: THUMBNAIL_SIZES.map((size) => ({
        size,
        width: Math.max(1, Math.round(content.width * scale(size))),
        height: Math.max(1, Math.round(content.height * scale(size))),
        bytes: Math.round(size * size * 0.08) + rng.int(2000),
        format: 'webp' as const,
      })),
    },
    vision: {
      labels: content.labels,
      objects: content.objects,
      text: { fullText, lines: content.lines },
      faces: content.faces,
      moderation: {
        checked: true,
        flagged: content.flagged,
        threshold: 0.8,
        labels: content.flagged ? [{ name: 'Suggestive', confidence: 0.85 }] : [],
      },
      inference: {
        provider: 'rekognition',
        models: { DetectLabels: '3.0', DetectText: '3.0', DetectFaces: 'unknown', DetectModerationLabels: '7.0' },
        durationMs: 400 + rng.int(900),
        costUsd: 0.004,
      },
    },
    labelCorrections: rng.chance(CORRECTED_SHARE)
      ? { added: [{ name: rng.pick(USER_LABELS), at: base.updatedAt, by: base.owner }], removed: [] }
      : undefined,
  };
}

export function rejectedItem(base: ImageItem, content: Content, rng: Rng): ImageItem {
  const code = rng.pick(['CORRUPT_IMAGE', 'CORRUPT_IMAGE', 'UNSUPPORTED_FORMAT', 'PIXEL_LIMIT_EXCEEDED'] as const);
  const rejection = { code, message: `synthetic ${code.toLowerCase().replaceAll('_', ' ')}` };
  return {
    ...base,
    size: content.bytes,
    sha256: content.sha256,
    rejection,
    analysis: {
      status: 'REJECTED',
      size: content.bytes,
      analysisVersion: ANALYSIS_VERSION,
      durationMs: 3 + rng.int(20),
      rejection,
      hashes: { sha256: content.sha256 },
    },
  };
}
