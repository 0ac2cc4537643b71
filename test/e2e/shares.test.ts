import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import type { z } from 'zod';
import type { SharedSchema } from '../../lambdas/albums/functions/share-schemas';
import { ImageApiClient } from '../../lambdas/cli/api-client';
import { tokenHash } from '../../lambdas/shares/secrets';
import { fixture } from '../fixtures';
import { eventually } from './support';
import { loadTarget, usersOf } from './target';

/*
 * Share links on the target (the run's jwt runner): alice's album of two photos and one of her photos open signed out
 * through their links and show exactly those, served without GPS; an altered token is a 404; a revoked link and an
 * expired one no longer open; a protected link opens only with its password; bob can share none of hers. Each owner's
 * images here are this file's own (random bytes after a real photo's end).
 */

const target = loadTarget();
const WAIT = target.timeoutSeconds * 1000;
jest.setTimeout(WAIT * 4);

const users = usersOf(target);
const alice = new ImageApiClient(target.apiUrl, { bearerToken: users.alice.token });

interface Answer {
  status: number;
  headers: Headers;
  body?: Record<string, unknown>;
}

/** A request answered with its status, headers and JSON body; `token` undefined: signed out, no credential at all. */
async function call(
  token: string | undefined,
  method: string,
  path: string,
  init: { body?: unknown; password?: string } = {},
): Promise<Answer> {
  const response = await fetch(`${target.apiUrl}${path}`, {
    method,
    headers: {
      ...(token !== undefined && { authorization: `Bearer ${token}` }),
      ...(init.body !== undefined && { 'content-type': 'application/json' }),
      ...(init.password !== undefined && { 'x-share-password': init.password }),
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}
const signedOut = (token: string, password?: string) => call(undefined, 'GET', `/shared/${token}`, { password });

/** What a link shows signed out (`GET /shared/{token}`), as its route's schema says. */
type Shared = z.output<typeof SharedSchema>;

/** A processed photo of the caller's that no other file uploaded. */
async function photo(api: ImageApiClient, name: string): Promise<string> {
  const bytes = Buffer.concat([fixture(name), randomBytes(16)]);
  const imageId = await api.upload(bytes, { filename: name.split('/').pop() });
  expect((await api.waitForFinal(imageId, WAIT)).status).toBe('PROCESSED');
  return imageId;
}

/** A new link to `path`'s album or image (`/albums/<id>` or `/images/<id>`), made by alice. */
async function share(
  path: string,
  body: Record<string, unknown> = {},
): Promise<{ token: string; url: string; share: { shareId: string } }> {
  const made = await call(users.alice.token, 'POST', `${path}/shares`, { body });
  expect(made.status).toBe(201);
  return made.body as { token: string; url: string; share: { shareId: string } };
}

describe('share links, end to end', () => {
  let basel: string;
  let pier: string;
  let albumId: string;

  beforeAll(async () => {
    [basel, pier] = await Promise.all([photo(alice, 'places/basel.jpg'), photo(alice, 'photos/pier.jpg')]);
    // A third photo of alice's, in no link: it must never show.
    await photo(alice, 'photos/kite.jpg');
    const album = await call(users.alice.token, 'POST', '/albums', { body: { name: 'Basel and the pier' } });
    albumId = (album.body as { albumId: string }).albumId;
    const added = await call(users.alice.token, 'POST', `/albums/${albumId}/images`, {
      body: { imageIds: [basel, pier] },
    });
    expect(added.status).toBe(200);
  });

  it("opens alice's album signed out, showing exactly its two photos, asking not to be indexed or referred", async () => {
    const { token, url } = await share(`/albums/${albumId}`);
    // The token after `#`: a browser sends the web app `/app/shared` alone, so its access logs never hold it.
    expect(url).toBe(`${target.apiUrl}/app/shared#${token}`);
    const opened = await signedOut(token);
    expect(opened.status).toBe(200);
    expect(opened.headers.get('x-robots-tag')).toBe('noindex, nofollow');
    expect(opened.headers.get('referrer-policy')).toBe('no-referrer');
    expect(opened.headers.get('cache-control')).toBe('no-store');
    const shared = opened.body as unknown as Shared;
    expect(shared).toMatchObject({ kind: 'album', title: 'Basel and the pier' });
    expect(shared.items).toHaveLength(2);
    // Nothing about the photos but where to see them: no owner, place, labels or dates, and no image id, whose first
    // ten characters are the upload time.
    for (const item of shared.items) {
      expect(Object.keys(item).sort()).toEqual(['height', 'id', 'thumbnailUrl', 'viewUrl', 'width']);
    }
    for (const hidden of [users.alice.owner, basel, pier, basel.slice(0, 10), pier.slice(0, 10)]) {
      expect(JSON.stringify(shared)).not.toContain(hidden);
    }
  });

  it('serves a shared photo without its GPS, which the uploaded original has', async () => {
    expect((await sharp(fixture('places/basel.jpg')).metadata()).exif).toBeDefined();
    const { token } = await share(`/images/${basel}`);
    const shared = (await signedOut(token)).body as unknown as Shared;
    expect(shared.items).toHaveLength(1);
    for (const url of [shared.items[0]?.thumbnailUrl, shared.items[0]?.viewUrl]) {
      const rendition = await fetch(url as string);
      expect(rendition.status).toBe(200);
      expect(rendition.headers.get('etag')).not.toContain(basel);
      const metadata = await sharp(Buffer.from(await rendition.arrayBuffer())).metadata();
      expect(metadata.width).toBeGreaterThan(0);
      expect([metadata.exif, metadata.xmp, metadata.iptc]).toEqual([undefined, undefined, undefined]);
    }
    expect(shared.items[0]?.downloadUrl).toBeUndefined();
  });

  it('links the original only when alice allowed downloads, through a redirect the link is checked for', async () => {
    const { token } = await share(`/images/${pier}`, { allowDownload: true });
    const item = ((await signedOut(token)).body as unknown as Shared).items[0];
    const redirect = await fetch(item?.downloadUrl as string, { redirect: 'manual' });
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get('cache-control')).toBe('no-store');
    const original = await fetch(item?.downloadUrl as string);
    expect(original.status).toBe(200);
    // The upload as it was: the fixture, and the 16 random bytes that made it a file of its own.
    const bytes = Buffer.from(await original.arrayBuffer());
    expect(bytes.subarray(0, -16)).toEqual(fixture('photos/pier.jpg'));
  });

  it('stops serving every URL a link handed out once it is revoked: its renditions and its original', async () => {
    const { token } = await share(`/images/${pier}`, { allowDownload: true });
    const item = ((await signedOut(token)).body as unknown as Shared).items[0];
    const urls = [item?.thumbnailUrl, item?.viewUrl, item?.downloadUrl] as string[];
    for (const url of urls) expect((await fetch(url, { redirect: 'manual' })).status).toBeLessThan(400);
    expect((await call(users.alice.token, 'DELETE', `/shares/${token}`)).status).toBe(204);
    for (const url of urls) expect((await fetch(url, { redirect: 'manual' })).status).toBe(410);
  });

  it("stops serving a link's URLs at its expiry: they expire with it", async () => {
    const expiresAt = new Date(Date.now() + 4000).toISOString();
    const { token } = await share(`/images/${pier}`, { expiresAt });
    const item = ((await signedOut(token)).body as unknown as Shared).items[0];
    expect((await fetch(item?.thumbnailUrl as string)).status).toBe(200);
    expect(Number(new URL(item?.thumbnailUrl as string).searchParams.get('exp'))).toBeLessThanOrEqual(
      Date.parse(expiresAt) / 1000,
    );
    const refused = await eventually('the URL to expire with its link', WAIT, async () => {
      const answer = await fetch(item?.thumbnailUrl as string);
      return answer.status === 200 ? undefined : answer;
    });
    expect([403, 410]).toContain(refused.status);
  });

  it('opens with the token in X-Share-Token at /shared/-, so no URL holds it; a missing one is a 404', async () => {
    const { token } = await share(`/images/${pier}`);
    const inHeader = await fetch(`${target.apiUrl}/shared/-`, { headers: { 'x-share-token': token } });
    expect(inHeader.status).toBe(200);
    expect(((await inHeader.json()) as Shared).items).toHaveLength(1);
    expect((await fetch(`${target.apiUrl}/shared/-`)).status).toBe(404);
  });

  it('answers 404 for an altered token and one never issued', async () => {
    const { token } = await share(`/images/${pier}`);
    const altered = `${token.slice(0, 10)}${token[10] === 'A' ? 'B' : 'A'}${token.slice(11)}`;
    expect((await signedOut(altered)).status).toBe(404);
    expect((await signedOut(randomBytes(32).toString('base64url'))).status).toBe(404);
    expect((await signedOut(token)).status).toBe(200);
  });

  it('no longer opens a link once revoked (410), nor once expired; refuses an expiry already past', async () => {
    const { token } = await share(`/albums/${albumId}`);
    expect((await call(users.alice.token, 'DELETE', `/shares/${token}`)).status).toBe(204);
    expect((await signedOut(token)).status).toBe(410);
    expect((await call(users.alice.token, 'DELETE', `/shares/${token}`)).status).toBe(204);
    const listed = (await call(users.alice.token, 'GET', '/shares?limit=100')).body as {
      items: { shareId: string; state: string }[];
    };
    expect(listed.items.find((one) => one.shareId === tokenHash(token).slice(0, 16))?.state).toBe('revoked');

    const past = await call(users.alice.token, 'POST', `/images/${pier}/shares`, {
      body: { expiresAt: '2020-01-01T00:00:00Z' },
    });
    expect(past.status).toBe(400);
    const soon = await share(`/images/${pier}`, { expiresAt: new Date(Date.now() + 3000).toISOString() });
    const gone = await eventually('the link to expire', WAIT, async () => {
      const opened = await signedOut(soon.token);
      return opened.status === 200 ? undefined : opened;
    });
    expect(gone.status).toBe(410);
  });

  it('opens a protected link only with its password', async () => {
    const { token } = await share(`/albums/${albumId}`, { password: 'harbour lights' });
    expect((await signedOut(token)).status).toBe(401);
    expect((await signedOut(token, 'harbour light')).status).toBe(401);
    const opened = await signedOut(token, 'harbour lights');
    expect(opened.status).toBe(200);
    expect((opened.body as unknown as Shared).items).toHaveLength(2);
  });

  it("lets bob share neither alice's album nor her photo (404), nor revoke or list her links", async () => {
    expect((await call(users.bob.token, 'POST', `/albums/${albumId}/shares`, { body: {} })).status).toBe(404);
    expect((await call(users.bob.token, 'POST', `/images/${pier}/shares`, { body: {} })).status).toBe(404);
    const { token, share: made } = await share(`/images/${pier}`);
    expect((await call(users.bob.token, 'DELETE', `/shares/${token}`)).status).toBe(404);
    expect((await call(users.bob.token, 'DELETE', `/shares/${made.shareId}`)).status).toBe(404);
    const his = (await call(users.bob.token, 'GET', '/shares?limit=100')).body as { items: { shareId: string }[] };
    expect(his.items.map((one) => one.shareId)).not.toContain(made.shareId);
    expect((await signedOut(token)).status).toBe(200);
  });

  it('answers the token and URL only when the link is made: alice lists it by its shareId, and revokes it so', async () => {
    const { token, url, share: made } = await share(`/albums/${albumId}`);
    const listed = await call(users.alice.token, 'GET', '/shares?limit=100');
    const items = (listed.body as { items: Record<string, unknown>[] }).items;
    expect(items.find((one) => one.shareId === made.shareId)).toMatchObject({ kind: 'album', state: 'active' });
    for (const item of items) expect(item).not.toHaveProperty('token');
    expect(JSON.stringify(listed.body)).not.toContain(token);
    expect(JSON.stringify(listed.body)).not.toContain(url);
    expect((await call(users.alice.token, 'DELETE', `/shares/${made.shareId}`)).status).toBe(204);
    expect((await signedOut(token)).status).toBe(410);
  });

  it("opens a smart album's link, each view shown its search's photos (run once: test/unit/albums/smart-pages)", async () => {
    const tag = `shared-${randomBytes(6).toString('hex')}`;
    const bytes = Buffer.concat([fixture('photos/kite.jpg'), randomBytes(16)]);
    const tagged = await alice.upload(bytes, { filename: 'kite.jpg', tags: [tag] });
    expect((await alice.waitForFinal(tagged, WAIT)).status).toBe('PROCESSED');
    const smart = await call(users.alice.token, 'POST', '/albums', { body: { name: 'Tagged', smart: { tag: [tag] } } });
    expect(smart.status).toBe(201);
    const { token } = await share(`/albums/${(smart.body as { albumId: string }).albumId}`);
    const views = [await signedOut(token), await signedOut(token), await signedOut(token)];
    expect(views.map((view) => view.status)).toEqual([200, 200, 200]);
    const sizes = views.map((view) => (view.body as unknown as Shared).items.map((item) => [item.width, item.height]));
    expect(sizes[0]).toHaveLength(1);
    expect(sizes).toEqual([sizes[0], sizes[0], sizes[0]]);
  });
});
