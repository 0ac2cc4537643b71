import type { AlbumPerson } from '../../../lambdas/albums/album-people';
import {
  addToAlbum,
  removeAlbumMember,
  removeFromAlbum,
  type SharingDeps,
  setAlbumMember,
  sharedAlbums,
} from '../../../lambdas/albums/album-sharing';
import type { NewMember, PageAsked } from '../../../lambdas/albums/album-store';
import { type AlbumReadDeps, getAlbum } from '../../../lambdas/albums/functions/album-read';
import type { ImageRef } from '../../../lambdas/albums/image-refs';
import type { Album } from '../../../lambdas/albums/schemas';
import { MAX_ALBUM_MEMBERS } from '../../../lambdas/albums/table-design';
import type { Caller } from '../../../lambdas/store/owner';

/*
 * An album shared with other owners (album-sharing.ts) on in-memory stores: only its owner manages its members; a
 * viewer reads it, a contributor adds and takes out their own photos only; anyone else gets the 404 of another
 * owner's album; its page shows its contributors' photos beside its owner's.
 */

const ALICE: Caller = { owner: 'alice', admin: false };
const BOB: Caller = { owner: 'bob', admin: false };
const CAROL: Caller = { owner: 'carol', admin: false };
const [A1, B1, B2, B3, C1] = [
  '01JA0000000000000000000001',
  '01JB0000000000000000000001',
  '01JB0000000000000000000002',
  '01JB0000000000000000000003',
  '01JC0000000000000000000001',
];
const AT = '2026-11-28T08:00:00.000Z';
const album = (albumId: string, kind: Album['kind'] = 'manual'): Album => ({
  albumId,
  owner: 'alice',
  name: `Album ${albumId.slice(-1)}`,
  kind,
  order: 'added',
  count: 0,
  createdAt: AT,
  updatedAt: AT,
});
const TRIP = 'al_00000000000000000001';
const SMART = 'al_00000000000000000002';

function setup() {
  const albums = new Map<string, Album>([
    [TRIP, album(TRIP)],
    [SMART, { ...album(SMART, 'smart'), smart: { tag: ['x'] } }],
  ]);
  const members = new Map<string, string[]>([[TRIP, []]]);
  const people = new Map<string, AlbumPerson>();
  const records: Record<string, ImageRef> = {
    [A1]: { imageId: A1, owner: 'alice', status: 'PROCESSED', takenKey: `2020#${A1}` },
    [B1]: { imageId: B1, owner: 'bob', status: 'PROCESSED', takenKey: `2020#${B1}` },
    [B2]: { imageId: B2, owner: 'bob', status: 'TRASHED', takenKey: `2020#${B2}` },
    [B3]: { imageId: B3, owner: 'bob', status: 'PROCESSED', locked: true, takenKey: `2020#${B3}` },
    [C1]: { imageId: C1, owner: 'carol', status: 'PROCESSED', takenKey: `2020#${C1}` },
  };
  const key = (albumId: string, member: string) => `${albumId} ${member}`;
  const deps: SharingDeps = {
    albums: {
      create: async () => {},
      get: async (id) => albums.get(id),
      getMany: async (ids) => ids.flatMap((id) => (albums.has(id) ? [albums.get(id) as Album] : [])),
      listOf: async () => ({ items: [] }),
      update: async (id) => albums.get(id) as Album,
      delete: async () => true,
      membersAmong: async (id, ids) => new Set(ids.filter((one) => members.get(id)?.includes(one))),
      addMembers: async (id, added: readonly NewMember[]) => {
        members.get(id)?.push(...added.map((one) => one.imageId));
        (albums.get(id) as Album).count += added.length;
        return added.length;
      },
      removeMembers: async (id, ids) => {
        members.set(
          id,
          (members.get(id) ?? []).filter((one) => !ids.includes(one)),
        );
        (albums.get(id) as Album).count -= ids.length;
        return ids.length;
      },
      albumIdsOf: async () => [],
      clearCover: async () => {},
      memberPage: async (id, _order, asked: PageAsked) => ({
        ids: [...(members.get(id) ?? [])].reverse().slice(0, asked.limit),
      }),
    },
    people: {
      get: async (albumId, member) => people.get(key(albumId, member)),
      of: async (albumId) => [...people.values()].filter((person) => person.albumId === albumId),
      put: async (person) => void people.set(key(person.albumId, person.member), { ...person }),
      remove: async (albumId, member) => people.delete(key(albumId, member)),
      sharedWith: async (member) => ({
        items: [...people.values()].filter((person) => person.member === member).reverse(),
      }),
    },
    refs: {
      refsOf: async (ids) => new Map(ids.flatMap((id) => (records[id] ? [[id, records[id]] as const] : []))),
    },
    coverUrl: async (imageId) => `https://thumbs.example/${imageId}`,
    now: () => new Date(AT),
  };
  return { albums, members, people, records, deps };
}

describe('album members', () => {
  it('are added and changed by the album owner alone: a member is told so (403), anyone else gets a 404', async () => {
    const { deps } = setup();
    expect(await setAlbumMember(TRIP, 'bob', 'viewer', ALICE, deps)).toEqual({
      albumId: TRIP,
      member: 'bob',
      role: 'viewer',
      addedAt: AT,
    });
    await expect(setAlbumMember(TRIP, 'carol', 'viewer', BOB, deps)).rejects.toMatchObject({
      statusCode: 403,
      message: `only the owner of album ${TRIP} manages its members`,
    });
    await expect(setAlbumMember(TRIP, 'carol', 'viewer', CAROL, deps)).rejects.toMatchObject({
      statusCode: 404,
      message: `album ${TRIP} not found`,
    });
    await expect(removeAlbumMember(TRIP, 'bob', CAROL, deps)).rejects.toMatchObject({ statusCode: 404 });
    await expect(removeAlbumMember(TRIP, 'bob', BOB, deps)).rejects.toMatchObject({ statusCode: 403 });
  });

  it('keeps when a member was first added across a change of role, and refuses the owner and a smart contributor', async () => {
    const { deps, people } = setup();
    await setAlbumMember(TRIP, 'bob', 'viewer', ALICE, deps);
    const later = { ...deps, now: () => new Date('2026-12-01T00:00:00.000Z') };
    expect(await setAlbumMember(TRIP, 'bob', 'contributor', ALICE, later)).toMatchObject({
      role: 'contributor',
      addedAt: AT,
    });
    expect([...people.values()]).toEqual([
      { albumId: TRIP, member: 'bob', role: 'contributor', owner: 'alice', addedAt: AT },
    ]);
    await expect(setAlbumMember(TRIP, 'alice', 'viewer', ALICE, deps)).rejects.toMatchObject({
      statusCode: 400,
      message: `owner: alice owns album ${TRIP} already`,
    });
    await expect(setAlbumMember(SMART, 'bob', 'contributor', ALICE, deps)).rejects.toMatchObject({ statusCode: 409 });
    expect(await setAlbumMember(SMART, 'bob', 'viewer', ALICE, deps)).toMatchObject({ role: 'viewer' });
  });

  it(`are at most ${MAX_ALBUM_MEMBERS} an album; one there changes role past it`, async () => {
    const { deps } = setup();
    for (let i = 0; i < MAX_ALBUM_MEMBERS; i++) await setAlbumMember(TRIP, `owner-${i}`, 'viewer', ALICE, deps);
    await expect(setAlbumMember(TRIP, 'bob', 'viewer', ALICE, deps)).rejects.toMatchObject({
      statusCode: 409,
      message: `an album is shared with at most ${MAX_ALBUM_MEMBERS} owners: take one off first`,
    });
    expect(await setAlbumMember(TRIP, 'owner-0', 'contributor', ALICE, deps)).toMatchObject({ role: 'contributor' });
  });

  it('taken off, the album is a 404 to them again; one never on it is a 404 that says so', async () => {
    const { deps } = setup();
    await setAlbumMember(TRIP, 'bob', 'contributor', ALICE, deps);
    expect((await sharedAlbums({ limit: 10 }, BOB, deps)).items.map((one) => one.albumId)).toEqual([TRIP]);
    await removeAlbumMember(TRIP, 'bob', ALICE, deps);
    await expect(addToAlbum(TRIP, [B1], BOB, deps)).rejects.toMatchObject({ statusCode: 404 });
    expect((await sharedAlbums({ limit: 10 }, BOB, deps)).items).toEqual([]);
    await expect(removeAlbumMember(TRIP, 'bob', ALICE, deps)).rejects.toMatchObject({
      statusCode: 404,
      message: `album ${TRIP} is not shared with bob`,
    });
  });
});

describe('albums shared with the caller', () => {
  it('lists them with whose they are and the role, without the owner; a deleted one is left out', async () => {
    const { deps, albums } = setup();
    await setAlbumMember(TRIP, 'bob', 'viewer', ALICE, deps);
    await setAlbumMember(SMART, 'bob', 'viewer', ALICE, deps);
    const page = await sharedAlbums({ limit: 10 }, BOB, deps);
    expect(page.items.map(({ albumId, sharedBy, role }) => ({ albumId, sharedBy, role }))).toEqual([
      { albumId: SMART, sharedBy: 'alice', role: 'viewer' },
      { albumId: TRIP, sharedBy: 'alice', role: 'viewer' },
    ]);
    expect(page.items[0]).not.toHaveProperty('owner');
    albums.delete(SMART);
    expect((await sharedAlbums({ limit: 10 }, BOB, deps)).items.map((one) => one.albumId)).toEqual([TRIP]);
    expect((await sharedAlbums({ limit: 10 }, CAROL, deps)).items).toEqual([]);
  });
});

describe("a shared album's images", () => {
  it("a viewer adds and takes out nothing (403); a contributor adds their own photos only, not another's", async () => {
    const { deps, members } = setup();
    await setAlbumMember(TRIP, 'bob', 'viewer', ALICE, deps);
    await expect(addToAlbum(TRIP, [B1], BOB, deps)).rejects.toMatchObject({
      statusCode: 403,
      message: `album ${TRIP} is shared with you to view: its owner can make you a contributor`,
    });
    await expect(removeFromAlbum(TRIP, [A1], BOB, deps)).rejects.toMatchObject({ statusCode: 403 });
    await setAlbumMember(TRIP, 'bob', 'contributor', ALICE, deps);
    await expect(addToAlbum(TRIP, [B1, C1], BOB, deps)).rejects.toMatchObject({
      statusCode: 404,
      message: `image ${C1} not found`,
    });
    await expect(addToAlbum(TRIP, [A1], BOB, deps)).rejects.toMatchObject({ statusCode: 404 });
    await expect(addToAlbum(TRIP, [B2], BOB, deps)).rejects.toMatchObject({ statusCode: 409 });
    // A locked one is a 404, as its own GET is without the PIN's token.
    await expect(addToAlbum(TRIP, [B3], BOB, deps)).rejects.toMatchObject({
      statusCode: 404,
      message: `image ${B3} not found`,
    });
    expect(members.get(TRIP)).toEqual([]);
    const added = await addToAlbum(TRIP, [B1], BOB, deps);
    expect(added).toMatchObject({ added: 1, album: { albumId: TRIP, count: 1 } });
    // The owner adds their own as before.
    expect((await addToAlbum(TRIP, [A1], ALICE, deps)).added).toBe(1);
    expect(members.get(TRIP)).toEqual([B1, A1]);
  });

  it("a contributor takes out only their own (another's is a 403, nothing out); the album owner takes out any", async () => {
    const { deps, members } = setup();
    await setAlbumMember(TRIP, 'bob', 'contributor', ALICE, deps);
    await addToAlbum(TRIP, [A1], ALICE, deps);
    await addToAlbum(TRIP, [B1], BOB, deps);
    await expect(removeFromAlbum(TRIP, [A1, B1], BOB, deps)).rejects.toMatchObject({
      statusCode: 403,
      message: `image ${A1} is not yours: only its owner or the album's owner takes it out`,
    });
    expect(members.get(TRIP)).toEqual([A1, B1]);
    expect((await removeFromAlbum(TRIP, [B1, C1], BOB, deps)).removed).toBe(1);
    await addToAlbum(TRIP, [B1], BOB, deps);
    expect((await removeFromAlbum(TRIP, [B1], ALICE, deps)).removed).toBe(1);
    expect(members.get(TRIP)).toEqual([A1]);
    await expect(removeFromAlbum(TRIP, [A1], CAROL, deps)).rejects.toMatchObject({ statusCode: 404 });
  });
});

describe('GET /albums/{id} of a shared album', () => {
  function readDeps(deps: SharingDeps, records: Record<string, ImageRef>): AlbumReadDeps {
    return {
      albums: deps.albums,
      people: deps.people,
      images: {
        summaries: async (ids) =>
          new Map(
            ids.flatMap((id) => {
              const ref = records[id];
              return ref ? [[id, { owner: ref.owner, status: ref.status, createdAt: AT, updatedAt: AT }] as const] : [];
            }),
          ) as never,
      },
      links: { sign: async (keys) => keys, keysOf: () => ({}) },
      coverUrl: async (id) => id,
      list: {} as AlbumReadDeps['list'],
    };
  }

  it('shows its owner the members, a member whose it is and their role, and carol a 404', async () => {
    const { deps, records } = setup();
    await setAlbumMember(TRIP, 'bob', 'viewer', ALICE, deps);
    const read = readDeps(deps, records);
    const owners = await getAlbum(TRIP, { limit: 10 }, ALICE, read);
    expect(owners.members).toEqual([{ member: 'bob', role: 'viewer', addedAt: AT }]);
    expect(owners.album).not.toHaveProperty('sharedBy');
    const bobs = await getAlbum(TRIP, { limit: 10 }, BOB, read);
    expect(bobs.album).toMatchObject({ albumId: TRIP, sharedBy: 'alice', role: 'viewer' });
    expect(bobs).not.toHaveProperty('members');
    await expect(getAlbum(TRIP, { limit: 10 }, CAROL, read)).rejects.toMatchObject({ statusCode: 404 });
  });

  it("shows a contributor's photos beside the owner's while they are one; a viewer's never", async () => {
    const { deps, records } = setup();
    await setAlbumMember(TRIP, 'bob', 'contributor', ALICE, deps);
    await addToAlbum(TRIP, [A1], ALICE, deps);
    await addToAlbum(TRIP, [B1], BOB, deps);
    const read = readDeps(deps, records);
    const ids = async (caller: Caller) =>
      (await getAlbum(TRIP, { limit: 10 }, caller, read)).items.map((i) => i.imageId);
    expect(await ids(ALICE)).toEqual([B1, A1]);
    expect(await ids(BOB)).toEqual([B1, A1]);
    await setAlbumMember(TRIP, 'bob', 'viewer', ALICE, deps);
    expect(await ids(ALICE)).toEqual([A1]);
    // Without the members' store (a share link's page), the owner's photos alone.
    const { people: _people, ...linkDeps } = read;
    await setAlbumMember(TRIP, 'bob', 'contributor', ALICE, deps);
    expect((await getAlbum(TRIP, { limit: 10 }, ALICE, linkDeps)).items.map((i) => i.imageId)).toEqual([A1]);
  });
});
