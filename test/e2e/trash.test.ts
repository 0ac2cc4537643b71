import { createHash, randomBytes } from 'node:crypto';
import { HeadObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { fixture } from '../fixtures';
import { schemaErrors } from '../support/event-schemas';
import { clientsFor, EventCollector, eventually } from './support';
import { loadTarget } from './target';

const target = loadTarget();
const { api, s3, sqs, events } = clientsFor(target);
const collector = new EventCollector(sqs, events, target.eventBus);
const WAIT = target.timeoutSeconds * 1000;
jest.setTimeout(WAIT * 4);

beforeAll(() => collector.start());
afterAll(() => collector.stop());

/** Bytes no other test uploaded, and a tag only this upload has, to find it in search. */
function unique(name: string): { bytes: Buffer; tag: string } {
  return { bytes: Buffer.concat([fixture(name), randomBytes(16)]), tag: `trash-${randomBytes(6).toString('hex')}` };
}

async function exists(key: string): Promise<boolean> {
  try {
    await s3.send(new HeadObjectCommand({ Bucket: target.bucket, Key: key }));
    return true;
  } catch (error) {
    if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return false;
    throw error;
  }
}

async function keysUnder(prefix: string): Promise<string[]> {
  const { Contents = [] } = await s3.send(new ListObjectsV2Command({ Bucket: target.bucket, Prefix: prefix }));
  return Contents.map((object) => object.Key as string);
}

/**
 * Whether the owner's unfiltered list has the image on any page: other files of the run upload into the same owner
 * meanwhile (list-shards hundreds), so the first page alone may have moved past it.
 */
async function listed(imageId: string, query: Record<string, string> = {}): Promise<boolean> {
  let cursor: string | undefined;
  do {
    const page = await api.list({ ...query, limit: 100, cursor });
    if (page.items.some((item) => item.imageId === imageId)) return true;
    cursor = page.cursor;
  } while (cursor !== undefined);
  return false;
}

async function taggedIds(tag: string): Promise<string[]> {
  return (await api.list({ tag })).items.map((item) => item.imageId);
}

/** A processed image with a stored rendition: every kind of object a delete removes. */
async function processedWithRendition(name: string) {
  const { bytes, tag } = unique(name);
  const imageId = await api.upload(bytes, { filename: name.split('/').pop(), tags: [tag] });
  const image = await api.waitForFinal(imageId, WAIT);
  expect(image.status).toBe('PROCESSED');
  const rendition = Object.values(image.renditions ?? {})[0];
  if (rendition) expect((await fetch(rendition.url)).status).toBe(200);
  const objects = [image.key as string, ...Object.values(image.thumbnails as Record<string, string>)];
  const renditions = await keysUnder(`renditions/${imageId}/`);
  return { imageId, tag, objects, renditions };
}

describe('the trash, end to end', () => {
  it('moves an image out of every list and search, and a purge then removes what a delete removes', async () => {
    const { imageId, tag, objects, renditions } = await processedWithRendition('photos/boats.jpg');
    expect(renditions.length).toBeGreaterThan(0);
    expect(await taggedIds(tag)).toEqual([imageId]);

    await api.delete(imageId);
    expect(await api.get(imageId)).toMatchObject({ status: 'TRASHED', trashedFrom: 'PROCESSED' });
    expect(await taggedIds(tag)).toEqual([]);
    expect(await listed(imageId)).toBe(false);
    expect(await listed(imageId, { status: 'TRASHED' })).toBe(true);
    // Everything a restore needs is still there.
    for (const key of [...objects, ...renditions]) expect(await exists(key)).toBe(true);
    const trashed = await collector.waitFor(imageId, 'Image Trashed', WAIT);
    expect(schemaErrors('Image Trashed', trashed.detail)).toEqual([]);

    await api.emptyTrash();
    await eventually('the purge', WAIT, async () => ((await api.get(imageId)) === undefined ? true : undefined));
    for (const key of [...objects, ...renditions]) expect(await exists(key)).toBe(false);
    expect(await keysUnder(`renditions/${imageId}/`)).toEqual([]);
    expect(await taggedIds(tag)).toEqual([]);
    expect(await listed(imageId, { status: 'TRASHED' })).toBe(false);
    const deleted = await collector.waitFor(imageId, 'Image Deleted', WAIT);
    expect(schemaErrors('Image Deleted', deleted.detail)).toEqual([]);
    expect(deleted.detail).toMatchObject({ status: 'TRASHED' });
  });

  it('restores an image: listed and searchable again, with the status it had', async () => {
    const { imageId, tag, objects } = await processedWithRendition('photos/kite.jpg');
    await api.delete(imageId);
    expect(await taggedIds(tag)).toEqual([]);

    expect(await api.restore(imageId)).toEqual({ imageId, status: 'PROCESSED' });
    expect(await taggedIds(tag)).toEqual([imageId]);
    expect(await listed(imageId)).toBe(true);
    expect(await api.get(imageId)).toMatchObject({ status: 'PROCESSED' });
    for (const key of objects) expect(await exists(key)).toBe(true);
    const restored = await collector.waitFor(imageId, 'Image Restored', WAIT);
    expect(schemaErrors('Image Restored', restored.detail)).toEqual([]);
    // An emptied trash keeps what was restored before it.
    await api.emptyTrash();
    await api.delete(imageId, { permanently: true });
  });

  it('skips a duplicate upload with nothing stored, and keeps both when asked', async () => {
    const { bytes } = unique('photos/cups.jpg');
    const first = await api.uploadUnlessDuplicate(bytes, { filename: 'cups.jpg' });
    if (!('imageId' in first)) throw new Error('the first upload was taken for a duplicate');
    await api.waitForFinal(first.imageId, WAIT);
    const uploads = await keysUnder('uploads/');

    expect(await api.uploadUnlessDuplicate(bytes, { filename: 'cups-again.jpg' })).toEqual({
      duplicateOf: first.imageId,
    });
    // Other files upload into the same bucket meanwhile: of the objects added since, none holds these bytes.
    const added = (await keysUnder('uploads/')).filter((key) => !uploads.includes(key));
    const md5 = `"${createHash('md5').update(bytes).digest('hex')}"`;
    for (const key of added) {
      expect((await s3.send(new HeadObjectCommand({ Bucket: target.bucket, Key: key }))).ETag).not.toBe(md5);
    }
    expect((await api.list({ status: 'PENDING' })).items.map((item) => item.filename)).not.toContain('cups-again.jpg');

    const kept = await api.uploadUnlessDuplicate(bytes, { filename: 'cups-kept.jpg', duplicates: 'keep' });
    if (!('imageId' in kept)) throw new Error('a kept duplicate was not uploaded');
    expect(await api.waitForFinal(kept.imageId, WAIT)).toMatchObject({ duplicateOf: first.imageId });

    // One in the trash is no duplicate: the same bytes upload again.
    await api.delete(first.imageId);
    await api.delete(kept.imageId);
    const again = await api.uploadUnlessDuplicate(bytes, { filename: 'cups-third.jpg' });
    expect(again).toHaveProperty('imageId');
  });
});
