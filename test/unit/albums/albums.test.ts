import { albumPage } from '../../../lambdas/albums/album-pages';
import type { AlbumChange, NewMember, PageAsked } from '../../../lambdas/albums/album-store';
import {
  type AlbumsDeps,
  addAlbumImages,
  COVER_LOOKAHEAD,
  createAlbum,
  deleteAlbum,
  imageAlbums,
  listAlbums,
  removeAlbumImages,
  updateAlbum,
} from '../../../lambdas/albums/albums';
import type { DeletedAlbumMessage, DeletedAlbumsQueue } from '../../../lambdas/albums/deleted-albums';
import type { ImageRef } from '../../../lambdas/albums/image-refs';
import type { Album } from '../../../lambdas/albums/schemas';
import type { Caller } from '../../../lambdas/store/owner';
import { refusal } from '../../support/errors';

/*
 * The album use cases on an in-memory store: who may see and change an album and add which images to it (another
 * owner's album or image is a 404, as if it did not exist), what a smart album refuses, and a page's visible images.
 */

const ALICE: Caller = { owner: 'alice', admin: false };
const BOB: Caller = { owner: 'bob', admin: false };
const ADMIN: Caller = { owner: 'root', admin: true };
const [A1, A2, A3, B1] = [
  '01JA0000000000000000000001',
  '01JA0000000000000000000002',
  '01JA0000000000000000000003',
  '01JB0000000000000000000001',
];

/** The store's behaviour as album-store.ts has it against DynamoDB (test/integration/albums/album-store.test.ts). */
class MemoryAlbums {
  readonly albums = new Map<string, Album>();
  readonly members = new Map<string, Map<string, { addedAt: string; takenKey: string }>>();

  async create(album: Album) {
    this.albums.set(album.albumId, { ...album });
    this.members.set(album.albumId, new Map());
  }
  async get(albumId: string) {
    const album = this.albums.get(albumId);
    return album && { ...album };
  }
  async getMany(albumIds: readonly string[]) {
    return albumIds.flatMap((id) => (this.albums.has(id) ? [{ ...(this.albums.get(id) as Album) }] : []));
  }
  async listOf(owner: string, asked: PageAsked) {
    const items = [...this.albums.values()].filter((album) => album.owner === owner).reverse();
    return { items: items.slice(0, asked.limit) };
  }
  async update(albumId: string, change: AlbumChange, updatedAt: string) {
    const album = { ...(this.albums.get(albumId) as Album), ...change, updatedAt };
    this.albums.set(albumId, album);
    return album;
  }
  /** As the store's: the album and its count; the members stay for the deleted albums' queue. */
  async delete(album: Album) {
    return this.albums.delete(album.albumId);
  }
  async membersAmong(albumId: string, imageIds: readonly string[]) {
    return new Set(imageIds.filter((id) => this.members.get(albumId)?.has(id)));
  }
  async addMembers(albumId: string, members: readonly NewMember[], addedAt: string) {
    for (const { imageId, takenKey } of members) this.members.get(albumId)?.set(imageId, { addedAt, takenKey });
    (this.albums.get(albumId) as Album).count += members.length;
    return members.length;
  }
  async removeMembers(albumId: string, imageIds: readonly string[]) {
    for (const id of imageIds) this.members.get(albumId)?.delete(id);
    (this.albums.get(albumId) as Album).count -= imageIds.length;
    return imageIds.length;
  }
  async albumIdsOf(imageId: string) {
    return [...this.members.entries()].filter(([, members]) => members.has(imageId)).map(([albumId]) => albumId);
  }
  async clearCover(albumId: string, imageId: string) {
    const album = this.albums.get(albumId);
    if (album?.coverImageId === imageId) delete album.coverImageId;
  }
  /** Pages asked, as `<albumId> <limit>`. */
  readonly pages: string[] = [];
  async memberPage(albumId: string, _order: string, asked: PageAsked) {
    this.pages.push(`${albumId} ${asked.limit}`);
    return { ids: [...(this.members.get(albumId)?.keys() ?? [])].reverse().slice(0, asked.limit) };
  }
}

function setup() {
  const records: Record<string, ImageRef> = {
    [A1]: { imageId: A1, owner: 'alice', status: 'PROCESSED', takenKey: `2020-01-01T00:00:00#${A1}` },
    [A2]: { imageId: A2, owner: 'alice', status: 'PROCESSED', takenKey: `2021-01-01T00:00:00#${A2}` },
    [A3]: { imageId: A3, owner: 'alice', status: 'TRASHED', takenKey: `2022-01-01T00:00:00#${A3}` },
    [B1]: { imageId: B1, owner: 'bob', status: 'PROCESSED', takenKey: `2020-01-01T00:00:00#${B1}` },
  };
  const albums = new MemoryAlbums();
  const sent: DeletedAlbumMessage[] = [];
  const deps: AlbumsDeps & { deletedAlbums: DeletedAlbumsQueue } = {
    albums,
    refs: {
      refsOf: async (ids) => new Map(ids.flatMap((id) => (records[id] ? [[id, records[id]] as const] : []))),
    },
    coverUrl: async (imageId) => `https://thumbs.example/${imageId}`,
    now: () => new Date('2026-11-28T08:00:00.000Z'),
    deletedAlbums: { send: async (message) => void sent.push(message) },
  };
  return { albums, deps, records, sent };
}

describe('albums', () => {
  it("makes an album for its caller, answered without its owner, and lists only the caller's", async () => {
    const { deps } = setup();
    const made = await createAlbum({ name: 'Trip' }, ALICE, deps);
    expect(made).toMatchObject({ name: 'Trip', kind: 'manual', order: 'added', count: 0 });
    expect(made.albumId).toMatch(/^al_[0-9a-f]{20}$/);
    expect(made).not.toHaveProperty('owner');
    await createAlbum({ name: 'Bob' }, BOB, deps);
    expect((await listAlbums({ limit: 10 }, ALICE, deps)).items.map((one) => one.name)).toEqual(['Trip']);
  });

  it('a smart album keeps its search and refuses the taken order and images added by hand', async () => {
    const { deps } = setup();
    const smart = await createAlbum({ name: 'Beach', smart: { q: 'beach' } }, ALICE, deps);
    expect(smart).toMatchObject({ kind: 'smart', smart: { q: 'beach' } });
    await expect(createAlbum({ name: 'x', smart: { q: 'beach' }, order: 'taken' }, ALICE, deps)).rejects.toMatchObject({
      statusCode: 400,
    });
    await expect(addAlbumImages(smart.albumId, [A1], ALICE, deps)).rejects.toMatchObject({ statusCode: 409 });
  });

  it("adds the owner's images once each, and answers the album with its count", async () => {
    const { deps } = setup();
    const { albumId } = await createAlbum({ name: 'Trip' }, ALICE, deps);
    expect((await addAlbumImages(albumId, [A1, A2, A1], ALICE, deps)).added).toBe(2);
    const again = await addAlbumImages(albumId, [A2], ALICE, deps);
    expect([again.added, again.album.count]).toEqual([0, 2]);
  });

  it("refuses another owner's image as not found, naming it, and adds none of the others", async () => {
    const { deps, albums } = setup();
    const { albumId } = await createAlbum({ name: 'Trip' }, ALICE, deps);
    await expect(addAlbumImages(albumId, [A1, B1], ALICE, deps)).rejects.toMatchObject({
      statusCode: 404,
      message: `image ${B1} not found`,
    });
    expect(albums.members.get(albumId)?.size).toBe(0);
    await expect(addAlbumImages(albumId, [A3], ALICE, deps)).rejects.toMatchObject({ statusCode: 409 });
  });

  it("answers another owner's album as not found, to every route, and leaves it as it was", async () => {
    const { deps, albums } = setup();
    const { albumId } = await createAlbum({ name: 'Trip' }, ALICE, deps);
    await addAlbumImages(albumId, [A1], ALICE, deps);
    const refused = [
      addAlbumImages(albumId, [B1], BOB, deps),
      removeAlbumImages(albumId, [A1], BOB, deps),
      updateAlbum(albumId, { name: 'Mine' }, BOB, deps),
      deleteAlbum(albumId, BOB, deps),
    ];
    for (const call of refused) await expect(call).rejects.toMatchObject({ statusCode: 404 });
    expect(albums.albums.get(albumId)).toMatchObject({ name: 'Trip', count: 1 });
    // An admin may: with the album owner's images only.
    await expect(addAlbumImages(albumId, [B1], ADMIN, deps)).rejects.toMatchObject({ statusCode: 404 });
    expect((await addAlbumImages(albumId, [A2], ADMIN, deps)).added).toBe(1);
  });

  it('sets a cover only from the album, links it, and takes it off with its image', async () => {
    const { deps } = setup();
    const { albumId } = await createAlbum({ name: 'Trip' }, ALICE, deps);
    await addAlbumImages(albumId, [A1], ALICE, deps);
    await expect(updateAlbum(albumId, { coverImageId: A2 }, ALICE, deps)).rejects.toMatchObject({ statusCode: 400 });
    await expect(updateAlbum(albumId, { coverImageId: B1 }, ALICE, deps)).rejects.toMatchObject({ statusCode: 404 });
    const changed = await updateAlbum(albumId, { coverImageId: A1, name: 'Summer' }, ALICE, deps);
    expect(changed).toMatchObject({ name: 'Summer', coverImageId: A1, coverUrl: `https://thumbs.example/${A1}` });
    // Taken out of the album, it is its cover no more.
    const emptied = await removeAlbumImages(albumId, [A1], ALICE, deps);
    expect(emptied.album).not.toHaveProperty('coverImageId');
    expect(emptied.album).not.toHaveProperty('coverUrl');
  });

  it('removes only members, and lists an image in its albums by name (its owner only)', async () => {
    const { deps } = setup();
    const trip = await createAlbum({ name: 'Trip' }, ALICE, deps);
    const art = await createAlbum({ name: 'Art' }, ALICE, deps);
    for (const album of [trip, art]) await addAlbumImages(album.albumId, [A1, A2], ALICE, deps);
    expect((await removeAlbumImages(trip.albumId, [A2, B1], ALICE, deps)).removed).toBe(1);
    expect((await imageAlbums(A1, ALICE, deps)).items.map((one) => one.name)).toEqual(['Art', 'Trip']);
    expect((await imageAlbums(A2, ALICE, deps)).items.map((one) => one.name)).toEqual(['Art']);
    await expect(imageAlbums(A1, BOB, deps)).rejects.toMatchObject({ statusCode: 404 });
  });

  it("deletes an album: it is gone, its members handed to the deleted albums' queue, the images stay", async () => {
    const { deps, records, sent, albums } = setup();
    const { albumId } = await createAlbum({ name: 'Trip' }, ALICE, deps);
    await addAlbumImages(albumId, [A1], ALICE, deps);
    await deleteAlbum(albumId, ALICE, deps);
    expect(sent).toEqual([{ albumId }]);
    // The request deleted none: the queue's consumer does (deleted-albums.test.ts).
    expect(albums.members.get(albumId)?.size).toBe(1);
    await expect(deleteAlbum(albumId, ALICE, deps)).rejects.toMatchObject({ statusCode: 404 });
    expect(sent).toHaveLength(1);
    expect((await imageAlbums(A1, ALICE, deps)).items).toEqual([]);
    expect(records[A1]).toBeDefined();
  });
});

describe("an album's cover", () => {
  it('is, with none set, the newest image of a manual album, one Query of a single member per album', async () => {
    const { deps, albums } = setup();
    const trip = await createAlbum({ name: 'Trip' }, ALICE, deps);
    await addAlbumImages(trip.albumId, [A1], ALICE, deps);
    await addAlbumImages(trip.albumId, [A2], ALICE, deps);
    const empty = await createAlbum({ name: 'Empty' }, ALICE, deps);
    const smart = await createAlbum({ name: 'Beach', smart: { q: 'beach' } }, ALICE, deps);
    albums.pages.length = 0;
    const { items } = await listAlbums({ limit: 10 }, ALICE, deps);
    const covers = Object.fromEntries(items.map((album) => [album.name, album.coverUrl]));
    expect(covers).toEqual({ Trip: `https://thumbs.example/${A2}`, Empty: undefined, Beach: undefined });
    // The album keeps no cover of its own; an empty or a smart album reads no member.
    expect(items.find((album) => album.name === 'Trip')).not.toHaveProperty('coverImageId');
    expect(albums.pages).toEqual([`${trip.albumId} 1`]);
    expect([empty.albumId, smart.albumId].some((id) => albums.pages.join().includes(id))).toBe(false);
  });

  it('is the one set when there is one, reading no member', async () => {
    const { deps, albums } = setup();
    const { albumId } = await createAlbum({ name: 'Trip' }, ALICE, deps);
    await addAlbumImages(albumId, [A1, A2], ALICE, deps);
    await updateAlbum(albumId, { coverImageId: A1 }, ALICE, deps);
    albums.pages.length = 0;
    const [listed] = (await listAlbums({ limit: 10 }, ALICE, deps)).items;
    expect(listed).toMatchObject({ coverImageId: A1, coverUrl: `https://thumbs.example/${A1}` });
    expect(albums.pages).toEqual([]);
  });

  it('is not its own once an admin gave that photo to another owner, or while it is in the trash', async () => {
    const { deps, records } = setup();
    const { albumId } = await createAlbum({ name: 'Trip' }, ALICE, deps);
    await addAlbumImages(albumId, [A2, A1], ALICE, deps);
    await updateAlbum(albumId, { coverImageId: A2 }, ALICE, deps);
    const listed = async () => (await listAlbums({ limit: 10 }, ALICE, deps)).items[0];
    // Re-owned to bob (PUT /images/{id}/owner): the album shows what one without a cover shows, its newest image.
    records[A2] = { ...(records[A2] as ImageRef), owner: 'bob' };
    expect(await listed()).toMatchObject({ coverUrl: `https://thumbs.example/${A1}` });
    expect(await listed()).not.toHaveProperty('coverImageId');
    // Nor is it linked by a route that changes the album.
    const renamed = await updateAlbum(albumId, { name: 'Summer' }, ALICE, deps);
    expect(renamed).not.toHaveProperty('coverUrl');
    expect(renamed).not.toHaveProperty('coverImageId');
    records[A2] = { ...(records[A2] as ImageRef), owner: 'alice', status: 'TRASHED' };
    expect((await listed())?.coverUrl).toBe(`https://thumbs.example/${A1}`);
    // Back with its owner, out of the trash: the album's own cover again, which it kept.
    records[A2] = { ...(records[A2] as ImageRef), status: 'PROCESSED' };
    expect(await listed()).toMatchObject({ coverImageId: A2, coverUrl: `https://thumbs.example/${A2}` });
  });

  it('reads the covers of a page of albums in one BatchGetItem, and no member while each is shown', async () => {
    const { deps, albums } = setup();
    let batches = 0;
    const refsOf = deps.refs.refsOf;
    for (const name of ['One', 'Two', 'Three']) {
      const { albumId } = await createAlbum({ name }, ALICE, deps);
      await addAlbumImages(albumId, [A1], ALICE, deps);
      await updateAlbum(albumId, { coverImageId: A1 }, ALICE, deps);
    }
    deps.refs = {
      refsOf: async (ids) => {
        batches++;
        return refsOf(ids);
      },
    };
    albums.pages.length = 0;
    const { items } = await listAlbums({ limit: 10 }, ALICE, deps);
    expect(items.map((album) => album.coverImageId)).toEqual([A1, A1, A1]);
    expect([batches, albums.pages]).toEqual([1, []]);
  });

  it("is the next image shown while the newest is in the trash, or no longer the owner's; none with none shown", async () => {
    const { deps, records } = setup();
    const { albumId } = await createAlbum({ name: 'Trip' }, ALICE, deps);
    await addAlbumImages(albumId, [A1, A2], ALICE, deps);
    const cover = async () => (await listAlbums({ limit: 10 }, ALICE, deps)).items[0]?.coverUrl;
    records[A2] = { ...(records[A2] as ImageRef), status: 'TRASHED' };
    expect(await cover()).toBe(`https://thumbs.example/${A1}`);
    records[A2] = { ...(records[A2] as ImageRef), status: 'PROCESSED', owner: 'bob' };
    expect(await cover()).toBe(`https://thumbs.example/${A1}`);
    records[A2] = { ...(records[A2] as ImageRef), owner: 'alice' };
    expect(await cover()).toBe(`https://thumbs.example/${A2}`);
    for (const id of [A1, A2]) records[id] = { ...(records[id] as ImageRef), status: 'TRASHED' };
    expect(await cover()).toBeUndefined();
  });

  it(`looks at most ${COVER_LOOKAHEAD} images past a hidden newest one, in one more Query and BatchGetItem`, async () => {
    const { deps, records, albums } = setup();
    const { albumId } = await createAlbum({ name: 'Trip' }, ALICE, deps);
    const ids = Array.from({ length: COVER_LOOKAHEAD + 1 }, (_, n) => `${A1.slice(0, -2)}${String(n + 10)}`);
    for (const id of ids) records[id] = { ...(records[A1] as ImageRef), imageId: id };
    await addAlbumImages(albumId, ids, ALICE, deps);
    const order = (await albums.memberPage(albumId, 'added', { limit: ids.length + 1 })).ids;
    const cover = async () => (await listAlbums({ limit: 10 }, ALICE, deps)).items[0]?.coverUrl;
    // All but the oldest in the trash: it is the eleventh, past the look-ahead.
    for (const id of order.slice(0, COVER_LOOKAHEAD)) records[id] = { ...(records[id] as ImageRef), status: 'TRASHED' };
    expect(await cover()).toBeUndefined();
    records[order[COVER_LOOKAHEAD - 1] as string] = {
      ...(records[A1] as ImageRef),
      imageId: order[COVER_LOOKAHEAD - 1] as string,
    };
    albums.pages.length = 0;
    expect(await cover()).toBe(`https://thumbs.example/${order[COVER_LOOKAHEAD - 1]}`);
    expect(albums.pages).toEqual([`${albumId} 1`, `${albumId} ${COVER_LOOKAHEAD}`]);
  });
});

describe('a page of an album', () => {
  it('leaves out images in the trash, purged, or no longer the album owner’s', async () => {
    const { deps, albums } = setup();
    const { albumId } = await createAlbum({ name: 'Trip' }, ALICE, deps);
    await addAlbumImages(albumId, [A1, A2], ALICE, deps);
    const album = (await albums.get(albumId)) as Album;
    const status: Record<string, { owner: string; status: string } | undefined> = {
      [A1]: { owner: 'alice', status: 'PROCESSED' },
      [A2]: { owner: 'alice', status: 'PROCESSED' },
    };
    const images = {
      summaries: async (ids: readonly string[]) =>
        new Map(ids.flatMap((id) => (status[id] ? [[id, { ...status[id], width: 4 }] as const] : []))),
    } as unknown as Parameters<typeof albumPage>[2]['images'];
    const visible = async () =>
      (await albumPage(album, { limit: 10 }, { albums, images })).items.map((one) => one.imageId);
    expect((await visible()).sort()).toEqual([A1, A2]);
    status[A2] = { owner: 'alice', status: 'TRASHED' };
    expect(await visible()).toEqual([A1]);
    status[A2] = { owner: 'alice', status: 'PROCESSED' };
    expect((await visible()).sort()).toEqual([A1, A2]);
    status[A1] = { owner: 'bob', status: 'PROCESSED' };
    status[A2] = undefined;
    expect(await visible()).toEqual([]);
  });
});

describe('a photo in the locked folder (issue 80)', () => {
  const lock = (records: Record<string, ImageRef>, id: string, locked = true) => {
    records[id] = { ...(records[id] as ImageRef), locked };
  };

  it("is left out of the album's page, and back once unlocked", async () => {
    const { deps, albums } = setup();
    const { albumId } = await createAlbum({ name: 'Trip' }, ALICE, deps);
    await addAlbumImages(albumId, [A1, A2], ALICE, deps);
    const album = (await albums.get(albumId)) as Album;
    const locked = new Set([A2]);
    const images = {
      summaries: async (ids: readonly string[]) =>
        new Map(
          ids.map((id) => [
            id,
            { owner: 'alice', status: 'PROCESSED', width: 4, ...(locked.has(id) && { locked: true }) },
          ]),
        ),
    } as unknown as Parameters<typeof albumPage>[2]['images'];
    const visible = async () =>
      (await albumPage(album, { limit: 10 }, { albums, images })).items.map((one) => one.imageId);
    expect(await visible()).toEqual([A1]);
    locked.clear();
    expect((await visible()).sort()).toEqual([A1, A2]);
  });

  it('is not the cover its owner set, nor the newest image shown in its place: the next one shown is', async () => {
    const { deps, records } = setup();
    const { albumId } = await createAlbum({ name: 'Trip' }, ALICE, deps);
    await addAlbumImages(albumId, [A1, A2], ALICE, deps);
    await updateAlbum(albumId, { coverImageId: A2 }, ALICE, deps);
    const listed = async () => (await listAlbums({ limit: 10 }, ALICE, deps)).items[0];
    lock(records, A2);
    // Its own cover locked: the newest image stands in, and that is A2 too (added last): the next one shown, A1.
    expect(await listed()).toMatchObject({ coverUrl: `https://thumbs.example/${A1}` });
    expect(await listed()).not.toHaveProperty('coverImageId');
    lock(records, A2, false);
    lock(records, A1);
    await updateAlbum(albumId, { coverImageId: A2 }, ALICE, deps);
    expect(await listed()).toMatchObject({ coverImageId: A2, coverUrl: `https://thumbs.example/${A2}` });
    // A route that changes the album does not link a locked cover either.
    lock(records, A2);
    const renamed = await updateAlbum(albumId, { name: 'Summer' }, ALICE, deps);
    expect(renamed).not.toHaveProperty('coverUrl');
  });

  it('cannot be made the cover, nor added: a 404, as its GET without an unlock token', async () => {
    const { deps, records } = setup();
    const { albumId } = await createAlbum({ name: 'Trip' }, ALICE, deps);
    await addAlbumImages(albumId, [A1], ALICE, deps);
    lock(records, A1);
    const cover = await refusal(updateAlbum(albumId, { coverImageId: A1 }, ALICE, deps));
    expect([cover.statusCode, cover.message]).toEqual([404, `image ${A1} not found`]);
    lock(records, A2);
    const added = await refusal(addAlbumImages(albumId, [A2], ALICE, deps));
    expect([added.statusCode, added.message]).toEqual([404, `image ${A2} not found`]);
    expect((await listAlbums({ limit: 10 }, ALICE, deps)).items[0]?.count).toBe(1);
  });

  it('has no albums to list: GET /images/{id}/albums is a 404, as its GET without an unlock token', async () => {
    const { deps, records } = setup();
    const { albumId } = await createAlbum({ name: 'Trip' }, ALICE, deps);
    await addAlbumImages(albumId, [A1], ALICE, deps);
    expect((await imageAlbums(A1, ALICE, deps)).items).toEqual([{ albumId, name: 'Trip' }]);
    lock(records, A1);
    expect((await refusal(imageAlbums(A1, ALICE, deps))).statusCode).toBe(404);
  });
});
