import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { ImageApiClient } from '../../lambdas/cli/api-client';
import { fixture } from '../fixtures';
import { FIXED_PRESETS, fileUser, profileRunner, type SharedRunner } from '../support/runner-profiles';
import { loadTarget } from './target';

/**
 * Public preset URLs through the local runner (`npm start -c renditionPresets=...` with `card` marked public: the
 * shared `offline-fixed` runner's presets, FIXED_PRESETS, as a user of this file's own): the stable URL answers 200
 * with no signature, a query on it 400, a preset that is not public or not configured 404, and once the image is
 * deleted 404. The suite's runner (jwt), with the defaults, gives no public URL at all. A second public preset in
 * another format (thumb.jpg) is test/unit/renditions/public.test.ts's.
 */
jest.setTimeout(240_000);

let runner: SharedRunner;
let api: ImageApiClient;
let imageId: string;
let publicUrls: Record<string, string | undefined>;
let signedCard: string;

beforeAll(async () => {
  runner = await profileRunner('offline-fixed');
  api = new ImageApiClient(runner.ready.apiUrl, { bearerToken: await runner.token({ user: fileUser('alice') }) });
  imageId = await api.upload(Buffer.concat([fixture('photos/pier.jpg'), randomBytes(16)]), { filename: 'pier.jpg' });
  const image = await api.waitForFinal(imageId, loadTarget().timeoutSeconds * 1000);
  expect(image.status).toBe('PROCESSED');
  const renditions = image.renditions ?? {};
  publicUrls = Object.fromEntries(Object.entries(renditions).map(([name, { publicUrl }]) => [name, publicUrl]));
  signedCard = renditions.card?.url ?? '';
});

/** A GET as a browser or a CMS makes it: no credentials, no signature. */
async function get(url: string) {
  const response = await fetch(url, { headers: { accept: 'image/avif,image/webp,*/*' } });
  const body = Buffer.from(await response.arrayBuffer());
  const json = (response.headers.get('content-type') ?? '').startsWith('application/json');
  return {
    status: response.status,
    type: response.headers.get('content-type'),
    cacheControl: response.headers.get('cache-control'),
    etag: response.headers.get('etag'),
    body,
    message: json ? (JSON.parse(body.toString()) as { message: string }).message : undefined,
  };
}

describe('public preset URLs through the local runner', () => {
  it('are given by GET /images/{id} for the public presets only', () => {
    const origin = runner.ready.apiUrl;
    expect(Object.keys(FIXED_PRESETS).sort()).toEqual(['avatar', 'card', 'hero']);
    expect(publicUrls).toEqual({ card: `${origin}/${imageId}/card.webp`, hero: undefined, avatar: undefined });
  });

  it('answer 200 without a signature: the preset, in its format, cacheable a minute', async () => {
    const card = await get(publicUrls.card as string);
    expect(card).toMatchObject({ status: 200, type: 'image/webp', cacheControl: 'public, max-age=60' });
    expect(await sharp(card.body).metadata()).toMatchObject({ format: 'webp', width: 400, height: 300 });
  });

  it('share the stored object and tag of the signed URL of the same preset', async () => {
    const [unsigned, signed] = await Promise.all([get(publicUrls.card as string), get(signedCard)]);
    expect(signed.status).toBe(200);
    expect(unsigned.etag).toBe(signed.etag);
    expect(unsigned.body.equals(signed.body)).toBe(true);
  });

  it.each(['w=1600', 'preset=hero', 'format=png'])('answer 400 to the free-form parameter %s', async (query) => {
    expect(await get(`${publicUrls.card}?${query}`)).toMatchObject({
      status: 400,
      cacheControl: 'no-store',
      message: 'query: a public rendition URL takes no parameters; for another spec, ask the API for a signed URL',
    });
  });

  it.each(['hero.jpg', 'avatar.jpg', 'poster.webp', 'card.avif'])('answer 404 to %s', async (file) => {
    expect(await get(`${runner.ready.apiUrl}/${imageId}/${file}`)).toMatchObject({
      status: 404,
      message: `"${file}": no public preset is served at this name (public presets: card.webp)`,
    });
  });

  it('answer 404 once the image is deleted', async () => {
    await api.delete(imageId, { permanently: true });
    expect(await get(publicUrls.card as string)).toMatchObject({ status: 404, message: `image ${imageId} not found` });
  });
});

describe('public preset URLs by default', () => {
  it('are none: the suite runner, on the default presets, gives no image a public URL', async () => {
    const target = loadTarget();
    const users = target.users;
    const client = new ImageApiClient(target.apiUrl, { apiKey: target.apiKey, bearerToken: users?.alice.token });
    const id = await client.upload(Buffer.concat([fixture('photos/pier.jpg'), randomBytes(16)]), {
      filename: 'pier.jpg',
    });
    const image = await client.waitForFinal(id, target.timeoutSeconds * 1000);
    expect(Object.keys(image.renditions ?? {}).sort()).toEqual(['avatar', 'card', 'hero']);
    for (const rendition of Object.values(image.renditions ?? {})) expect(rendition).not.toHaveProperty('publicUrl');
    const origin = new URL(image.renditions?.card?.url ?? '').origin;
    expect((await get(`${origin}/${id}/card.webp`)).status).toBe(404);
    await client.delete(id, { permanently: true });
  });
});
