import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApiServer } from '../../../../../lambdas/local/api-server';
import type { StreamingHandler } from '../../../../../lambdas/local/function-url';
import { installResponseStreaming } from '../../../../../lambdas/local/response-streaming';
import {
  type RenderConfig,
  type RenderDeps,
  renderRendition,
} from '../../../../../lambdas/renditions/functions/render-image/render-image';
import { renditionHandler } from '../../../../../lambdas/renditions/functions/render-image/rendition-handler';
import type { RenditionPresets } from '../../../../../lambdas/settings/renditions';
import { ConflictError, NotFoundError } from '../../../../../lambdas/shared/errors';
import { createPowertools } from '../../../../../lambdas/shared/powertools';
import type { ImageItem } from '../../../../../lambdas/store/image-item';
import { pendingItem } from '../../../../support/items';
import { CONFIG, ITEM, setup, url } from '../../../../unit/renditions/functions/render-image/memory-deps';

/**
 * The render function answering a public preset's URL, `/<imageId>/<preset>.<ext>`: no signature and no key read,
 * the same record check as a signed URL (404 deleted, 409 not PROCESSED), the same stored object and tag as the
 * signed URL of the same preset, and nothing but a configured public preset (400 for a query, 404 for any other).
 */

installResponseStreaming();

const PRESETS: RenditionPresets = {
  card: { w: 400, h: 300, format: 'webp', public: true },
  hero: { w: 1600 },
};
const PUBLIC: RenderConfig = { ...CONFIG, presets: PRESETS };
const CARD = { path: `/${ITEM.imageId}/card.webp`, rawQuery: '' };

/** The in-memory bucket and a table that can lose the image; the signing keys are never to be read. */
function publicSetup() {
  const { objects, deps } = setup();
  const records = new Map<string, ImageItem>([[ITEM.imageId, ITEM]]);
  const keyReads: number[] = [];
  const publicDeps: RenderDeps = {
    ...deps,
    store: { get: async (id) => records.get(id) },
    keys: async () => {
      keyReads.push(1);
      return deps.keys();
    },
  };
  return { objects, records, keyReads, deps: publicDeps };
}

describe('renderRendition for a public preset', () => {
  it('renders the preset unsigned, with no expiry and no signing key read', async () => {
    const { keyReads, deps } = publicSetup();
    const answer = await renderRendition(CARD, PUBLIC, deps);
    expect(answer).toMatchObject({ contentType: 'image/webp', format: 'webp', rendered: true, expires: undefined });
    expect(keyReads).toEqual([]);
  });

  it('serves the object the signed URL of the same preset stored, under the same tag', async () => {
    const { objects, deps } = publicSetup();
    // The card's signed URL, as get-image signs it: the preset expanded into its canonical spec.
    const signed = await renderRendition(url({ w: 400, h: 300, format: 'webp' }), PUBLIC, deps);
    await signed.store;
    const stored = [...objects.objects.keys()].filter((key) => key.startsWith('renditions/'));
    const answer = await renderRendition(CARD, PUBLIC, deps);
    expect(answer).toMatchObject({ rendered: false, etag: signed.etag });
    expect([...objects.objects.keys()].filter((key) => key.startsWith('renditions/'))).toEqual(stored);
  });

  it('answers 304 to a cache holding its tag while the image is there, and 404 once it is deleted', async () => {
    const { records, deps } = publicSetup();
    const { etag } = await renderRendition(CARD, PUBLIC, deps);
    expect(await renderRendition({ ...CARD, ifNoneMatch: etag }, PUBLIC, deps)).toEqual({
      notModified: true,
      etag,
      expires: undefined,
    });
    records.delete(ITEM.imageId);
    const gone = renderRendition({ ...CARD, ifNoneMatch: etag }, PUBLIC, deps);
    await expect(gone).rejects.toThrow(new NotFoundError(`image ${ITEM.imageId} not found`));
    await expect(renderRendition(CARD, PUBLIC, deps)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('answers 409 for an image that is not PROCESSED', async () => {
    const { records, deps } = publicSetup();
    records.set(ITEM.imageId, pendingItem({ imageId: ITEM.imageId }));
    await expect(renderRendition(CARD, PUBLIC, deps)).rejects.toBeInstanceOf(ConflictError);
  });

  it('answers 404 for every public address when the preset is not public', async () => {
    const { deps } = publicSetup();
    const off = { ...CONFIG, presets: { card: { w: 400, h: 300, format: 'webp' as const } } };
    await expect(renderRendition(CARD, off, deps)).rejects.toBeInstanceOf(NotFoundError);
  });
});

const tools = createPowertools({ POWERTOOLS_SERVICE_NAME: 'render-test', POWERTOOLS_METRICS_NAMESPACE: 'Test' });

describe('the render function answering public addresses over HTTP', () => {
  let server: Server;
  let base: string;
  let records: Map<string, ImageItem>;
  beforeAll(async () => {
    const made = publicSetup();
    records = made.records;
    const handler = renditionHandler(PUBLIC, made.deps, tools) as unknown as StreamingHandler;
    server = createApiServer({
      routes: [],
      functionUrls: [{ path: /^\/[0-9A-HJKMNP-TV-Z]{26}\//, functionName: 'render-image', timeoutMs: 30_000, handler }],
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const get = async (path: string) => {
    const response = await fetch(`${base}${path}`);
    const body = Buffer.from(await response.arrayBuffer());
    const json = response.headers.get('content-type') === 'application/json';
    return {
      status: response.status,
      cacheControl: response.headers.get('cache-control'),
      etag: response.headers.get('etag'),
      body,
      message: json ? (JSON.parse(body.toString()) as { message: string }).message : undefined,
    };
  };

  it('answers 200 with the image, cacheable a minute and tagged, with no signature', async () => {
    const answer = await get(CARD.path);
    expect(answer).toMatchObject({ status: 200, cacheControl: 'public, max-age=60' });
    expect(answer.etag).toMatch(new RegExp(`^W/"renditions/${ITEM.imageId}/[0-9a-f]{16}\\.webp"$`));
    expect(answer.body.subarray(8, 12).toString('latin1')).toBe('WEBP');
  });

  it.each(['?w=1', '?preset=hero', '?exp=1&kid=k&sig=s'])('answers 400, not cached, to the query %s', async (query) => {
    expect(await get(`${CARD.path}${query}`)).toMatchObject({
      status: 400,
      cacheControl: 'no-store',
      message: 'query: a public rendition URL takes no parameters; for another spec, ask the API for a signed URL',
    });
  });

  it.each(['poster.webp', 'hero.jpg', 'card.avif'])('answers 404 to %s, no public preset', async (file) => {
    expect(await get(`/${ITEM.imageId}/${file}`)).toMatchObject({
      status: 404,
      message: `"${file}": no public preset is served at this name (public presets: card.webp)`,
    });
  });

  it('answers 404 once the image is deleted', async () => {
    records.delete(ITEM.imageId);
    expect(await get(CARD.path)).toMatchObject({ status: 404, message: `image ${ITEM.imageId} not found` });
  });
});
