import type { Album } from '../../../lambdas/albums/schemas';
import { type CarryOverDeps, carryOverAndTrash } from '../../../lambdas/duplicates/carry-over';
import { writeEdit } from '../../../lambdas/images/functions/edit-api';
import type { ImageEvent } from '../../../lambdas/manifest/events';
import { writePlace } from '../../../lambdas/places/functions/place-api';
import { AppError } from '../../../lambdas/shared/errors';
import type { ImageItem } from '../../../lambdas/store/image-item';
import type { TrashMove } from '../../../lambdas/store/image-trash';
import { UPLOAD_METADATA_LIMITS } from '../../../lambdas/store/upload-metadata';
import { FakeGeocoder } from '../../support/geocoder-fake';
import { ADMIN_USER, OTHER_USER, TEST_USER } from '../../support/identities';
import { imageIds, imageItem } from '../../support/items';

const NOW = new Date('2026-11-29T10:00:00.000Z');
const me = { owner: TEST_USER.sub, admin: false };
const admin = { owner: ADMIN_USER.sub, admin: true };

const KEPT = '01JD0000000000000000000001';
const COPY = '01JD0000000000000000000002';
const COPY2 = '01JD0000000000000000000003';
const OTHER = '01JD0000000000000000000004';

/**
 * The rooms' stores in memory, each write as the real one makes it: a record written only if it is as read (its
 * `updatedAt`), an album's member put with its count raised. What the search index and the bus were given is kept.
 */
class World {
  records = new Map<string, ImageItem>();
  albumsById = new Map<string, Album>();
  members = new Map<string, Set<string>>();
  contributors = new Set<string>();
  events: ImageEvent[] = [];
  upserted: string[] = [];
  leftLists: string[] = [];
  writes = 0;

  constructor(items: ImageItem[]) {
    for (const item of items) this.records.set(item.imageId, item);
  }

  album(albumId: string, holds: string[], overrides: Partial<Album> = {}) {
    this.albumsById.set(albumId, {
      albumId,
      owner: TEST_USER.sub,
      name: albumId,
      kind: 'manual',
      order: 'added',
      count: holds.length,
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
      ...overrides,
    });
    this.members.set(albumId, new Set(holds));
  }

  private conditional(item: Pick<ImageItem, 'imageId'>, seen: string, write: () => void): boolean {
    if (this.records.get(item.imageId)?.updatedAt !== seen) return false;
    this.writes++;
    write();
    return true;
  }

  get deps(): CarryOverDeps {
    const store = {
      get: async (imageId: string) => this.records.get(imageId),
      editImage: async (item: ImageItem, seen: string) =>
        this.conditional(item, seen, () => this.records.set(item.imageId, item)),
      correctPlace: async (item: ImageItem, seen: string) =>
        this.conditional(item, seen, () => this.records.set(item.imageId, item)),
      clearUnindexTerms: async (imageId: string) => {
        const { unindexTerms: _gone, ...kept } = this.records.get(imageId) as ImageItem;
        this.records.set(imageId, kept);
      },
    };
    const index = { upsert: async (item: ImageItem) => void this.upserted.push(item.imageId) };
    const publisher = { publish: async (event: ImageEvent) => void this.events.push(event) };
    const geocoder = new FakeGeocoder();
    return {
      store,
      edit: (item, edited, changed, stamp) => writeEdit(item, edited, changed, stamp, { store, index, publisher }),
      correctPlace: (item, correction, stamp) =>
        writePlace(item, correction, stamp, { store, index, publisher, geocoder }),
      albums: {
        albumIdsOf: async (imageId) =>
          [...this.members].filter(([, held]) => held.has(imageId)).map(([albumId]) => albumId),
        getMany: async (ids) => ids.flatMap((id) => this.albumsById.get(id) ?? []),
        membersAmong: async (albumId, ids) => new Set(ids.filter((id) => this.members.get(albumId)?.has(id))),
        addMembers: async (albumId, added) => {
          const album = this.albumsById.get(albumId) as Album;
          for (const { imageId } of added) this.members.get(albumId)?.add(imageId);
          this.albumsById.set(albumId, { ...album, count: album.count + added.length });
          return added.length;
        },
      },
      albumPeople: {
        get: async (albumId, member) =>
          this.contributors.has(`${albumId}/${member}`)
            ? { albumId, member, role: 'contributor', owner: OTHER_USER.sub, addedAt: NOW.toISOString() }
            : undefined,
      },
      trash: {
        trash: {
          trash: async (item: ImageItem, move: TrashMove) => {
            const now = this.records.get(item.imageId);
            if (now?.updatedAt !== item.updatedAt || now.status === 'TRASHED') return undefined;
            const trashed: ImageItem = {
              ...item,
              status: 'TRASHED',
              trashedFrom: item.status as ImageItem['trashedFrom'],
              trashedAt: move.at,
              purgeAt: move.purgeAt,
              updatedAt: move.at,
            };
            this.records.set(item.imageId, trashed);
            return trashed;
          },
          restore: async () => undefined,
        },
        cleanups: [{ name: 'search', trashed: async (item) => void this.leftLists.push(item.imageId) }],
        publisher,
        trashDays: 30,
      },
      now: () => NOW,
    };
  }

  detailTypes(): string[] {
    return this.events.map((event) => `${event.detailType} ${(event.detail as { imageId?: string }).imageId}`);
  }
}

const photo = (imageId: string, overrides: Partial<ImageItem> = {}) => imageItem({ imageId, ...overrides });

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof AppError)) throw new Error(`expected a refusal, got ${String(error)}`);
  return error;
}

describe('carrying a cluster over to the photo kept, then trashing the copies', () => {
  it("adds the copies' tags the kept photo lacks, as tag= compares them, in one Image Updated", async () => {
    const world = new World([
      photo(KEPT, { tags: ['Beach'] }),
      photo(COPY, { tags: ['beach!', 'Sunset'] }),
      photo(COPY2, { tags: ['sunset', 'Family'] }),
    ]);
    const answer = await carryOverAndTrash({ keep: [KEPT], trash: [COPY, COPY2] }, me, world.deps);
    expect(answer.carried.tags).toEqual(['Sunset', 'Family']);
    expect(world.records.get(KEPT)?.tags).toEqual(['Beach', 'Sunset', 'Family']);
    expect(world.records.get(KEPT)?.indexedTerms).toEqual(expect.arrayContaining(['tag=sunset', 'tag=family']));
    const updated = world.events.filter((event) => event.detailType === 'Image Updated');
    expect(updated).toEqual([
      expect.objectContaining({
        detail: expect.objectContaining({ imageId: KEPT, changed: ['tags'], by: TEST_USER.sub }),
      }),
    ]);
  });

  it('carries no more tags than an upload may give a photo', async () => {
    const own = Array.from({ length: UPLOAD_METADATA_LIMITS.maxTags - 1 }, (_, i) => `own${i}`);
    const world = new World([photo(KEPT, { tags: own }), photo(COPY, { tags: ['one', 'two', 'three'] })]);
    const answer = await carryOverAndTrash({ keep: [KEPT], trash: [COPY] }, me, world.deps);
    expect(answer.carried.tags).toEqual(['one']);
    expect(world.records.get(KEPT)?.tags).toHaveLength(UPLOAD_METADATA_LIMITS.maxTags);
  });

  it('makes the kept photo a favourite when a copy was one, and says so', async () => {
    const world = new World([photo(KEPT), photo(COPY), photo(COPY2, { favourite: true })]);
    const answer = await carryOverAndTrash({ keep: [KEPT], trash: [COPY, COPY2] }, me, world.deps);
    expect(answer.carried.favourite).toBe(true);
    expect(world.records.get(KEPT)?.favourite).toBe(true);
    expect(world.events[0]).toMatchObject({
      detailType: 'Image Updated',
      detail: { imageId: KEPT, changed: ['favourite'], favourite: true },
    });
  });

  it('writes nothing to the kept photo when the copies carry nothing it lacks', async () => {
    const world = new World([photo(KEPT, { tags: ['a'], favourite: true }), photo(COPY, { tags: ['A'] })]);
    const answer = await carryOverAndTrash({ keep: [KEPT], trash: [COPY] }, me, world.deps);
    expect(answer.carried).toEqual({ tags: [], albums: [], favourite: false, people: 0, places: 0 });
    expect(world.detailTypes()).toEqual([`Image Trashed ${COPY}`]);
  });

  it("gives the kept photo a copy's place correction when its owner set none, as PUT /images/{id}/place does", async () => {
    const place = { country: { name: 'Switzerland', code: 'CH' }, locality: { name: 'Basel' } };
    const copy = photo(COPY, { placeCorrection: { place, at: '2026-01-01T00:00:00.000Z', by: TEST_USER.sub } });
    const world = new World([photo(KEPT, { tags: ['a'] }), copy, photo(COPY2, { tags: ['b'] })]);
    const answer = await carryOverAndTrash({ keep: [KEPT], trash: [COPY, COPY2] }, me, world.deps);
    expect(answer.carried.places).toBe(1);
    const kept = world.records.get(KEPT);
    expect(kept?.placeCorrection).toEqual({ place, at: NOW.toISOString(), by: TEST_USER.sub });
    expect(kept?.place).toMatchObject({ ...place, source: 'owner' });
    // The tag carried as well: the place's write was conditional on the record as the edit left it.
    expect(kept?.tags).toEqual(['a', 'b']);
    expect(world.events.map((event) => event.detailType)).toEqual([
      'Image Updated',
      'Image Place Changed',
      'Image Trashed',
      'Image Trashed',
    ]);
  });

  it('leaves the place its owner set on the kept photo, and a place a copy only cleared', async () => {
    const at = '2026-01-01T00:00:00.000Z';
    const position = { latitude: 47.56, longitude: 7.59 };
    const world = new World([
      photo(KEPT, { placeCorrection: { cleared: true, at } }),
      photo(COPY, { placeCorrection: { position, at } }),
    ]);
    expect((await carryOverAndTrash({ keep: [KEPT], trash: [COPY] }, me, world.deps)).carried.places).toBe(0);
    expect(world.records.get(KEPT)?.placeCorrection).toEqual({ cleared: true, at });

    const cleared = new World([photo(KEPT), photo(COPY, { placeCorrection: { cleared: true, at } })]);
    expect((await carryOverAndTrash({ keep: [KEPT], trash: [COPY] }, me, cleared.deps)).carried.places).toBe(0);
    expect(cleared.records.get(KEPT)?.placeCorrection).toBeUndefined();
  });

  it("puts the kept photo in every album of its owner's holding a copy, with the album's count", async () => {
    const world = new World([photo(KEPT), photo(COPY), photo(COPY2)]);
    world.album('al_00000000000000000001', [COPY]);
    world.album('al_00000000000000000002', [COPY2, KEPT]);
    world.album('al_00000000000000000003', [OTHER]);
    const answer = await carryOverAndTrash({ keep: [KEPT], trash: [COPY, COPY2] }, me, world.deps);
    expect(answer.carried.albums).toEqual(['al_00000000000000000001']);
    expect(world.members.get('al_00000000000000000001')).toEqual(new Set([COPY, KEPT]));
    expect(world.albumsById.get('al_00000000000000000001')?.count).toBe(2);
    expect(world.albumsById.get('al_00000000000000000002')?.count).toBe(2);
    expect(world.members.get('al_00000000000000000003')?.has(KEPT)).toBe(false);
  });

  it("joins another owner's album only while its owner contributes to it, and a full album not at all", async () => {
    const world = new World([photo(KEPT), photo(COPY)]);
    world.album('al_00000000000000000001', [COPY], { owner: OTHER_USER.sub });
    world.album('al_00000000000000000002', [COPY], { owner: OTHER_USER.sub });
    world.album('al_00000000000000000003', [COPY], { count: 100_000 });
    world.contributors.add(`al_00000000000000000002/${TEST_USER.sub}`);
    const answer = await carryOverAndTrash({ keep: [KEPT], trash: [COPY] }, me, world.deps);
    expect(answer.carried.albums).toEqual(['al_00000000000000000002']);
    expect(world.members.get('al_00000000000000000001')?.has(KEPT)).toBe(false);
    expect(world.members.get('al_00000000000000000003')?.has(KEPT)).toBe(false);
  });

  it('moves each copy to the trash through the trash, restorable, after the kept photo has what they carry', async () => {
    const world = new World([photo(KEPT), photo(COPY, { favourite: true }), photo(COPY2)]);
    const answer = await carryOverAndTrash({ keep: [KEPT], trash: [COPY, COPY2] }, me, world.deps);
    expect(answer).toMatchObject({ kept: KEPT, trashed: [COPY, COPY2] });
    for (const imageId of [COPY, COPY2]) {
      expect(world.records.get(imageId)).toMatchObject({
        status: 'TRASHED',
        trashedFrom: 'PROCESSED',
        purgeAt: '2026-12-29T10:00:00.000Z',
      });
    }
    expect(world.leftLists).toEqual([COPY, COPY2]);
    expect(world.detailTypes()).toEqual([`Image Updated ${KEPT}`, `Image Trashed ${COPY}`, `Image Trashed ${COPY2}`]);
  });

  it('leaves every photo kept but the first as it is', async () => {
    const second = '01JD0000000000000000000005';
    const world = new World([photo(KEPT), photo(second), photo(COPY, { tags: ['x'] })]);
    await carryOverAndTrash({ keep: [KEPT, second], trash: [COPY] }, me, world.deps);
    expect(world.records.get(second)).toEqual(photo(second));
    expect(world.records.get(KEPT)?.tags).toEqual(['x']);
  });

  it('finishes a resolve retried after a failure part-way, carrying nothing twice and publishing nothing twice', async () => {
    const world = new World([photo(KEPT), photo(COPY, { tags: ['x'], favourite: true }), photo(COPY2)]);
    world.album('al_00000000000000000001', [COPY]);
    const deps = world.deps;
    const failing = { ...deps, trash: { ...deps.trash, cleanups: [] } };
    let trashed = 0;
    failing.trash.trash = {
      ...deps.trash.trash,
      trash: async (item, move) => {
        if (++trashed === 2) throw new Error('throttled');
        return deps.trash.trash.trash(item, move);
      },
    };
    await expect(carryOverAndTrash({ keep: [KEPT], trash: [COPY, COPY2] }, me, failing)).rejects.toThrow('throttled');

    const answer = await carryOverAndTrash({ keep: [KEPT], trash: [COPY, COPY2] }, me, deps);
    expect(answer.carried).toEqual({ tags: [], albums: [], favourite: false, people: 0, places: 0 });
    expect(world.records.get(KEPT)).toMatchObject({ tags: ['x'], favourite: true });
    expect(world.albumsById.get('al_00000000000000000001')?.count).toBe(2);
    expect(world.records.get(COPY2)?.status).toBe('TRASHED');
    expect(world.detailTypes()).toEqual([`Image Updated ${KEPT}`, `Image Trashed ${COPY}`, `Image Trashed ${COPY2}`]);

    // And once more, all done: the same answer, nothing written.
    const writes = world.writes;
    await carryOverAndTrash({ keep: [KEPT], trash: [COPY, COPY2] }, me, deps);
    expect(world.writes).toBe(writes);
    expect(world.events).toHaveLength(3);
  });

  it("lets an admin resolve an owner's cluster, the edits signed by the admin", async () => {
    const world = new World([photo(KEPT), photo(COPY, { tags: ['x'] })]);
    await carryOverAndTrash({ keep: [KEPT], trash: [COPY] }, admin, world.deps);
    expect(world.events[0]?.detail).toMatchObject({ imageId: KEPT, by: ADMIN_USER.sub });
  });
});

describe('what a resolve refuses, before it changes anything', () => {
  const unchanged = (world: World) => {
    expect(world.writes).toBe(0);
    expect(world.events).toEqual([]);
  };

  it("answers 404 for another owner's photo, kept or trashed, and for one that does not exist", async () => {
    const world = new World([photo(KEPT), photo(COPY), photo(OTHER, { owner: OTHER_USER.sub })]);
    for (const input of [
      { keep: [KEPT], trash: [COPY, OTHER] },
      { keep: [OTHER], trash: [COPY] },
      { keep: [KEPT], trash: ['01JZZZZZZZZZZZZZZZZZZZZZZZ'] },
    ]) {
      const error = await refusal(carryOverAndTrash(input, me, world.deps));
      expect(error.statusCode).toBe(404);
    }
    unchanged(world);
  });

  it("answers 404 to an admin mixing two owners' photos", async () => {
    const world = new World([photo(KEPT), photo(OTHER, { owner: OTHER_USER.sub })]);
    const error = await refusal(carryOverAndTrash({ keep: [KEPT], trash: [OTHER] }, admin, world.deps));
    expect(error).toMatchObject({ statusCode: 404, message: `image ${OTHER} not found` });
    unchanged(world);
  });

  it('answers 404 for a photo in the locked folder, as its GET without an unlock token does', async () => {
    for (const input of [
      { keep: [KEPT], trash: [COPY] },
      { keep: [COPY], trash: [KEPT] },
    ]) {
      const world = new World([photo(KEPT), photo(COPY, { locked: true, tags: ['secret'] })]);
      const error = await refusal(carryOverAndTrash(input, me, world.deps));
      expect(error).toMatchObject({ statusCode: 404, message: `image ${COPY} not found` });
      unchanged(world);
    }
  });

  it('answers 400 for a photo both kept and trashed, named twice, no photo kept, or too many', async () => {
    const world = new World([photo(KEPT), photo(COPY)]);
    for (const [input, message] of [
      [{ keep: [KEPT], trash: [COPY, KEPT] }, `image ${KEPT} cannot be both kept and trashed`],
      [{ keep: [KEPT], trash: [COPY, COPY] }, `image ${COPY} is named twice`],
      [{ keep: [], trash: [COPY] }, 'keep: keep at least one photo'],
      [{ keep: [KEPT], trash: imageIds(100) }, 'at most 100 photos kept and trashed in all'],
    ] as const) {
      const error = await refusal(carryOverAndTrash(input, me, world.deps));
      expect(error).toMatchObject({ statusCode: 400, message });
    }
    unchanged(world);
  });

  it('answers 409 for a kept photo in the trash or not processed, and a copy not processed', async () => {
    for (const [kept, copy] of [
      [{ status: 'TRASHED', trashedFrom: 'PROCESSED' }, {}],
      [{ status: 'FAILED' }, {}],
      [{}, { status: 'PENDING' }],
    ] as const) {
      const world = new World([photo(KEPT, kept), photo(COPY, { tags: ['x'], ...copy })]);
      const error = await refusal(carryOverAndTrash({ keep: [KEPT], trash: [COPY] }, me, world.deps));
      expect(error.statusCode).toBe(409);
      unchanged(world);
    }
  });

  it('answers 409 in a deployment without a trash', async () => {
    const world = new World([photo(KEPT), photo(COPY, { tags: ['x'] })]);
    const deps = world.deps;
    const error = await refusal(
      carryOverAndTrash({ keep: [KEPT], trash: [COPY] }, me, { ...deps, trash: { ...deps.trash, trashDays: 0 } }),
    );
    expect(error.statusCode).toBe(409);
    unchanged(world);
  });
});
