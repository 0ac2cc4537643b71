import type { ImageItem } from '../../lambdas/store/image-item';
import { TEST_USER } from './identities';

/** Image ids in creation order (ULIDs sort by time). */
export const IDS = {
  older: '01JABCDEFGHJKMNPQRSTVWXYZ0',
  newer: '01JABCDEFGHJKMNPQRSTVWXYZ9',
  unknown: '01JZZZZZZZZZZZZZZZZZZZZZZZ',
} as const;

/** A stored item as DynamoDB returns it, PROCESSED with two thumbnails, owned by TEST_USER, unless overridden. */
export function imageItem(overrides: Partial<ImageItem> = {}): ImageItem {
  const imageId = overrides.imageId ?? IDS.newer;
  return {
    imageId,
    entity: 'IMAGE',
    status: 'PROCESSED',
    owner: TEST_USER.sub,
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

type ProcessedAnalysis = Extract<NonNullable<ImageItem['analysis']>, { status: 'PROCESSED' }>;

/** A PROCESSED analysis of an image of this size: a JPEG (a GIF of 4 frames when animated) unless `format` says. */
export function processedAnalysis(size: {
  width: number;
  height: number;
  animated?: boolean;
  format?: ProcessedAnalysis['metadata']['format'];
}): ProcessedAnalysis {
  const { width, height, animated = false } = size;
  return {
    status: 'PROCESSED',
    size: 1000,
    analysisVersion: '1.0.0',
    durationMs: 1,
    metadata: {
      format: size.format ?? (animated ? 'gif' : 'jpeg'),
      width,
      height,
      aspectRatio: width / height,
      orientation: width > height ? 'landscape' : width < height ? 'portrait' : 'square',
      hasAlpha: false,
      colorSpace: 'srgb',
      bitDepth: 8,
      isAnimated: animated,
      pages: animated ? 4 : 1,
    },
    hashes: { sha256: 'a'.repeat(64), phash: '0123456789abcdef' },
    palette: [{ hex: '#000000', rgb: { r: 0, g: 0, b: 0 }, proportion: 1 }],
    dominantColor: { r: 0, g: 0, b: 0, hex: '#000000' },
    brightness: { value: 0, class: 'dark' },
    thumbnails: [],
  };
}

/** A PENDING item: an upload URL was handed out, nothing arrived. */
export function pendingItem(overrides: Partial<ImageItem> = {}): ImageItem {
  const { thumbnails: _thumbnails, etag: _etag, sha256: _sha256, ...base } = imageItem(overrides);
  return { ...base, status: 'PENDING', expiresAt: 1_900_000_000, ...overrides };
}

/**
 * A PROCESSED image with something for every search term: format, orientation, camera, a colour, faces, a year,
 * hashes, a model's label, an object, moderation checked, OCR words, and the photo's own keywords and caption.
 */
export function searchableItem(): ImageItem {
  return imageItem({
    tags: ['Holiday'],
    favourite: true,
    analysis: {
      status: 'PROCESSED',
      size: 10,
      analysisVersion: '1.0.0',
      durationMs: 1,
      metadata: {
        format: 'jpeg',
        width: 4,
        height: 3,
        aspectRatio: 1.33,
        orientation: 'landscape',
        hasAlpha: false,
        colorSpace: 'srgb',
        bitDepth: 8,
        isAnimated: false,
        pages: 1,
        exif: { make: 'FUJIFILM', model: 'X100V', takenAt: '2019-07-14T18:30:00' },
      },
      hashes: { sha256: 'b'.repeat(64), phash: '0123456789abcdef' },
      palette: [{ hex: '#1e50c8', rgb: { r: 30, g: 80, b: 200 }, proportion: 1 }],
      dominantColor: { r: 30, g: 80, b: 200, hex: '#1e50c8' },
      brightness: { value: 90, class: 'normal' },
      quality: {
        sharpness: 12,
        exposure: { mean: 90, shadowsClipped: 0, highlightsClipped: 0, darkest: 20, brightest: 80 },
        contrast: 0.1,
        colourfulness: 40,
        entropy: 6,
        flags: ['blurry', 'underexposed'],
      },
      // What the photo says of itself, in its IPTC and XMP.
      described: { keywords: ['Lake Zurich', 'Summer'], title: 'Evening swim', caption: 'Swimmers at the Bains' },
      thumbnails: [],
    },
    vision: {
      labels: [{ name: 'Coffee Cup', confidence: 0.9, source: 'objects' }],
      objects: [{ name: 'cup', confidence: 0.8, box: { left: 0, top: 0, width: 1, height: 1 } }],
      text: { fullText: 'Café au lait', lines: [] },
      faces: [1, 2, 3, 4].map(() => ({ confidence: 0.9, box: { left: 0, top: 0, width: 0.1, height: 0.1 } })),
      moderation: { checked: true, flagged: false, threshold: 0.8, labels: [] },
      inference: { provider: 'onnx', models: {}, durationMs: 1 },
    },
    place: {
      country: { name: 'Switzerland', code: 'CH' },
      region: { name: 'Basel-Stadt', code: 'CH-BS' },
      locality: { name: 'Basel' },
      source: 'gps',
    },
    // A capture, as its XMP says (no Content Credentials, so no name to find it by).
    provenance: { summary: 'camera', basis: 'xmp', digitalSourceType: 'digitalCapture' },
    // Faces 0 and 2 of one person, face 1 of another; face 3 too small to describe.
    people: {
      faces: [
        { face: 0, personId: 'personA' },
        { face: 1, personId: 'personB' },
        { face: 2, personId: 'personA' },
      ],
      skipped: { tooSmall: 1, overCap: 0 },
    },
  });
}

/**
 * `count` distinct image ids in creation order, ULID-shaped and the same on every run: a millisecond apart,
 * with the random half from a fixed-seed generator (so their shards are spread as real ids' are).
 */
export function imageIds(count: number, startMs = Date.UTC(2025, 0, 2)): string[] {
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  let seed = 12345;
  const next = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return alphabet[(seed >>> 16) % 32];
  };
  return Array.from({ length: count }, (_, i) => {
    let time = startMs + i;
    let head = '';
    for (let c = 0; c < 10; c++) {
      head = alphabet[time % 32] + head;
      time = Math.floor(time / 32);
    }
    return head + Array.from({ length: 16 }, next).join('');
  });
}

/** What DynamoDB answers a Query on one list index, given the items stored (with their shard attributes). */
export interface IndexAnswer {
  Items: Record<string, unknown>[];
  LastEvaluatedKey?: Record<string, unknown>;
}

/**
 * A Query on a sharded list index (`#pk = :pk [AND #sk < :olderThan]`, newest first) answered from `stored` as
 * DynamoDB would: the INCLUDE projection, Limit, ExclusiveStartKey, and a LastEvaluatedKey while more may follow.
 * `pageSize` stands for the 1 MB page limit: a query answers at most that many items, however large its Limit.
 */
export function answerListQuery(
  stored: readonly Record<string, unknown>[],
  input: {
    ExpressionAttributeNames?: Record<string, string>;
    ExpressionAttributeValues?: Record<string, unknown>;
    Limit?: number;
    ExclusiveStartKey?: Record<string, unknown>;
  },
  { projected, pageSize = Number.POSITIVE_INFINITY }: { projected: readonly string[]; pageSize?: number },
): IndexAnswer {
  const pk = input.ExpressionAttributeNames?.['#pk'] as string;
  const values = input.ExpressionAttributeValues ?? {};
  const olderThan = values[':olderThan'] as string | undefined;
  const startAfter = input.ExclusiveStartKey?.imageId as string | undefined;
  const matching = stored
    .filter((item) => item[pk] === values[':pk'])
    .filter((item) => olderThan === undefined || String(item.imageId) < olderThan)
    .filter((item) => startAfter === undefined || String(item.imageId) < startAfter)
    .sort((a, b) => (String(a.imageId) < String(b.imageId) ? 1 : -1));
  const cap = Math.min(input.Limit ?? Number.POSITIVE_INFINITY, pageSize);
  const page = matching.slice(0, cap);
  const Items = page.map((item) =>
    Object.fromEntries(Object.entries(item).filter(([name]) => ['imageId', pk, ...projected].includes(name))),
  );
  const last = page.at(-1);
  // DynamoDB answers a LastEvaluatedKey whenever it stopped at the Limit, even if nothing follows.
  return last && page.length === cap
    ? { Items, LastEvaluatedKey: { imageId: last.imageId, [pk]: last[pk] } }
    : { Items };
}

/** What an UpdateItem's expression names and values: the store aliases each attribute `#a` with its value `:a`. */
export interface UpdateInput {
  readonly ExpressionAttributeNames?: Record<string, string>;
  readonly ExpressionAttributeValues?: Record<string, unknown>;
}

/** The attributes an UpdateItem sets, by name, with their values (an attribute it only removes has none). */
export function setFields(input: UpdateInput | undefined): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const [alias, name] of Object.entries(input?.ExpressionAttributeNames ?? {})) {
    const value = input?.ExpressionAttributeValues?.[alias.replace('#', ':')];
    if (value !== undefined) fields[name] = value;
  }
  return fields;
}
