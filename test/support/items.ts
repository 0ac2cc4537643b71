import type { ImageItem } from '../../lambdas/shared/image-item';

/** Image ids in creation order (ULIDs sort by time). */
export const IDS = {
  older: '01JABCDEFGHJKMNPQRSTVWXYZ0',
  newer: '01JABCDEFGHJKMNPQRSTVWXYZ9',
  unknown: '01JZZZZZZZZZZZZZZZZZZZZZZZ',
} as const;

/** A stored item as DynamoDB returns it, PROCESSED with two thumbnails unless overridden. */
export function imageItem(overrides: Partial<ImageItem> = {}): ImageItem {
  const imageId = overrides.imageId ?? IDS.newer;
  return {
    imageId,
    entity: 'IMAGE',
    status: 'PROCESSED',
    createdAt: '2025-01-02T03:04:05.000Z',
    updatedAt: '2025-01-02T03:04:09.000Z',
    bucket: 'images-bucket',
    key: `uploads/${imageId}.jpg`,
    contentType: 'image/jpeg',
    filename: 'pier.jpg',
    etag: '"0123456789abcdef"',
    sha256: 'a'.repeat(64),
    thumbnails: { '128': `thumbnails/${imageId}/128.webp`, '512': `thumbnails/${imageId}/512.webp` },
    eventPending: false,
    ...overrides,
  };
}

/** A PENDING item: an upload URL was handed out, nothing arrived. */
export function pendingItem(overrides: Partial<ImageItem> = {}): ImageItem {
  const { thumbnails: _thumbnails, etag: _etag, sha256: _sha256, ...base } = imageItem(overrides);
  return { ...base, status: 'PENDING', expiresAt: 1_900_000_000, ...overrides };
}
