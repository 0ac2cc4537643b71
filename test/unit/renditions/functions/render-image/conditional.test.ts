import {
  type RenderConfig,
  type RenderDeps,
  type RenditionBody,
  renderRendition,
} from '../../../../../lambdas/renditions/functions/render-image/render-image';
import { canonicalQuery } from '../../../../../lambdas/renditions/query';
import { renditionExpiry, signRendition } from '../../../../../lambdas/renditions/signing';
import { parseSigningKeySet, signingKey } from '../../../../../lambdas/renditions/signing-keys';
import { parseRenditionSpec } from '../../../../../lambdas/renditions/spec';
import { DEFAULT_SETTINGS } from '../../../../../lambdas/settings';
import { renditionLimitsOf } from '../../../../../lambdas/settings/renditions';
import { ForbiddenError, NotFoundError } from '../../../../../lambdas/shared/errors';
import type { ImageItem } from '../../../../../lambdas/store/image-item';
import { fixture } from '../../../../fixtures';
import { processedItem, SECRET_STRING } from '../create-rendition/signing-support';

/**
 * A cache revalidating its copy of a rendition (CloudFront, once the copy's minute is up): the render function
 * answers 304 from the record alone while the image is there, and 404 once it is deleted, which is what ends a
 * deleted image's cached renditions.
 */

const KEYS = parseSigningKeySet(SECRET_STRING);
const NOW = new Date('2026-11-23T06:00:00Z');
const LIMITS = renditionLimitsOf(DEFAULT_SETTINGS);
const CONFIG: RenderConfig = {
  limits: LIMITS,
  presets: {},
  maxPixels: 100_000_000,
  maxLifetimeSeconds: 7200,
  keepGps: false,
  keepDigitalSourceType: false,
};
const ITEM: ImageItem = processedItem({ width: 1280, height: 800 }, { thumbnails: {} });

/** The bucket in memory, counting every access. */
class MemoryObjects {
  readonly objects = new Map<string, { data: Buffer; contentType: string }>([
    [ITEM.key, { data: fixture('photos/pier.jpg'), contentType: 'image/jpeg' }],
  ]);
  accesses = 0;

  async read(key: string): Promise<Buffer | undefined> {
    this.accesses++;
    return this.objects.get(key)?.data;
  }

  async open(key: string): Promise<RenditionBody | undefined> {
    this.accesses++;
    const found = this.objects.get(key);
    return found && { body: found.data, contentType: found.contentType, contentLength: found.data.length };
  }

  async write(key: string, data: Buffer, contentType: string): Promise<void> {
    this.accesses++;
    this.objects.set(key, { data, contentType });
  }
}

function setup() {
  const objects = new MemoryObjects();
  const records = new Map([[ITEM.imageId, ITEM]]);
  const deps: RenderDeps = {
    store: { get: async (id) => records.get(id) },
    objects,
    keys: async () => KEYS,
    watermark: async () => {
      throw new Error('no watermark in these tests');
    },
    now: () => NOW,
  };
  return { objects, records, deps };
}

/** A URL the API would sign now for this spec. */
function url(input: Record<string, unknown>) {
  const signed = signRendition({
    imageId: ITEM.imageId,
    query: canonicalQuery(parseRenditionSpec(input, LIMITS)),
    expires: renditionExpiry(NOW, 3600),
    key: signingKey(KEYS, NOW),
  });
  const [path = '', rawQuery = ''] = signed.split('?');
  return { path, rawQuery };
}

const WEBP = url({ w: 200, format: 'webp' });

describe('renderRendition revalidating a cached copy', () => {
  it('answers 304 with the tag, reading nothing from the bucket, while the image is there', async () => {
    const { objects, deps } = setup();
    const first = await renderRendition(WEBP, CONFIG, deps);
    expect(first.etag).toMatch(new RegExp(`^W/"renditions/${ITEM.imageId}/[0-9a-f]{16}\\.webp"$`));
    const before = objects.accesses;
    const again = await renderRendition({ ...WEBP, ifNoneMatch: first.etag }, CONFIG, deps);
    expect(again).toEqual({ notModified: true, etag: first.etag, expires: first.expires });
    expect(objects.accesses).toBe(before);
  });

  it('answers the rendition itself for a tag that is not its own (another format of the same spec)', async () => {
    const { deps } = setup();
    const auto = url({ w: 200 });
    const webp = await renderRendition({ ...auto, accept: 'image/webp' }, CONFIG, deps);
    const avif = await renderRendition({ ...auto, accept: 'image/avif', ifNoneMatch: webp.etag }, CONFIG, deps);
    expect(avif).toMatchObject({ contentType: 'image/avif', rendered: true });
    expect(avif).not.toHaveProperty('notModified');
  });

  it('answers 404 once the image is deleted, whatever tag the cache holds', async () => {
    const { records, deps } = setup();
    const { etag } = await renderRendition(WEBP, CONFIG, deps);
    records.delete(ITEM.imageId);
    const answer = await renderRendition({ ...WEBP, ifNoneMatch: etag }, CONFIG, deps).catch((error: unknown) => error);
    expect(answer).toBeInstanceOf(NotFoundError);
    expect((answer as Error).message).toBe(`image ${ITEM.imageId} not found`);
  });

  it('checks the signature before the tag: a tampered URL is a 403 even with a good tag', async () => {
    const { deps } = setup();
    const { etag } = await renderRendition(WEBP, CONFIG, deps);
    const tampered = { ...WEBP, rawQuery: WEBP.rawQuery.replace('w=200', 'w=201'), ifNoneMatch: etag };
    await expect(renderRendition(tampered, CONFIG, deps)).rejects.toBeInstanceOf(ForbiddenError);
  });
});
