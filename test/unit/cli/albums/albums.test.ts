import {
  ALBUMS_EXIT,
  type AlbumAnswer,
  changeAlbumImagesCommand,
  createAlbumCommand,
  deleteAlbumCommand,
  listAlbumsCommand,
  showAlbumCommand,
} from '../../../../lambdas/cli/albums/albums';
import { albumOrder, smartQueryOf } from '../../../../lambdas/cli/albums/command';
import { ApiError } from '../../../../lambdas/cli/api-client';
import { main } from '../../../../lambdas/cli/main';
import { fakeApi } from '../fake-api';

const FLAGS = { api: 'http://localhost:3000' };
const ALBUM: AlbumAnswer = {
  albumId: 'al_0123456789abcdefghij',
  name: 'Holiday',
  kind: 'manual',
  order: 'added',
  count: 2,
  createdAt: '2026-01-02T03:04:05.000Z',
  updatedAt: '2026-01-02T03:04:05.000Z',
};

describe('albums arguments', () => {
  it('makes a smart search of words and filters: words join as q, a repeatable filter is a list', () => {
    expect(
      smartQueryOf([
        ['q', 'beach'],
        ['label', 'dog'],
        ['q', 'sunset'],
        ['label', 'cat'],
        ['color', 'red'],
        ['tag', 'summer'],
      ]),
    ).toEqual({ q: 'beach sunset', label: ['dog', 'cat'], color: 'red', tag: ['summer'] });
  });

  it('takes added or taken as an order, nothing else', () => {
    expect(albumOrder('taken')).toBe('taken');
    expect(() => albumOrder('name')).toThrow('must be added or taken');
  });

  it('is a usage error (2) without an album name', async () => {
    const write = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(await main(['albums', 'create', '--api', FLAGS.api])).toBe(ALBUMS_EXIT.usage);
    } finally {
      write.mockRestore();
    }
  });
});

describe('albums commands', () => {
  it('lists every page of albums as a table: name, photos (smart for a smart one), order, id', async () => {
    const smart: AlbumAnswer = { ...ALBUM, albumId: 'al_smart', name: 'Dogs', kind: 'smart', order: 'taken' };
    const fake = fakeApi((_m, path) =>
      path.includes('cursor=') ? { items: [smart] } : { items: [ALBUM], cursor: 'next page' },
    );
    expect(await listAlbumsCommand(FLAGS, fake.io)).toBe(ALBUMS_EXIT.ok);
    expect(fake.calls.map(([, path]) => path)).toEqual(['/albums?limit=100', '/albums?limit=100&cursor=next+page']);
    expect(fake.out).toEqual([
      'NAME     PHOTOS  ORDER       ALBUM-ID',
      `Holiday  2       added       ${ALBUM.albumId}`,
      'Dogs     smart   date taken  al_smart',
    ]);
  });

  it('says there are none, and how to make one', async () => {
    const fake = fakeApi(() => ({ items: [] }));
    await listAlbumsCommand(FLAGS, fake.io);
    expect(fake.out).toEqual(['No albums (image-intel albums create NAME makes one).']);
  });

  it('creates with the name, the smart search and the order given, and only those', async () => {
    const fake = fakeApi(() => ALBUM);
    await createAlbumCommand({ name: 'Holiday' }, FLAGS, fake.io);
    expect(fake.calls).toEqual([['POST', '/albums', { name: 'Holiday' }]]);
    expect(fake.out).toEqual([`Created ${ALBUM.albumId} “Holiday”`]);
  });

  it('shows the album, then its photos, and says when more are left', async () => {
    const fake = fakeApi(() => ({
      album: ALBUM,
      items: [{ imageId: 'img1', filename: 'kite.jpg', takenAt: '2025-06-01T10:00:00Z' }],
      cursor: 'more',
    }));
    expect(await showAlbumCommand(ALBUM.albumId, { ...FLAGS, limit: 1 }, fake.io)).toBe(ALBUMS_EXIT.ok);
    expect(fake.calls.map(([, path]) => path)).toEqual([`/albums/${ALBUM.albumId}?limit=1`]);
    expect(fake.out).toContain('  photos:   2 photos');
    expect(fake.out.at(-1)).toBe('2025-06-01T10:00:00Z  kite.jpg  img1');
    expect(fake.err).toEqual(['more photos not shown: --limit N for more']);
  });

  it('adds 100 ids a request, each once, and says how many were already in it', async () => {
    const ids = Array.from({ length: 150 }, (_, n) => `img${n}`);
    let count = 0;
    const fake = fakeApi((_m, _p, body) => {
      const added = (body as { imageIds: string[] }).imageIds.length - 1;
      count += added;
      return { added, album: { ...ALBUM, count } };
    });
    await changeAlbumImagesCommand('add', ALBUM.albumId, [...ids, 'img0'], FLAGS, fake.io);
    expect(
      fake.calls.map(([method, path, body]) => [method, path, (body as { imageIds: string[] }).imageIds.length]),
    ).toEqual([
      ['POST', `/albums/${ALBUM.albumId}/images`, 100],
      ['POST', `/albums/${ALBUM.albumId}/images`, 50],
    ]);
    expect(fake.out).toEqual(['Added 148 photos to “Holiday” (2 already in it): it holds 148 photos']);
  });

  it('removes with DELETE and a body', async () => {
    const fake = fakeApi(() => ({ removed: 1, album: { ...ALBUM, count: 1 } }));
    await changeAlbumImagesCommand('remove', ALBUM.albumId, ['img1'], FLAGS, fake.io);
    expect(fake.calls).toEqual([['DELETE', `/albums/${ALBUM.albumId}/images`, { imageIds: ['img1'] }]]);
    expect(fake.out).toEqual(['Removed 1 photo from “Holiday”: it holds 1 photo']);
  });

  it("says the API's refusal on stderr and exits 1; 3 when the API cannot be reached", async () => {
    const refused = fakeApi(() => {
      throw new ApiError(404, 'DELETE /albums/al_x: 404 album al_x not found');
    });
    expect(await deleteAlbumCommand('al_x', FLAGS, refused.io)).toBe(ALBUMS_EXIT.refused);
    expect(refused.err).toEqual(['DELETE /albums/al_x: 404 album al_x not found']);
    const away = fakeApi(() => {
      throw Object.assign(new TypeError('fetch failed'), { cause: new Error('connect ECONNREFUSED 127.0.0.1:3000') });
    });
    expect(await deleteAlbumCommand('al_x', FLAGS, away.io)).toBe(ALBUMS_EXIT.unreachable);
    expect(away.err).toEqual(['cannot reach http://localhost:3000: connect ECONNREFUSED 127.0.0.1:3000']);
  });
});
