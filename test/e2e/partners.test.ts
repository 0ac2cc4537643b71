import sharp from 'sharp';
import { ApiError, ImageApiClient } from '../../lambdas/cli/api-client';
import { fileUser, profileRunner, type SharedRunner } from '../support/runner-profiles';

/**
 * Partners on the local runner with `--auth jwt` (issue 80, docs/api.md "Partners"): alice grants bob; bob lists and
 * reads alice's photo and can change none of it; alice revokes and bob's next read is a 404; carol, who has no grant,
 * sees nothing of alice's at any time. Users of this file's own on the shared jwt runner.
 */
const WAIT = 120_000;
jest.setTimeout(WAIT * 3);

let runner: SharedRunner;
const owners = { alice: '', bob: '', carol: '' };
const api = {} as Record<keyof typeof owners, ImageApiClient>;
const ids = { shared: '', archived: '', album: '', bobs: '' };

const photo = (colour: string) =>
  sharp({ create: { width: 64, height: 48, channels: 3, background: colour } })
    .jpeg()
    .toBuffer();

/** The status a call answers: 2xx as 200, an ApiError as its status. */
async function statusOf(call: Promise<unknown>): Promise<number> {
  try {
    await call;
    return 200;
  } catch (error) {
    if (error instanceof ApiError) return error.status;
    throw error;
  }
}

const listedBy = async (who: keyof typeof owners, query: Record<string, string>) =>
  (await api[who].list(query)).items.map((item) => item.imageId).sort();

beforeAll(async () => {
  runner = await profileRunner('jwt');
  for (const who of Object.keys(owners) as (keyof typeof owners)[]) {
    owners[who] = fileUser(who);
    api[who] = new ImageApiClient(runner.ready.apiUrl, { bearerToken: await runner.token({ user: owners[who] }) });
  }
  ids.shared = await api.alice.upload(await photo('#335577'), { filename: 'shared.jpg', tags: ['Harbour'] });
  ids.archived = await api.alice.upload(await photo('#775533'), { filename: 'archived.jpg' });
  ids.bobs = await api.bob.upload(await photo('#557733'), { filename: 'bobs.jpg' });
  for (const id of [ids.shared, ids.archived]) {
    expect((await api.alice.waitForFinal(id, WAIT)).status).toBe('PROCESSED');
  }
  expect((await api.bob.waitForFinal(ids.bobs, WAIT)).status).toBe('PROCESSED');
  await api.alice.call('PUT', `/images/${ids.archived}/archived`, { archived: true });
  ids.album = ((await api.alice.call('POST', '/albums', { name: 'For bob' })) as { albumId: string }).albumId;
  await api.alice.call('POST', `/albums/${ids.album}/images`, { imageIds: [ids.shared] });
  // Taken in Weil am Rhein, as she says: a place of hers, counted and with a cover.
  await api.alice.call('PUT', `/images/${ids.shared}/place`, { position: { latitude: 47.5947, longitude: 7.6208 } });
}, WAIT * 2);

type PlacesAnswer = { countries: { place: string[]; count: number; cover?: { imageId: string } }[] };
const placesOf = (who: keyof typeof owners, partner?: string) =>
  api[who].call('GET', partner ? `/places?partner=${encodeURIComponent(partner)}` : '/places') as Promise<PlacesAnswer>;

/** Carol, who has no grant, sees nothing of alice's: not in a list, not by id. */
async function carolSeesNothing() {
  expect(await statusOf(api.carol.list({ partner: owners.alice }))).toBe(404);
  expect(await listedBy('carol', { partners: 'all' })).toEqual([]);
  expect(await listedBy('carol', { partners: 'include' })).toEqual([]);
  expect(await statusOf(api.carol.call('GET', `/images/${ids.shared}`))).toBe(404);
  expect(await statusOf(placesOf('carol', owners.alice))).toBe(404);
}

describe('partners', () => {
  it('let bob read what alice grants him, change none of it, and lose it when she revokes', async () => {
    await carolSeesNothing();
    expect(await statusOf(api.bob.list({ partner: owners.alice }))).toBe(404);
    expect(await statusOf(placesOf('bob', owners.alice))).toBe(404);

    // Alice grants bob her library; a grant to herself is refused.
    expect(await statusOf(api.alice.call('POST', '/partners', { partner: owners.alice }))).toBe(400);
    const grant = await api.alice.call('POST', '/partners', { partner: owners.bob });
    expect(grant).toMatchObject({ grantor: owners.alice, partner: owners.bob });
    expect(await api.alice.call('GET', '/partners')).toMatchObject({
      granted: [{ partner: owners.bob }],
      received: [],
    });
    expect(await api.bob.call('GET', '/partners')).toMatchObject({
      granted: [],
      received: [{ grantor: owners.alice }],
    });

    // Bob lists her photos (not the archived one), alone or merged, and reads one, GPS and all.
    expect(await listedBy('bob', { partner: owners.alice })).toEqual([ids.shared]);
    expect(await listedBy('bob', { partners: 'all' })).toEqual([ids.shared]);
    // Or merged into his own timeline, if he chooses: his photo and hers, one page after the other.
    expect(await listedBy('bob', { partners: 'include' })).toEqual([ids.shared, ids.bobs].sort());
    const first = await api.bob.list({ partners: 'include', limit: '1' });
    expect(first.cursor).toBeDefined();
    const second = await api.bob.list({ partners: 'include', limit: '1', cursor: String(first.cursor) });
    expect([...first.items, ...second.items].map((item) => item.imageId).sort()).toEqual([ids.shared, ids.bobs].sort());
    expect(await statusOf(api.bob.list({ partners: 'include', tag: 'harbour' }))).toBe(400);
    // Her places are his to see as hers: her counts, her cover, and the search that lists the place's photos.
    const herPlaces = await placesOf('alice');
    const seen = await placesOf('bob', owners.alice);
    expect(herPlaces.countries.map((country) => country.place)).toEqual([['de']]);
    expect(seen.countries.map(({ place, count }) => [place, count])).toEqual(
      herPlaces.countries.map(({ place, count }) => [place, count]),
    );
    expect(seen.countries[0]?.cover?.imageId).toBe(ids.shared);
    expect(await listedBy('bob', { partner: owners.alice, place: 'Weil am Rhein' })).toEqual([ids.shared]);
    expect((await placesOf('bob')).countries).toEqual([]);
    const read = (await api.bob.call('GET', `/images/${ids.shared}`)) as { imageId: string; owner?: string };
    expect(read.imageId).toBe(ids.shared);
    expect(await statusOf(api.bob.call('GET', `/images/${ids.archived}`))).toBe(404);
    // He searches her library within the grant; a partner's list takes none of an owner's own narrowing.
    expect(await listedBy('bob', { partner: owners.alice, tag: 'harbour' })).toEqual([ids.shared]);
    expect(await listedBy('carol', { tag: 'harbour' })).toEqual([]);
    expect(await statusOf(api.bob.list({ partner: owners.alice, archived: 'true' }))).toBe(400);

    // He can change nothing of it: each mutating route answers 403 or 404.
    const attempts = {
      tags: () => api.bob.call('PATCH', `/images/${ids.shared}/tags`, { add: ['mine'] }),
      favourite: () => api.bob.call('PUT', `/images/${ids.shared}/favourite`, { favourite: true }),
      archive: () => api.bob.call('PUT', `/images/${ids.shared}/archived`, { archived: true }),
      rotate: () => api.bob.call('PUT', `/images/${ids.shared}/rotation`, { degrees: 90 }),
      trash: () => api.bob.call('DELETE', `/images/${ids.shared}`),
      reown: () => api.bob.call('PUT', `/images/${ids.shared}/owner`, { owner: owners.bob }),
      share: () => api.bob.call('POST', `/images/${ids.shared}/shares`, {}),
    };
    const answered: Record<string, number> = {};
    for (const [name, call] of Object.entries(attempts)) answered[name] = await statusOf(call());
    // Nor put it in an album of his own: another owner's image is a 404 there too.
    const bobAlbum = ((await api.bob.call('POST', '/albums', { name: 'Not mine' })) as { albumId: string }).albumId;
    answered.album = await statusOf(api.bob.call('POST', `/albums/${bobAlbum}/images`, { imageIds: [ids.shared] }));
    for (const [name, status] of Object.entries(answered))
      expect([name, [403, 404].includes(status)]).toEqual([name, true]);
    // Her photo is as she left it.
    const hers = (await api.alice.call('GET', `/images/${ids.shared}`)) as { tags?: string[]; favourite?: boolean };
    expect(hers.tags ?? []).not.toContain('mine');
    expect(hers.favourite ?? false).toBe(false);
    await carolSeesNothing();

    // Narrowed to an album, then revoked: bob's next read is a 404.
    await api.alice.call('POST', '/partners', { partner: owners.bob, albums: [ids.album] });
    expect(await listedBy('bob', { partner: owners.alice })).toEqual([ids.shared]);
    expect(await statusOf(api.bob.list({ partner: owners.alice, tag: 'harbour' }))).toBe(400);
    expect(await statusOf(placesOf('bob', owners.alice))).toBe(400);
    expect(await statusOf(api.alice.call('DELETE', `/partners/${owners.bob}`))).toBe(200);
    expect(await statusOf(placesOf('bob', owners.alice))).toBe(404);
    expect(await statusOf(api.bob.call('GET', `/images/${ids.shared}`))).toBe(404);
    expect(await statusOf(api.bob.list({ partner: owners.alice }))).toBe(404);
    expect(await listedBy('bob', { partners: 'all' })).toEqual([]);
    expect(await listedBy('bob', { partners: 'include' })).toEqual([ids.bobs]);
    expect(await statusOf(api.bob.list({ partner: owners.alice, tag: 'harbour' }))).toBe(404);
    expect(await statusOf(api.alice.call('DELETE', `/partners/${owners.bob}`))).toBe(404);
    await carolSeesNothing();
  });
});
