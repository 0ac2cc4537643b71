import {
  FAILURE_TYPE,
  RenderGaveUpError,
  renderRendition,
} from '../../../../../lambdas/renditions/functions/render-image/render-image';
import { BadRequestError } from '../../../../../lambdas/shared/errors';
import type { ImageItem } from '../../../../../lambdas/store/image-item';
import { CONFIG, ITEM, LIMITS, NOW, setup, url } from './memory-deps';

/**
 * The render function's work on a miss, with the bucket and the table in memory: the budget checked again at
 * render, a render that runs out of time stored as a failure that later requests answer without rendering, and
 * simultaneous requests for one rendition rendered once.
 */

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

    // With all the time in the world, the stored failure is answered: no render, and the source read started
    // beside the look-up is stopped.
    const second = await renderRendition(url(SMALL), CONFIG, deps).catch((error: unknown) => error);
    expect(second).toBeInstanceOf(RenderGaveUpError);
    expect(objects.writes).toEqual([FAILURE_TYPE]);
    expect(objects.readSignals.slice(readsAfterFirst).map((signal) => signal?.aborted)).toEqual([true]);
  });

  it('renders again once the stored failure has lapsed', async () => {
    let now = NOW;
    const { objects, deps } = setup(() => now);
    await renderRendition({ ...url(SMALL), timeLimitMs: 0 }, CONFIG, deps).catch(() => undefined);
    now = new Date(NOW.getTime() + 3601 * 1000);
    // The URL is signed for an hour, so a fresh one is asked for, as a client would.
    const fresh = { ...CONFIG, maxLifetimeSeconds: 7200 };
    const result = await renderRendition(url(SMALL, now), fresh, deps);
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

describe('renderRendition: what a miss waits for', () => {
  it('answers a new rendition before it is stored; its store settles after', async () => {
    const { objects, deps } = setup();
    let land: () => void = () => undefined;
    objects.writeGate = () => new Promise<void>((resolve) => (land = resolve));
    const result = await renderRendition(url(SMALL), CONFIG, deps);
    expect(result.rendered).toBe(true);
    expect(Buffer.isBuffer(result.body) && result.body.length).toBeGreaterThan(0);
    let settled = false;
    const store = result.store?.then((outcome) => {
      settled = true;
      return outcome;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(settled).toBe(false);
    land();
    expect(await store).toEqual({ stored: true });
    expect([...objects.objects.keys()].some((key) => key.startsWith(`renditions/${ITEM.imageId}/`))).toBe(true);
  });

  it('keeps the answer when its store fails: the store says why, and never throws', async () => {
    const { objects, deps } = setup();
    objects.writeGate = async () => {
      throw new Error('SlowDown: please reduce your request rate');
    };
    const result = await renderRendition(url(SMALL), CONFIG, deps);
    expect(result).toMatchObject({ rendered: true, contentType: 'image/webp' });
    expect(await result.store).toEqual({
      stored: false,
      error: new Error('SlowDown: please reduce your request rate'),
    });
  });

  it('reads the source while it looks for a stored copy, and stops that read when the copy is there', async () => {
    const { objects, deps } = setup();
    const first = await renderRendition(url(SMALL), CONFIG, deps);
    await first.store;
    expect(objects.readSignals.map((signal) => signal?.aborted)).toEqual([false]);
    const second = await renderRendition(url(SMALL), CONFIG, deps);
    expect(second.rendered).toBe(false);
    expect(objects.readSignals.map((signal) => signal?.aborted)).toEqual([false, true]);
  });

  it('reads no source for a rendition the record says is stored (an eager preset)', async () => {
    const { objects, deps } = setup();
    const first = await renderRendition(url(SMALL), CONFIG, deps);
    await first.store;
    const key = first.etag.replace(/^W\/"|"$/g, '');
    const eager: ImageItem = { ...ITEM, eagerRenditions: { card: key } };
    const known = { ...deps, store: { get: async () => eager } };
    const second = await renderRendition(url(SMALL), CONFIG, known);
    expect(second.rendered).toBe(false);
    expect(objects.reads).toBe(1);
  });

  it('has a request that comes while the store is under way join it, not render again', async () => {
    const { objects, deps } = setup();
    let land: () => void = () => undefined;
    objects.writeGate = () => new Promise<void>((resolve) => (land = resolve));
    const first = await renderRendition(url(SMALL), CONFIG, deps);
    const second = await renderRendition(url(SMALL), CONFIG, deps);
    expect([first.rendered, second.rendered]).toEqual([true, false]);
    expect(second.store).toBeUndefined();
    expect(objects.writes).toEqual(['image/webp']);
    land();
    await first.store;
  });
});
