import sharp from 'sharp';
import { ApiError, ImageApiClient } from '../../lambdas/cli/api-client';
import { fileUser, profileRunner, type SharedRunner } from '../support/runner-profiles';

/**
 * Album members on the local runner with `--auth jwt` (issue 80, item 2; docs/api.md "Album members"): alice shares
 * an album with bob as a viewer, then as a contributor, then takes him off; carol, never a member, gets the 404 of an
 * unknown album throughout. Users of this file's own on the shared jwt runner.
 */
const WAIT = 120_000;
jest.setTimeout(WAIT * 3);

let runner: SharedRunner;
const users = {} as Record<'alice' | 'bob' | 'carol', ImageApiClient>;
const ids = { alice: '', bob: '', carol: '' };
const owners = { alice: '', bob: '' };

const photo = (colour: string) =>
  sharp({ create: { width: 64, height: 48, channels: 3, background: colour } })
    .jpeg()
    .toBuffer();

/** The status and the API's message a call answers (`{status: 200}` when it succeeds). */
async function answer(call: Promise<unknown>): Promise<{ status: number; message?: string }> {
  try {
    await call;
    return { status: 200 };
  } catch (error) {
    // The client's message is `<METHOD> <path>: <status> <the API's message>`.
    if (error instanceof ApiError)
      return { status: error.status, message: error.message.replace(/^\S+ \S+: \d+ /, '') };
    throw error;
  }
}

type AlbumPage = {
  album: { albumId: string; sharedBy?: string; role?: string };
  members?: { member: string; role: string }[];
  items: { imageId: string; thumbnails?: Record<string, string> }[];
};

beforeAll(async () => {
  runner = await profileRunner('jwt');
  for (const who of ['alice', 'bob', 'carol'] as const) {
    users[who] = new ImageApiClient(runner.ready.apiUrl, { bearerToken: await runner.token({ user: fileUser(who) }) });
  }
  ids.alice = await users.alice.upload(await photo('#225588'), { filename: 'alice.jpg' });
  ids.bob = await users.bob.upload(await photo('#885522'), { filename: 'bob.jpg' });
  ids.carol = await users.carol.upload(await photo('#228855'), { filename: 'carol.jpg' });
  for (const who of ['alice', 'bob', 'carol'] as const) {
    expect((await users[who].waitForFinal(ids[who], WAIT)).status).toBe('PROCESSED');
  }
  owners.alice = (await users.alice.get(ids.alice))?.owner as string;
  owners.bob = (await users.bob.get(ids.bob))?.owner as string;
  expect(owners.alice).not.toEqual(owners.bob);
}, WAIT * 2);

describe('album members', () => {
  it('a viewer reads the album, a contributor adds their own photos, carol sees nothing of it', async () => {
    const { alice, bob, carol } = users;
    const album = (await alice.call('POST', '/albums', { name: 'Walk' })) as { albumId: string };
    const path = `/albums/${album.albumId}`;
    await alice.call('POST', `${path}/images`, { imageIds: [ids.alice] });
    const page = (client: ImageApiClient) => client.call('GET', path) as Promise<AlbumPage>;
    const shared = async (client: ImageApiClient) =>
      ((await client.call('GET', '/albums?shared=true')) as { items: { albumId: string; role: string }[] }).items;

    // Before: a 404 to bob and carol, as an unknown album; nothing shared with them.
    expect(await answer(page(bob))).toEqual({ status: 404, message: `album ${album.albumId} not found` });
    expect(await shared(bob)).toEqual([]);

    // A viewer: listed as shared with him, reads the album and its photo's thumbnails; adds and takes out nothing.
    expect(await alice.call('PUT', `${path}/members/${owners.bob}`, { role: 'viewer' })).toMatchObject({
      albumId: album.albumId,
      member: owners.bob,
      role: 'viewer',
    });
    expect(await shared(bob)).toEqual([expect.objectContaining({ albumId: album.albumId, role: 'viewer' })]);
    const viewed = await page(bob);
    expect(viewed.album).toMatchObject({ sharedBy: owners.alice, role: 'viewer' });
    expect(viewed.items.map((item) => item.imageId)).toEqual([ids.alice]);
    expect(Object.keys(viewed.items[0]?.thumbnails ?? {}).length).toBeGreaterThan(0);
    expect(viewed).not.toHaveProperty('members');
    expect((await page(alice)).members).toEqual([expect.objectContaining({ member: owners.bob, role: 'viewer' })]);
    expect((await answer(bob.call('POST', `${path}/images`, { imageIds: [ids.bob] }))).status).toBe(403);
    expect((await answer(bob.call('DELETE', `${path}/images`, { imageIds: [ids.alice] }))).status).toBe(403);
    // Only its owner manages members; a member reads alice's photo through the album alone.
    expect((await answer(bob.call('PUT', `${path}/members/${owners.bob}`, { role: 'contributor' }))).status).toBe(403);
    expect((await answer(bob.call('GET', `/images/${ids.alice}`))).status).toBe(404);

    // A contributor: adds his own photo (it stays his), not carol's; takes out only his own.
    await alice.call('PUT', `${path}/members/${owners.bob}`, { role: 'contributor' });
    expect(await answer(bob.call('POST', `${path}/images`, { imageIds: [ids.carol] }))).toEqual({
      status: 404,
      message: `image ${ids.carol} not found`,
    });
    expect(await bob.call('POST', `${path}/images`, { imageIds: [ids.bob] })).toMatchObject({ added: 1 });
    expect((await bob.get(ids.bob))?.owner).toBe(owners.bob);
    expect((await page(alice)).items.map((item) => item.imageId).sort()).toEqual([ids.alice, ids.bob].sort());
    expect((await page(bob)).items.map((item) => item.imageId).sort()).toEqual([ids.alice, ids.bob].sort());
    expect((await answer(bob.call('DELETE', `${path}/images`, { imageIds: [ids.alice] }))).status).toBe(403);

    // Carol, never a member, gets the 404 of an unknown album from every route.
    expect((await answer(page(carol))).status).toBe(404);
    expect((await answer(carol.call('POST', `${path}/images`, { imageIds: [ids.carol] }))).status).toBe(404);
    expect((await answer(carol.call('PUT', `${path}/members/${owners.bob}`, { role: 'viewer' }))).status).toBe(404);
    expect(await shared(carol)).toEqual([]);

    // Taken off: a 404 to bob again, and no longer listed.
    await alice.call('DELETE', `${path}/members/${owners.bob}`);
    expect((await answer(page(bob))).status).toBe(404);
    expect(await shared(bob)).toEqual([]);
    expect((await page(alice)).items.map((item) => item.imageId)).toEqual([ids.alice]);
  });
});
