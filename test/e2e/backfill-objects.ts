import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { fixture } from '../fixtures';

/** One object put straight into a source bucket, and what a backfill should make of it. */
export interface SourceObject {
  key: string;
  body: Buffer;
  contentType: string;
  /** PROCESSED or REJECTED: its record's status; PLACEHOLDER: skipped, no record. */
  expect: 'PROCESSED' | 'REJECTED' | 'PLACEHOLDER';
}

/** Keys a sync tool or a person's folders give: spaces, `+`, percent signs, unicode, several levels. */
const FOLDERS = ['2019 summer/', 'caf\u00e9 + bar/', '100% done/', '\u65e5\u672c/\u5199\u771f/', 'a/b/c/d/', ''];

/** A small image no other object shares (random 8-pixel blocks), in one of three formats. */
async function distinctImage(index: number): Promise<{ body: Buffer; ext: string; type: string }> {
  const [width, height] = [48 + (index % 5) * 8, 32 + (index % 3) * 8];
  const cells = randomBytes(Math.ceil(width / 8) * Math.ceil(height / 8) * 3);
  const image = sharp(cells, {
    raw: { width: Math.ceil(width / 8), height: Math.ceil(height / 8), channels: 3 },
  }).resize(width, height, { kernel: 'nearest' });
  switch (index % 3) {
    case 0:
      return { body: await image.jpeg().toBuffer(), ext: 'jpg', type: 'image/jpeg' };
    case 1:
      return { body: await image.png().toBuffer(), ext: 'png', type: 'image/png' };
    default:
      return { body: await image.webp().toBuffer(), ext: 'webp', type: 'image/webp' };
  }
}

/**
 * `count` objects under `prefix`, as they sit in buckets that were never behind our API: mostly photos (some
 * byte-identical copies under other names), and among them text files, zero-byte files, truncated and oversized
 * images, a decompression bomb, an SVG and folder placeholders, several under odd keys.
 * `maxBytes` is the runner's `maxUploadBytes`: the oversized one is just over it.
 */
export async function sourceObjects(prefix: string, count: number, maxBytes: number): Promise<SourceObject[]> {
  const objects: SourceObject[] = [
    { key: `${prefix}2019 summer/`, body: Buffer.alloc(0), contentType: '', expect: 'PLACEHOLDER' },
    { key: `${prefix}\u65e5\u672c/`, body: Buffer.alloc(0), contentType: '', expect: 'PLACEHOLDER' },
    { key: `${prefix}empty folder/`, body: Buffer.alloc(0), contentType: '', expect: 'PLACEHOLDER' },
    { key: `${prefix}bad/bomb.png`, body: fixture('bad/bomb-20000.png'), contentType: 'image/png', expect: 'REJECTED' },
    { key: `${prefix}bad/drawing.svg`, body: fixture('bad/image.svg'), contentType: '', expect: 'REJECTED' },
    {
      key: `${prefix}bad/too big %2B.jpg`,
      body: Buffer.concat([fixture('photos/pier.jpg'), randomBytes(maxBytes)]).subarray(0, maxBytes + 1),
      contentType: 'image/jpeg',
      expect: 'REJECTED',
    },
  ];
  for (let i = 0; i < 20; i++) {
    objects.push({
      key: `${prefix}notes/read me ${i}.txt`,
      body: Buffer.from(`not an image ${i}\n`),
      contentType: 'text/plain',
      expect: 'REJECTED',
    });
  }
  for (let i = 0; i < 10; i++) {
    objects.push({ key: `${prefix}bad/empty ${i}.jpg`, body: Buffer.alloc(0), contentType: '', expect: 'REJECTED' });
    objects.push({
      key: `${prefix}bad/cut+short ${i}.jpg`,
      body: fixture('photos/pier.jpg').subarray(0, 2000 + i * 100),
      contentType: 'image/jpeg',
      expect: 'REJECTED',
    });
  }
  const copies = 15;
  const images = count - objects.length - copies;
  const photos: SourceObject[] = [];
  for (let i = 0; i < images; i++) {
    const { body, ext, type } = await distinctImage(i);
    const folder = FOLDERS[i % FOLDERS.length] as string;
    photos.push({ key: `${prefix}${folder}IMG ${i} + copy.${ext}`, body, contentType: type, expect: 'PROCESSED' });
  }
  // The same bytes under another name: a record of their own (another key), which says it duplicates the first.
  for (let i = 0; i < copies; i++) {
    const original = photos[i] as SourceObject;
    photos.push({ ...original, key: `${prefix}copies/copy of ${i}.${original.key.split('.').at(-1)}` });
  }
  return [...objects, ...photos];
}
