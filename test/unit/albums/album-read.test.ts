import type { AlbumReadDeps } from '../../../lambdas/albums/functions/album-read';
import { getAlbum } from '../../../lambdas/albums/functions/album-read';
import type { Album } from '../../../lambdas/albums/schemas';
import type { SearchQuery } from '../../../lambdas/search/index-port';

/*
 * A smart album read: its saved search is GET /images's, run as the album's owner (never as an admin reading it, who
 * would see every owner's), from the page's cursor; a manual album's page is its members'.
 */

const IMAGE = '01JA0000000000000000000001';
const SMART: Album = {
  albumId: 'al_00000000000000000001',
  owner: 'alice',
  name: 'Beach',
  kind: 'smart',
  smart: { q: 'Beach days', tag: ['trip'] },
  order: 'added',
  count: 0,
  createdAt: '2026-11-28T08:00:00.000Z',
  updatedAt: '2026-11-28T08:00:00.000Z',
};

function deps(album: Album, searches: SearchQuery[]): AlbumReadDeps {
  return {
    albums: { get: async (id) => (id === album.albumId ? album : undefined), memberPage: async () => ({ ids: [] }) },
    images: { summaries: async () => new Map() },
    links: { sign: async (keys) => keys, keysOf: () => ({}) },
    coverUrl: async (id) => id,
    list: {
      // Photos in no stack: the search's page comes back as it is.
      store: { stacking: async () => new Map() } as unknown as AlbumReadDeps['list']['store'],
      search: async (query) => {
        searches.push(query as SearchQuery);
        return {
          items: [
            {
              imageId: IMAGE,
              summary: { status: 'PROCESSED', createdAt: SMART.createdAt, updatedAt: SMART.createdAt },
            },
          ],
          cursor: 'next',
        } as never;
      },
      links: { sign: async (keys) => keys, keysOf: () => ({}) },
    },
  };
}

describe("a manual album read's cover", () => {
  const MANUAL: Album = { ...SMART, kind: 'manual', smart: undefined, name: 'Trip', count: 2 };
  const withMembers = (refs: boolean): AlbumReadDeps => ({
    ...deps(MANUAL, []),
    albums: {
      get: async () => MANUAL,
      memberPage: async (_id, _order, asked) => ({ ids: [IMAGE].slice(0, asked.limit) }),
    },
    ...(refs && {
      refs: {
        refsOf: async (ids: readonly string[]) =>
          new Map(ids.map((imageId) => [imageId, { imageId, owner: 'alice', status: 'PROCESSED' }])),
      },
    }),
  });

  it('is its newest image when it has none set (GET /albums/{id})', async () => {
    const read = await getAlbum(MANUAL.albumId, { limit: 5 }, { owner: 'alice', admin: false }, withMembers(true));
    expect(read.album).toMatchObject({ coverUrl: IMAGE });
    expect(read.album).not.toHaveProperty('coverImageId');
  });

  it("is its newest image, not its own, once its own is another owner's (GET /albums/{id})", async () => {
    const OTHER = '01JA0000000000000000000002';
    const covered = withMembers(true);
    const read = await getAlbum(
      MANUAL.albumId,
      { limit: 5 },
      { owner: 'alice', admin: false },
      {
        ...covered,
        albums: { ...covered.albums, get: async () => ({ ...MANUAL, coverImageId: OTHER }) },
        refs: {
          refsOf: async (ids) =>
            new Map(
              ids.map((imageId) => [
                imageId,
                { imageId, owner: imageId === OTHER ? 'bob' : 'alice', status: 'PROCESSED' },
              ]),
            ),
        },
      },
    );
    expect(read.album).toMatchObject({ coverUrl: IMAGE });
    expect(read.album).not.toHaveProperty('coverImageId');
  });

  it('is none without the records to check it by (a shared page, which shows no cover)', async () => {
    const read = await getAlbum(MANUAL.albumId, { limit: 5 }, { owner: 'alice', admin: false }, withMembers(false));
    expect(read.album).not.toHaveProperty('coverUrl');
  });
});

describe('a smart album read', () => {
  it("runs its search as its owner, from the page's cursor, and answers the search's page", async () => {
    const searches: SearchQuery[] = [];
    const read = await getAlbum(
      SMART.albumId,
      { limit: 5, cursor: 'abc' },
      { owner: 'root', admin: true },
      deps(SMART, searches),
    );
    expect(searches).toHaveLength(1);
    expect(searches[0]).toMatchObject({
      owner: 'alice',
      limit: 5,
      cursor: 'abc',
      filters: { q: ['beach', 'days'], tag: ['trip'] },
    });
    expect(read).toMatchObject({
      album: { albumId: SMART.albumId, kind: 'smart' },
      items: [{ imageId: IMAGE }],
      cursor: 'next',
    });
    expect(read.album).not.toHaveProperty('owner');
  });

  it("is another owner's album to anyone else: a 404, and nothing searched", async () => {
    const searches: SearchQuery[] = [];
    await expect(
      getAlbum(SMART.albumId, { limit: 5 }, { owner: 'bob', admin: false }, deps(SMART, searches)),
    ).rejects.toMatchObject({ statusCode: 404 });
    expect(searches).toEqual([]);
  });
});
