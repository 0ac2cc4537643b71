import sharp from 'sharp';
import { ImageApiClient } from '../../lambdas/cli/api-client';
import { fileUser, profileRunner, type SharedRunner } from '../support/runner-profiles';

/**
 * The archive on the local runner (issue 80, docs/api.md "Edits"): an archived photo leaves `GET /images` and the
 * timeline, is listed with `archived=true`, stays in its album and in searches, and comes back with `false`. A user
 * of its own on the shared jwt runner, so its lists hold only this file's photos.
 */
const WAIT = 120_000;
jest.setTimeout(WAIT * 3);

let runner: SharedRunner;
let alice: ImageApiClient;
const ids = { kept: '', archived: '' };

const photo = (colour: string) =>
  sharp({ create: { width: 64, height: 48, channels: 3, background: colour } })
    .jpeg()
    .toBuffer();
const listed = async (query: Record<string, string> = {}) =>
  (await alice.list(query)).items.map((item) => item.imageId).sort();

beforeAll(async () => {
  runner = await profileRunner('jwt');
  alice = new ImageApiClient(runner.ready.apiUrl, { bearerToken: await runner.token({ user: fileUser('alice') }) });
  ids.kept = await alice.upload(await photo('#224466'), { filename: 'kept.jpg', tags: ['Pier'] });
  ids.archived = await alice.upload(await photo('#664422'), { filename: 'archived.jpg', tags: ['Pier'] });
  for (const id of Object.values(ids)) expect((await alice.waitForFinal(id, WAIT)).status).toBe('PROCESSED');
}, WAIT * 2);

describe('the archive', () => {
  it('takes a photo out of the list and the timeline, keeps it in its album and searches, and brings it back', async () => {
    const album = (await alice.call('POST', '/albums', { name: 'Archive walk' })) as { albumId: string };
    await alice.call('POST', `/albums/${album.albumId}/images`, { imageIds: [ids.archived] });

    expect(await alice.call('PUT', `/images/${ids.archived}/archived`, { archived: true })).toEqual({
      imageId: ids.archived,
      archived: true,
    });
    expect(await listed()).toEqual([ids.kept]);
    expect(await listed({ sort: 'taken' })).toEqual([ids.kept]);
    expect(await listed({ archived: 'true' })).toEqual([ids.archived]);
    expect(await listed({ archived: 'true', sort: 'taken' })).toEqual([ids.archived]);
    // Still in its album, and a search still finds it.
    const inAlbum = (await alice.call('GET', `/albums/${album.albumId}`)) as { items: { imageId: string }[] };
    expect(inAlbum.items.map((item) => item.imageId)).toEqual([ids.archived]);
    expect(await listed({ tag: 'pier' })).toEqual([ids.kept, ids.archived].sort());

    expect(await alice.call('PUT', `/images/${ids.archived}/archived`, { archived: false })).toEqual({
      imageId: ids.archived,
      archived: false,
    });
    expect(await listed()).toEqual([ids.kept, ids.archived].sort());
    expect(await listed({ sort: 'taken' })).toEqual([ids.kept, ids.archived].sort());
    expect(await listed({ archived: 'true' })).toEqual([]);
  });
});
