import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { AlbumStore } from '../../../lambdas/albums/album-store';
import { newAlbumId } from '../../../lambdas/albums/albums';
import { ALBUMS_TABLE } from '../../../lambdas/albums/table-design';
import { WINDOW_NAMES, type WindowHashes } from '../../../lambdas/core/analysis/windows';
import { carryOverAndTrash, openCarryOver } from '../../../lambdas/duplicates/carry-over';
import { CarryOverEnvSchema } from '../../../lambdas/duplicates/carry-over-contract';
import { nearDuplicatesCleanup } from '../../../lambdas/duplicates/cleanup';
import { DuplicateStore } from '../../../lambdas/duplicates/duplicate-store';
import { resolveDuplicates } from '../../../lambdas/duplicates/resolve';
import { dismissDuplicates } from '../../../lambdas/duplicates/review';
import { DUPLICATES_TABLE } from '../../../lambdas/duplicates/table-design';
import { writeEdit } from '../../../lambdas/images/functions/edit-api';
import { createDeclaredTable } from '../../../lambdas/local/tables';
import type { ImageEvent } from '../../../lambdas/manifest/events';
import { recordAssigned, recordRemoved } from '../../../lambdas/people/functions/face-records';
import { openPeople } from '../../../lambdas/people/open';
import { PEOPLE_TABLE } from '../../../lambdas/people/table-design';
import { writePlace } from '../../../lambdas/places/functions/place-api';
import { postingsCleanup } from '../../../lambdas/search/cleanup';
import { SearchIndex } from '../../../lambdas/search/index-table';
import { withTerms } from '../../../lambdas/search/postings';
import { SEARCH_TABLE } from '../../../lambdas/search/postings-design';
import type { ImageItem } from '../../../lambdas/store/image-item';
import { ImageStore } from '../../../lambdas/store/image-store';
import { RESULTS_TABLE } from '../../../lambdas/store/table-design';
import { TEST_USER } from '../../support/identities';
import { searchableItem } from '../../support/items';
import { testEndpoint } from '../../support/shared-moto';

/*
 * Resolving a cluster against the run's moto, with the stores the route opens (openCarryOver) and the images' and
 * places' own writes: the kept photo's record, postings and albums take what the copies carry, the copies leave
 * search for the trash, and the same resolve again changes nothing. A name the owner gave a copy's face names the kept
 * photo's (the people store's own correction), and a resolve sent again answers as the first. Each table is this
 * file's own.
 */
jest.setTimeout(60_000);

const config = {
  endpoint: testEndpoint(),
  region: 'us-east-1',
  credentials: { accessKeyId: 'k', secretAccessKey: 's' },
};
const prefix = `carry-${randomUUID().slice(0, 8)}`;
const tables = {
  images: `${prefix}-images`,
  search: `${prefix}-search`,
  albums: `${prefix}-albums`,
  people: `${prefix}-people`,
  duplicates: `${prefix}-dups`,
};
const dynamodb = new DynamoDBClient(config);
const documents = DynamoDBDocumentClient.from(dynamodb, { marshallOptions: { removeUndefinedValues: true } });
const store = new ImageStore(documents, tables.images);
const index = new SearchIndex(documents, tables.search, { records: store });
const albums = new AlbumStore(documents, tables.albums);
const events: ImageEvent[] = [];
const people = openPeople(documents, tables.people);
const duplicates = new DuplicateStore(documents, tables.duplicates);
const env = CarryOverEnvSchema.parse({
  TABLE_NAME: tables.images,
  SEARCH_TABLE_NAME: tables.search,
  ALBUMS_TABLE: tables.albums,
  TRASH_DAYS: '30',
  EVENT_BUS_NAME: 'unused',
  CORS_ORIGINS: 'http://localhost:5173',
  AUTH_MODE: 'none',
  POWERTOOLS_SERVICE_NAME: 'resolve-duplicates',
  PEOPLE_TABLE: tables.people,
});
const deps = openCarryOver(env, {
  dynamo: documents,
  publisher: { publish: async (event) => void events.push(event as ImageEvent) },
  cleanups: [postingsCleanup(index), nearDuplicatesCleanup({ store: duplicates, now: () => new Date().toISOString() })],
  writers: { writeEdit, writePlace, recordAssigned, recordRemoved },
});
const me = { owner: TEST_USER.sub, admin: false };

beforeAll(async () => {
  await createDeclaredTable(dynamodb, tables.images, RESULTS_TABLE.design);
  await createDeclaredTable(dynamodb, tables.search, SEARCH_TABLE.design);
  await createDeclaredTable(dynamodb, tables.albums, ALBUMS_TABLE.design);
  await createDeclaredTable(dynamodb, tables.people, PEOPLE_TABLE.design);
  await createDeclaredTable(dynamodb, tables.duplicates, DUPLICATES_TABLE.design);
});
afterAll(() => dynamodb.destroy());

/** A processed photo stored and indexed as the processor leaves it. */
async function stored(overrides: Partial<ImageItem>): Promise<ImageItem> {
  const { place: _place, people: _people, favourite: _favourite, ...base } = searchableItem();
  const item = withTerms({ ...base, imageId: ulid(), ...overrides } as ImageItem, undefined);
  await documents.send(new PutCommand({ TableName: tables.images, Item: item }));
  await index.upsert(item);
  return item;
}

/** The search table's postings of an image: its keys (`<owner>#<term>#<shard>`). */
async function postingsOf(imageId: string): Promise<string[]> {
  const { Items = [] } = await documents.send(new ScanCommand({ TableName: tables.search }));
  return Items.filter((item) => item.imageId === imageId).map((item) => String(item.term));
}

it("carries the copies' tags, favourite, place and albums to the kept photo, trashes them, and is idempotent", async () => {
  const kept = await stored({ tags: ['Holiday'] });
  const geneva = { latitude: 46.2044, longitude: 6.1432 };
  const copy = await stored({
    tags: ['holiday', 'Lake'],
    favourite: true,
    placeCorrection: { position: geneva, at: '2026-01-01T00:00:00.000Z', by: TEST_USER.sub },
  });
  const album = {
    albumId: newAlbumId(),
    owner: TEST_USER.sub,
    name: 'Summer',
    kind: 'manual' as const,
    order: 'added' as const,
    count: 0,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
  };
  await albums.create(album);
  await albums.addMembers(
    album.albumId,
    [{ imageId: copy.imageId, takenKey: `2019-07-14T18:30:00#${copy.imageId}` }],
    album.createdAt,
  );

  const answer = await carryOverAndTrash({ keep: [kept.imageId], trash: [copy.imageId] }, me, deps);
  expect(answer).toEqual({
    kept: kept.imageId,
    trashed: [copy.imageId],
    carried: { tags: ['Lake'], albums: [album.albumId], favourite: true, people: 0, places: 1 },
  });

  const now = await store.get(kept.imageId);
  expect(now).toMatchObject({ tags: ['Holiday', 'Lake'], favourite: true, placeCorrection: { position: geneva } });
  expect(now?.place?.country?.code).toBe('CH');
  expect(await postingsOf(kept.imageId)).toEqual(
    expect.arrayContaining([expect.stringMatching(/#tag=lake#/), expect.stringMatching(/#favourite=true#/)]),
  );
  expect((await albums.get(album.albumId))?.count).toBe(2);
  expect(await albums.membersAmong(album.albumId, [kept.imageId])).toEqual(new Set([kept.imageId]));
  expect(await store.get(copy.imageId)).toMatchObject({ status: 'TRASHED', trashedFrom: 'PROCESSED' });
  expect(await postingsOf(copy.imageId)).toEqual([]);
  expect(events.map((event) => event.detailType)).toEqual(['Image Updated', 'Image Place Changed', 'Image Trashed']);

  // The same request again (its answer was lost): nothing more is written or published.
  const again = await carryOverAndTrash({ keep: [kept.imageId], trash: [copy.imageId] }, me, deps);
  expect(again.carried).toEqual({ tags: [], albums: [], favourite: false, people: 0, places: 0 });
  expect((await store.get(kept.imageId))?.updatedAt).toBe(now?.updatedAt);
  expect((await albums.get(album.albumId))?.count).toBe(2);
  expect(events).toHaveLength(3);
});

/** A face box, and where it lands in a copy cropped to the middle 90 %. */
const face = { left: 0.4, top: 0.3, width: 0.12, height: 0.15 };
const inCopy = { left: (0.4 - 0.05) / 0.9, top: (0.3 - 0.05) / 0.9, width: 0.12 / 0.9, height: 0.15 / 0.9 };

/** A processed photo with one face at `box`, grouped into no one (found too small to describe). */
async function withFace(box: typeof face): Promise<ImageItem> {
  const base = searchableItem();
  const vision = base.vision as NonNullable<ImageItem['vision']>;
  return stored({
    vision: { ...vision, faces: [{ box, confidence: 0.99 }] },
    people: { faces: [], skipped: { tooSmall: 1, overCap: 0 } },
  });
}

it("names the kept photo's face as the owner named the copy's, through the people store, once", async () => {
  const kept = await withFace(face);
  const copy = await withFace(inCopy);
  const named = await people.assignFace(me.owner, copy.imageId, 0, { name: 'Ada' }, inCopy);
  const personId = named.person.personId;

  const answer = await carryOverAndTrash({ keep: [kept.imageId], trash: [copy.imageId] }, me, deps);
  expect(answer.carried.people).toBe(1);
  expect((await store.get(kept.imageId))?.people?.faces).toEqual([{ face: 0, personId, box: face }]);
  expect((await people.get(me.owner, personId))?.faceCount).toBe(2);
  expect(await people.faceWords(me.owner, kept.imageId)).toEqual([
    { face: 0, box: face, personId, byOwner: true, notPeople: [] },
  ]);
  expect(await postingsOf(kept.imageId)).toEqual(
    expect.arrayContaining([expect.stringContaining(`#person=${personId}#`)]),
  );

  const again = await carryOverAndTrash({ keep: [kept.imageId], trash: [copy.imageId] }, me, deps);
  expect(again.carried.people).toBe(0);
  expect((await people.get(me.owner, personId))?.faceCount).toBe(2);
});

describe('a resolve or dismiss sent again', () => {
  const review = {
    store: duplicates,
    now: () => new Date().toISOString(),
    carryOver: deps,
    events: { publish: async (event: unknown) => void resolvedEvents.push(event) },
  };
  const resolvedEvents: unknown[] = [];

  /** A cluster of these photos, as the near-duplicates step makes it. */
  async function clusterOf(photos: ImageItem[]): Promise<string> {
    for (const photo of photos) {
      await duplicates.putPhoto({
        imageId: photo.imageId,
        owner: me.owner,
        hashes: Object.fromEntries(
          WINDOW_NAMES.map((window) => [window, photo.imageId.slice(-16).toLowerCase()]),
        ) as WindowHashes,
        facts: { imageId: photo.imageId, width: 100, height: 100, bytes: 1000, metadataCount: 0 },
      });
    }
    const clusterId = ulid();
    const at = new Date().toISOString();
    const members = photos.map((photo) => photo.imageId);
    expect(
      await duplicates.createCluster({
        clusterId,
        owner: me.owner,
        members,
        state: 'open',
        createdAt: at,
        updatedAt: at,
      }),
    ).toBe(true);
    return clusterId;
  }

  it('answers a resolve sent again as the first, carrying nothing twice; another keep is a 409 naming it', async () => {
    const [kept, copy] = [await stored({ tags: ['Pier'] }), await stored({ tags: ['Boat'] })] as [ImageItem, ImageItem];
    const clusterId = await clusterOf([kept, copy]);
    const body = { keep: [kept.imageId], trash: [copy.imageId] };
    const first = await resolveDuplicates(clusterId, body, me, review);
    expect(first).toMatchObject({ clusterId, kept: kept.imageId, carried: { tags: ['Boat'] } });
    expect((await duplicates.getCluster(clusterId))?.state).toBe('resolved');
    const updatedAt = (await store.get(kept.imageId))?.updatedAt;

    expect(await resolveDuplicates(clusterId, body, me, review)).toEqual(first);
    expect((await store.get(kept.imageId))?.updatedAt).toBe(updatedAt);
    expect(resolvedEvents).toHaveLength(1);

    await expect(
      resolveDuplicates(clusterId, { keep: [copy.imageId], trash: [kept.imageId] }, me, review),
    ).rejects.toThrow(`duplicates ${clusterId} was resolved already, keeping ${kept.imageId}`);
    await expect(dismissDuplicates(clusterId, me, review)).rejects.toMatchObject({ statusCode: 409 });
    await expect(
      resolveDuplicates(clusterId, body, { owner: 'someone-else', admin: false }, review),
    ).rejects.toMatchObject({
      statusCode: 404,
    });
  });

  it('finishes a resolve that failed part-way, once its trashing dissolved the cluster', async () => {
    const [kept, copy] = [await stored({}), await stored({ favourite: true })] as [ImageItem, ImageItem];
    const clusterId = await clusterOf([kept, copy]);
    const body = { keep: [kept.imageId], trash: [copy.imageId] };
    // The first request began, carried and trashed, and died before it closed the cluster.
    expect(await duplicates.beginResolve(clusterId, body)).toBe(true);
    await carryOverAndTrash(body, me, deps);
    expect((await duplicates.getCluster(clusterId))?.state).toBe('dissolved');

    const retried = await resolveDuplicates(clusterId, body, me, review);
    expect(retried).toMatchObject({
      clusterId,
      kept: kept.imageId,
      trashed: [copy.imageId],
      carried: { favourite: false },
    });
    expect((await duplicates.getCluster(clusterId))?.state).toBe('resolved');
  });

  it('answers a dismiss sent again as the first; a resolve of a dismissed cluster is a 409', async () => {
    const photos = [await stored({}), await stored({})];
    const clusterId = await clusterOf(photos);
    const first = await dismissDuplicates(clusterId, me, review);
    expect(first.dismissed.sort()).toEqual(photos.map((photo) => photo.imageId).sort());
    expect(await dismissDuplicates(clusterId, me, review)).toEqual(first);
    const body = { keep: [photos[0]?.imageId as string], trash: [photos[1]?.imageId as string] };
    await expect(resolveDuplicates(clusterId, body, me, review)).rejects.toThrow('was dismissed already');
  });
});
