import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { createDeclaredTable } from '../../../lambdas/local/tables';
import { SharedPageStore } from '../../../lambdas/shares/shared-pages';
import { SHARES_TABLE, sharedPageKey } from '../../../lambdas/shares/table-design';
import { testEndpoint } from '../../support/shared-moto';

/*
 * A smart album's kept pages in the shares table, against the run's moto: one claim at a time (a claim past its time
 * may be taken again), a page put frees its claim, and a page of an older album version never replaces a newer one.
 */

const raw = new DynamoDBClient({
  endpoint: testEndpoint(),
  region: 'us-east-1',
  credentials: { accessKeyId: 'k', secretAccessKey: 's' },
});
const documents = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
const table = `shares-${randomUUID().slice(0, 8)}`;
const store = new SharedPageStore(documents, table);

beforeAll(() => createDeclaredTable(raw, table, SHARES_TABLE.design));
afterAll(() => raw.destroy());

const T0 = Date.parse('2026-11-28T08:00:00.000Z');
const V1 = '2026-11-27T10:00:00.000Z';
const V2 = '2026-11-28T07:00:00.000Z';

describe("a smart album's kept pages", () => {
  it('grants one claim at a time; one past its time is taken again; a page put frees it', async () => {
    const album = 'al_00000000000000000001';
    expect(await store.get(album, 'p1')).toEqual({});
    const claims = await Promise.all(Array.from({ length: 8 }, () => store.claim(album, 'p1', T0, T0 + 30_000)));
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await store.get(album, 'p1')).toEqual({ refreshUntil: T0 + 30_000 });
    expect(await store.claim(album, 'p1', T0 + 29_999, T0 + 60_000)).toBe(false);
    expect(await store.claim(album, 'p1', T0 + 30_001, T0 + 60_001)).toBe(true);

    await store.put(album, 'p1', { version: V1, imageIds: ['a', 'b'], nextCursor: 'next', madeAt: T0 });
    expect(await store.get(album, 'p1')).toEqual({
      page: { version: V1, imageIds: ['a', 'b'], nextCursor: 'next', madeAt: T0 },
    });
    expect(await store.claim(album, 'p1', T0 + 1, T0 + 30_001)).toBe(true);
    // Another page of the album is its own item.
    expect(await store.claim(album, 'p2', T0, T0 + 30_000)).toBe(true);
  });

  it("keeps a newer album version's page over an older one's, and only ids, a cursor and times", async () => {
    const album = 'al_00000000000000000002';
    await store.put(album, 'p1', { version: V2, imageIds: ['c'], madeAt: T0 + 1000 });
    await store.put(album, 'p1', { version: V1, imageIds: ['a', 'b'], nextCursor: 'next', madeAt: T0 + 2000 });
    expect((await store.get(album, 'p1')).page).toEqual({ version: V2, imageIds: ['c'], madeAt: T0 + 1000 });
    await store.put(album, 'p1', { version: V2, imageIds: ['d'], madeAt: T0 + 3000 });
    const { Item } = await documents.send(new GetCommand({ TableName: table, Key: sharedPageKey(album, 'p1') }));
    expect(Item).toEqual({
      ...sharedPageKey(album, 'p1'),
      version: V2,
      imageIds: ['d'],
      madeAt: T0 + 3000,
      // Deleted an hour after it was made.
      ttl: Math.ceil((T0 + 3000) / 1000) + 3600,
    });
  });
});
