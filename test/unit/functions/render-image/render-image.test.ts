import {
  FAILURE_TYPE,
  type RenderConfig,
  type RenderDeps,
  RenderGaveUpError,
  type RenditionBody,
  renderRendition,
} from '../../../../lambdas/functions/render-image/render-image';
import { canonicalQuery } from '../../../../lambdas/renditions/query';
import { renditionExpiry, signRendition } from '../../../../lambdas/renditions/signing';
import { parseSigningKeySet, signingKey } from '../../../../lambdas/renditions/signing-keys';
import { parseRenditionSpec } from '../../../../lambdas/renditions/spec';
import { DEFAULT_SETTINGS } from '../../../../lambdas/settings';
import { renditionLimitsOf } from '../../../../lambdas/settings/renditions';
import { BadRequestError } from '../../../../lambdas/shared/errors';
import type { ImageItem } from '../../../../lambdas/store/image-item';
import { fixture } from '../../../fixtures';
import { processedItem, SECRET_STRING } from '../create-rendition/signing-support';

/**
 * The render function's work on a miss, with the bucket and the table in memory: the budget checked again at
 * render, a render that runs out of time stored as a failure that later requests answer without rendering, and
 * simultaneous requests for one rendition rendered once.
 */

const KEYS = parseSigningKeySet(SECRET_STRING);
const NOW = new Date('2026-11-23T06:00:00Z');
const LIMITS = renditionLimitsOf(DEFAULT_SETTINGS);
const CONFIG: RenderConfig = { limits: LIMITS, presets: {}, maxPixels: 100_000_000, maxLifetimeSeconds: 7200 };
const PIER = fixture('photos/pier.jpg');

/** A 1280 × 800 JPEG's record, with its original at its key. */
const ITEM: ImageItem = processedItem({ width: 1280, height: 800 }, { thumbnails: {} });

class MemoryObjects {
  readonly objects = new Map<string, { data: Buffer; contentType: string }>();
  reads = 0;
  writes: string[] = [];

  constructor() {
    this.objects.set(ITEM.key, { data: PIER, contentType: 'image/jpeg' });
  }

  async read(key: string): Promise<Buffer | undefined> {
    this.reads++;
    return this.objects.get(key)?.data;
  }

  async open(key: string): Promise<RenditionBody | undefined> {
    const found = this.objects.get(key);
    return found && { body: found.data, contentType: found.contentType, contentLength: found.data.length };
  }

  async write(key: string, data: Buffer, contentType: string): Promise<void> {
    this.writes.push(contentType);
    this.objects.set(key, { data, contentType });
  }
}

function setup(now = () => NOW) {
  const objects = new MemoryObjects();
  const deps: RenderDeps = {
    store: { get: async (id) => (id === ITEM.imageId ? ITEM : undefined) },
    objects,
    keys: async () => KEYS,
    watermark: async () => {
      throw new Error('no watermark in these tests');
    },
    now,
  };
  return { objects, deps };
}

/** A URL the API would sign now for this spec (signed as is: the budget is the render's to check here). */
function url(input: Record<string, unknown>) {
  const spec = parseRenditionSpec(input, LIMITS);
  const expires = renditionExpiry(NOW, 3600);
  const signed = signRendition({
    imageId: ITEM.imageId,
    query: canonicalQuery(spec),
    expires,
    key: signingKey(KEYS, NOW),
  });
  const [path = '', rawQuery = ''] = signed.split('?');
  return { path, rawQuery };
}

const SMALL = { w: 200, format: 'webp' };

describe('renderRendition on a miss', () => {
  it('renders, stores and answers a spec within the budget', async () => {
    const { objects, deps } = setup();
    const result = await renderRendition(url(SMALL), CONFIG, deps);
    expect(result).toMatchObject({ rendered: true, contentType: 'image/webp', format: 'webp' });
    expect(objects.writes).toEqual(['image/webp']);
  });

  it('refuses with a 400, before reading the source, a spec over the budget (a URL signed before it was lowered)', async () => {
    const { objects, deps } = setup();
    const costly = { w: 1200, format: 'avif', q: 99, median: 9 };
    const tight = { ...CONFIG, limits: { ...LIMITS, budgetMs: 500 } };
    const refusal = await renderRendition(url(costly), tight, deps).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(BadRequestError);
    expect((refusal as Error).message).toMatch(/over the 500 this deployment allows \(renditionBudgetMs\)/);
    expect(objects.reads).toBe(0);
  });

  it('gives up with a 503 when out of time, stores why, and answers that again without rendering', async () => {
    const { objects, deps } = setup();
    const request = { ...url(SMALL), timeLimitMs: 0 };
    const first = await renderRendition(request, CONFIG, deps).catch((error: unknown) => error);
    expect(first).toBeInstanceOf(RenderGaveUpError);
    expect((first as RenderGaveUpError).statusCode).toBe(503);
    expect((first as Error).message).toMatch(
      /^the render ran out of its 0\.0 s; this rendition is not tried again before /,
    );
    expect(objects.writes).toEqual([FAILURE_TYPE]);
    const readsAfterFirst = objects.reads;

    // With all the time in the world, the stored failure is answered: no source read, no render.
    const second = await renderRendition(url(SMALL), CONFIG, deps).catch((error: unknown) => error);
    expect(second).toBeInstanceOf(RenderGaveUpError);
    expect(objects.reads).toBe(readsAfterFirst);
  });

  it('renders again once the stored failure has lapsed', async () => {
    let now = NOW;
    const { objects, deps } = setup(() => now);
    await renderRendition({ ...url(SMALL), timeLimitMs: 0 }, CONFIG, deps).catch(() => undefined);
    now = new Date(NOW.getTime() + 3601 * 1000);
    // The URL is signed for an hour, so a fresh one is asked for, as a client would.
    const fresh = { ...CONFIG, maxLifetimeSeconds: 7200 };
    const expires = renditionExpiry(now, 3600);
    const spec = parseRenditionSpec(SMALL, LIMITS);
    const signed = signRendition({
      imageId: ITEM.imageId,
      query: canonicalQuery(spec),
      expires,
      key: signingKey(KEYS, now),
    });
    const [path = '', rawQuery = ''] = signed.split('?');
    const result = await renderRendition({ path, rawQuery }, fresh, deps);
    expect(result.rendered).toBe(true);
    expect(objects.writes).toEqual([FAILURE_TYPE, 'image/webp']);
  });

  it('renders once for many simultaneous requests of one rendition, and serves each of them', async () => {
    const { objects, deps } = setup();
    const results = await Promise.all(Array.from({ length: 20 }, () => renderRendition(url(SMALL), CONFIG, deps)));
    expect(results.filter((result) => result.rendered)).toHaveLength(1);
    expect(results.every((result) => result.contentType === 'image/webp')).toBe(true);
    expect(objects.reads).toBe(1);
    expect(objects.writes).toEqual(['image/webp']);
  });
});
