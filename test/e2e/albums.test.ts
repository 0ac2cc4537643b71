import { randomBytes } from 'node:crypto';
import { AlbumStore } from '../../lambdas/albums/album-store';
import type { AlbumAnswer } from '../../lambdas/albums/functions/albums-contract';
import { ImageApiClient } from '../../lambdas/cli/api-client';
import { fixture } from '../fixtures';
import { clientsFor, eventually } from './support';
import { loadTarget, usersOf } from './target';

/*
 * Albums on the target (the run's jwt runner): alice's album of two photos, which bob can neither read nor add to,
 * nor she fill with his; the trash, a restore and a purge seen through it; a smart album that finds a photo uploaded
 * after it was made. Each owner's images here are this file's own (random bytes after a real photo's end).
 */

const target = loadTarget();
const WAIT = target.timeoutSeconds * 1000;
jest.setTimeout(WAIT * 4);

const users = usersOf(target);
const as = (token: string) => new ImageApiClient(target.apiUrl, { bearerToken: token });
const alice = as(users.alice.token);
const bob = as(users.bob.token);

/** A request as a client sends it, answered with its status (the client library throws on an error). */
async function call(token: string, method: string, path: string, body?: unknown) {
  const response = await fetch(`${target.apiUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
}
const asAlice = (method: string, path: string, body?: unknown) => call(users.alice.token, method, path, body);
const asBob = (method: string, path: string, body?: unknown) => call(users.bob.token, method, path, body);

/** A processed photo of the caller's that no other file uploaded, tagged with `tags`. */
async function photo(api: ImageApiClient, name: string, tags: string[] = []): Promise<string> {
  const bytes = Buffer.concat([fixture(name), randomBytes(16)]);
  const imageId = await api.upload(bytes, { filename: name.split('/').pop(), tags });
  expect((await api.waitForFinal(imageId, WAIT)).status).toBe('PROCESSED');
  return imageId;
}

/** The ids of an album's images, every page. */
async function albumIds(albumId: string): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await asAlice('GET', `/albums/${albumId}?limit=1${cursor ? `&cursor=${cursor}` : ''}`);
    expect(page.status).toBe(200);
    const body = page.body as { items: { imageId: string }[]; cursor?: string };
    ids.push(...body.items.map((item) => item.imageId));
    cursor = body.cursor;
  } while (cursor);
  return ids.sort();
}

async function made(token: string, body: unknown): Promise<string> {
  const answer = await call(token, 'POST', '/albums', body);
  expect(answer.status).toBe(201);
  return (answer.body as { albumId: string }).albumId;
}

describe('albums, end to end', () => {
  let pier: string;
  let kite: string;
  let bobs: string;
  let albumId: string;

  beforeAll(async () => {
    [pier, kite, bobs] = await Promise.all([
      photo(alice, 'photos/pier.jpg'),
      photo(alice, 'photos/kite.jpg'),
      photo(bob, 'photos/kite.jpg'),
    ]);
    albumId = await made(users.alice.token, { name: 'Summer' });
  });

  it("holds alice's two photos, with their thumbnails, and her lists show it", async () => {
    const added = await asAlice('POST', `/albums/${albumId}/images`, { imageIds: [pier, kite, pier] });
    expect(added).toMatchObject({ status: 200, body: { added: 2, album: { albumId, name: 'Summer', count: 2 } } });
    expect(await albumIds(albumId)).toEqual([pier, kite].sort());
    const read = await asAlice('GET', `/albums/${albumId}`);
    const items = (read.body as { items: { thumbnails?: Record<string, string> }[] }).items;
    expect(items.every((item) => Object.keys(item.thumbnails ?? {}).length > 0)).toBe(true);
    // No cover set: the album shows its newest photo's thumbnail (added together, the later id sorts first), in its
    // list and on its page, and the link opens.
    const newest = [pier, kite].sort()[1] as string;
    const listedCover = ((await asAlice('GET', '/albums?limit=100')).body as { items: AlbumAnswer[] }).items.find(
      (one) => one.albumId === albumId,
    );
    expect(listedCover).not.toHaveProperty('coverImageId');
    expect(listedCover?.coverUrl).toContain(`/${newest}`);
    expect((read.body as { album: AlbumAnswer }).album.coverUrl).toContain(`/${newest}`);
    expect((await fetch(listedCover?.coverUrl as string)).status).toBe(200);
    const cover = await asAlice('PATCH', `/albums/${albumId}`, { coverImageId: pier, order: 'taken' });
    expect(cover.body).toMatchObject({ coverImageId: pier, order: 'taken', coverUrl: expect.any(String) });
    expect(await albumIds(albumId)).toEqual([pier, kite].sort());
    const listed = (await asAlice('GET', '/albums?limit=100')).body as { items: { albumId: string }[] };
    expect(listed.items.map((one) => one.albumId)).toContain(albumId);
    expect((await asAlice('GET', `/images/${pier}/albums`)).body).toEqual({ items: [{ albumId, name: 'Summer' }] });
  });

  it("lets bob neither read alice's album nor change it, nor add her photos to his, nor his to hers", async () => {
    for (const [method, path, body] of [
      ['GET', `/albums/${albumId}`],
      ['PATCH', `/albums/${albumId}`, { name: 'Mine' }],
      ['POST', `/albums/${albumId}/images`, { imageIds: [bobs] }],
      ['DELETE', `/albums/${albumId}/images`, { imageIds: [pier] }],
      ['DELETE', `/albums/${albumId}`],
      ['GET', `/images/${pier}/albums`],
    ] as const) {
      expect([method, path, (await asBob(method, path, body)).status]).toEqual([method, path, 404]);
    }
    const his = await made(users.bob.token, { name: 'Kites' });
    const refused = await asBob('POST', `/albums/${his}/images`, { imageIds: [bobs, pier] });
    expect(refused).toEqual({ status: 404, body: { message: `image ${pier} not found` } });
    expect(((await asBob('GET', `/albums/${his}`)).body as { items: unknown[] }).items).toEqual([]);
    expect((await asBob('GET', '/albums?limit=100')).body?.items).not.toContainEqual(
      expect.objectContaining({ albumId }),
    );
    // Alice's album is as she left it.
    expect(await albumIds(albumId)).toEqual([pier, kite].sort());
  });

  it('leaves a photo out while it is in the trash, shows it again once restored, and loses it when purged', async () => {
    await alice.delete(kite);
    expect(await albumIds(albumId)).toEqual([pier]);
    await alice.restore(kite);
    expect(await albumIds(albumId)).toEqual([pier, kite].sort());
    await alice.delete(kite, { permanently: true });
    expect(await albumIds(albumId)).toEqual([pier]);
    expect((await asAlice('GET', `/albums/${albumId}`)).body?.album).toMatchObject({ count: 1 });
  });

  it('a smart album lists a photo uploaded after it was made', async () => {
    const tag = `album-${randomBytes(6).toString('hex')}`;
    const smart = await made(users.alice.token, { name: 'Tagged', smart: { tag: [tag] } });
    expect(await albumIds(smart)).toEqual([]);
    const later = await photo(alice, 'photos/pier.jpg', [tag]);
    const found = await eventually('the smart album to list the new photo', WAIT, async () => {
      const ids = await albumIds(smart);
      return ids.includes(later) ? ids : undefined;
    });
    expect(found).toEqual([later]);
    // Its images are its search's: none are added by hand.
    expect((await asAlice('POST', `/albums/${smart}/images`, { imageIds: [pier] })).status).toBe(409);
  });

  it("deletes an album: it is gone, its photos stay, its members go once the deleted albums' queue drains", async () => {
    if (!target.albumsTable) throw new Error('set E2E_ALBUMS_TABLE (the AlbumsTableName output) for this check');
    const store = new AlbumStore(clientsFor(target).dynamodb, target.albumsTable);
    expect(await store.albumIdsOf(pier)).toContain(albumId);
    expect((await asAlice('DELETE', `/albums/${albumId}`)).status).toBe(204);
    expect((await asAlice('GET', `/albums/${albumId}`)).status).toBe(404);
    expect((await asAlice('GET', `/images/${pier}/albums`)).body).toEqual({ items: [] });
    expect(await alice.get(pier)).toMatchObject({ imageId: pier });
    // The request deleted the album; delete-album-members, fed by its queue, deletes the membership.
    await eventually("the deleted album's member to be deleted", WAIT, async () =>
      (await store.albumIdsOf(pier)).includes(albumId) ? undefined : true,
    );
  });
});
