import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { AlbumStore } from '../../../lambdas/albums/album-store';
import { newAlbumId } from '../../../lambdas/albums/albums';
import { ALBUMS_TABLE } from '../../../lambdas/albums/table-design';
import { carryOverAndTrash, openCarryOver } from '../../../lambdas/duplicates/carry-over';
import { CarryOverEnvSchema } from '../../../lambdas/duplicates/carry-over-contract';
import { writeEdit } from '../../../lambdas/images/functions/edit-api';
import { createDeclaredTable } from '../../../lambdas/local/tables';
import type { ImageEvent } from '../../../lambdas/manifest/events';
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
 * search for the trash, and the same resolve again changes nothing. Each table is this file's own.
 */
jest.setTimeout(60_000);

const config = {
  endpoint: testEndpoint(),
  region: 'us-east-1',
  credentials: { accessKeyId: 'k', secretAccessKey: 's' },
};
const prefix = `carry-${randomUUID().slice(0, 8)}`;
const tables = { images: `${prefix}-images`, search: `${prefix}-search`, albums: `${prefix}-albums` };
const dynamodb = new DynamoDBClient(config);
const documents = DynamoDBDocumentClient.from(dynamodb, { marshallOptions: { removeUndefinedValues: true } });
const store = new ImageStore(documents, tables.images);
const index = new SearchIndex(documents, tables.search, { records: store });
const albums = new AlbumStore(documents, tables.albums);
const events: ImageEvent[] = [];
const env = CarryOverEnvSchema.parse({
  TABLE_NAME: tables.images,
  SEARCH_TABLE_NAME: tables.search,
  ALBUMS_TABLE: tables.albums,
  TRASH_DAYS: '30',
  EVENT_BUS_NAME: 'unused',
  CORS_ORIGINS: 'http://localhost:5173',
  AUTH_MODE: 'none',
  POWERTOOLS_SERVICE_NAME: 'resolve-duplicates',
});
const deps = openCarryOver(env, {
  dynamo: documents,
  publisher: { publish: async (event) => void events.push(event as ImageEvent) },
  cleanups: [postingsCleanup(index)],
  writers: { writeEdit, writePlace },
});
const me = { owner: TEST_USER.sub, admin: false };

beforeAll(async () => {
  await createDeclaredTable(dynamodb, tables.images, RESULTS_TABLE.design);
  await createDeclaredTable(dynamodb, tables.search, SEARCH_TABLE.design);
  await createDeclaredTable(dynamodb, tables.albums, ALBUMS_TABLE.design);
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
