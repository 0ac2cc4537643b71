import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { ImageStore } from '../../../lambdas/store/image-store';
import { shardAttributes, shardOf } from '../../../lambdas/store/list-shards';
import { TIMELINE_ITEM_ATTRIBUTES } from '../../../lambdas/store/table-design';
import { timelineAttributes } from '../../../lambdas/store/timeline-key';
import { OTHER_USER, TEST_USER } from '../../support/identities';
import { imageItem, pendingItem, processedAnalysis } from '../../support/items';

const dynamo = mockClient(DynamoDBDocumentClient);
const store = new ImageStore(DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' })), 'table-1');
const OWNER = TEST_USER.sub;

/** A ULID-shaped id: `n` in its last characters, so ids sort by n. */
const idOf = (n: number) => `01JT${String(n).padStart(22, '0')}`;

/** An analysis whose EXIF says the photo was taken at `takenAt` (or has no EXIF date). */
function analysed(takenAt?: string) {
  const analysis = processedAnalysis({ width: 40, height: 30 });
  return takenAt === undefined ? analysis : { ...analysis, metadata: { ...analysis.metadata, exif: { takenAt } } };
}

/** A stored image as the store writes it: list keys and timeline keys. */
function stored(n: number, createdAt: string, takenAt?: string, owner = OWNER) {
  const item = imageItem({ imageId: idOf(n), owner, createdAt, analysis: analysed(takenAt) });
  return { ...item, ...shardAttributes(item.imageId, item.status, owner), ...timelineAttributes(item) };
}

/**
 * Answer the store's queries as `byOwnerTakenSharded` would: the partition's items, highest `takenKey` first,
 * below the key condition's bound, `pageSize` at most per response, projected to the index's attributes.
 */
function serve(items: readonly Record<string, unknown>[], pageSize = Number.POSITIVE_INFINITY) {
  dynamo.on(QueryCommand).callsFake((input) => {
    const values = input.ExpressionAttributeValues ?? {};
    const bounds = [values[':olderThan'], input.ExclusiveStartKey?.takenKey].filter((b) => b !== undefined);
    const matching = items
      .filter((item) => item.ownerShard === values[':pk'])
      .filter((item) => bounds.every((bound) => String(item.takenKey) < String(bound)))
      .sort((a, b) => (String(a.takenKey) < String(b.takenKey) ? 1 : -1));
    const page = matching.slice(0, Math.min(input.Limit ?? Number.POSITIVE_INFINITY, pageSize));
    const keep = ['imageId', 'ownerShard', 'takenKey', ...TIMELINE_ITEM_ATTRIBUTES];
    const Items = page.map((item) => Object.fromEntries(Object.entries(item).filter(([k]) => keep.includes(k))));
    const last = page.at(-1);
    return page.length < matching.length && last
      ? { Items, LastEvaluatedKey: { imageId: last.imageId, ownerShard: last.ownerShard, takenKey: last.takenKey } }
      : { Items };
  });
}

async function everyPage(limit: number) {
  const pages: string[][] = [];
  let cursor: string | undefined;
  do {
    const page = await store.timeline({ owner: OWNER, limit, cursor });
    pages.push(page.items.map((item) => item.imageId));
    cursor = page.cursor;
  } while (cursor !== undefined && pages.length < 100);
  return pages;
}

describe('the timeline key', () => {
  it('sorts by the date taken, cut to the second, then the id', () => {
    const item = imageItem({ imageId: idOf(1), analysis: analysed('2019-07-14T18:30:00') });
    expect(timelineAttributes(item)).toEqual({
      takenKey: `2019-07-14T18:30:00#${idOf(1)}`,
      takenAt: '2019-07-14T18:30:00',
    });
  });

  it('falls back to the upload time, in the same form, when the photo has no date taken', () => {
    const item = imageItem({ imageId: idOf(2), createdAt: '2026-11-26T10:14:21.123Z', analysis: analysed() });
    expect(timelineAttributes(item)).toEqual({ takenKey: `2026-11-26T10:14:21#${idOf(2)}` });
  });

  it('ignores a date taken that would not sort as one (the upload time is used)', () => {
    const item = imageItem({
      imageId: idOf(3),
      createdAt: '2026-01-01T00:00:00.000Z',
      analysis: analysed('0000:00:00'),
    });
    expect(timelineAttributes(item)).toEqual({ takenKey: `2026-01-01T00:00:00#${idOf(3)}` });
  });

  it("sorts by its owner's date taken (its local time) before the EXIF one", () => {
    const item = imageItem({
      imageId: idOf(4),
      analysis: analysed('2019-07-14T18:30:00'),
      takenCorrection: { takenAt: '2001-02-03T04:05:06', offset: '-05:00', at: '2026-11-28T10:00:00.000Z' },
    });
    expect(timelineAttributes(item)).toEqual({
      takenKey: `2001-02-03T04:05:06#${idOf(4)}`,
      takenAt: '2001-02-03T04:05:06',
    });
  });
});

describe('ImageStore writes the timeline key with the list keys', () => {
  beforeEach(() => dynamo.reset());

  it('files a PENDING upload under its upload time', async () => {
    dynamo.on(PutCommand).resolves({});
    await store.createPending(pendingItem());
    const item = dynamo.commandCalls(PutCommand)[0]?.args[0].input.Item ?? {};
    expect(item.takenKey).toBe(`${pendingItem().createdAt.slice(0, 19)}#${pendingItem().imageId}`);
    expect(item).not.toHaveProperty('takenAt');
  });

  it('moves a processed image to its date taken, and copies the date for the index to project', async () => {
    dynamo.on(UpdateCommand).resolves({});
    await store.finalise(imageItem({ imageId: idOf(4), analysis: analysed('2001-02-03T04:05:06') }));
    const input = dynamo.commandCalls(UpdateCommand)[0]?.args[0].input;
    const names = input?.ExpressionAttributeNames ?? {};
    const written = (name: string) => {
      const alias = Object.entries(names).find(([, n]) => n === name)?.[0];
      return alias ? input?.ExpressionAttributeValues?.[alias.replace('#', ':')] : undefined;
    };
    expect(written('takenKey')).toBe(`2001-02-03T04:05:06#${idOf(4)}`);
    expect(written('takenAt')).toBe('2001-02-03T04:05:06');
  });

  it('removes a date taken an earlier state had when the new analysis has none', async () => {
    dynamo.on(UpdateCommand).resolves({});
    await store.finalise(imageItem({ imageId: idOf(5), analysis: analysed() }));
    const input = dynamo.commandCalls(UpdateCommand)[0]?.args[0].input;
    const removed = input?.UpdateExpression?.split(' REMOVE ')[1]?.split(', ') ?? [];
    expect(removed.map((alias) => input?.ExpressionAttributeNames?.[alias])).toContain('takenAt');
  });
});

describe('ImageStore.timeline over byOwnerTakenSharded', () => {
  beforeEach(() => dynamo.reset());

  it("queries every one of the owner's shards, highest takenKey first", async () => {
    serve([]);
    await store.timeline({ owner: OWNER, limit: 5 });
    const inputs = dynamo.commandCalls(QueryCommand).map((call) => call.args[0].input);
    expect(inputs.map((input) => input.ExpressionAttributeValues?.[':pk'])).toEqual(
      Array.from({ length: 16 }, (_, n) => `${OWNER}#${n}`),
    );
    for (const input of inputs) {
      expect(input).toMatchObject({
        IndexName: 'byOwnerTakenSharded',
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': 'ownerShard' },
        ScanIndexForward: false,
        Limit: 5,
      });
    }
  });

  it('orders by date taken across shards, the undated by upload time, whatever the upload order', async () => {
    // Uploaded in id order 1..6; taken in another order; 3 and 6 have no date taken.
    const items = [
      stored(1, '2026-01-01T00:00:01.000Z', '2010-05-05T10:00:00'),
      stored(2, '2026-01-01T00:00:02.000Z', '2024-12-24T20:00:00'),
      stored(3, '2025-06-01T00:00:00.000Z'),
      stored(4, '2026-01-01T00:00:04.000Z', '1999-12-31T23:59:59'),
      stored(5, '2026-01-01T00:00:05.000Z', '2018-03-03T03:03:03'),
      stored(6, '2020-01-01T00:00:00.000Z'),
    ];
    serve(items);
    const page = await store.timeline({ owner: OWNER, limit: 10 });
    expect(page.items.map((item) => item.imageId)).toEqual([3, 2, 6, 5, 1, 4].map(idOf));
    expect(page.items[1]).toMatchObject({ takenAt: '2024-12-24T20:00:00', status: 'PROCESSED' });
    expect(page.items[0]).not.toHaveProperty('takenAt');
    expect(page.cursor).toBeUndefined();
  });

  it('pages exactly through ties of the same second, nothing skipped or repeated, at any page size', async () => {
    // 40 photos of one burst (the same second) and 20 of other dates, over every shard.
    const items = [
      ...Array.from({ length: 40 }, (_, i) => stored(100 + i, '2026-01-01T00:00:00.000Z', '2022-08-08T08:08:08')),
      ...Array.from({ length: 20 }, (_, i) =>
        stored(200 + i, '2026-01-01T00:00:00.000Z', `2021-01-${String(i + 1).padStart(2, '0')}T00:00:00`),
      ),
    ];
    expect(new Set(items.map((item) => shardOf(item.imageId))).size).toBeGreaterThan(8);
    const expected = [...items].sort((a, b) => (a.takenKey < b.takenKey ? 1 : -1)).map((item) => item.imageId);
    for (const limit of [1, 7, 20, 60, 100]) {
      serve(items, 3);
      const pages = await everyPage(limit);
      expect(pages.flat()).toEqual(expected);
      expect(pages.at(-1)?.length).toBeGreaterThan(0);
    }
  });

  it("reads only the owner's shards: another owner's images are not in the timeline", async () => {
    serve([stored(1, '2026-01-01T00:00:00.000Z', '2020-01-01T00:00:00', OTHER_USER.sub)]);
    expect((await store.timeline({ owner: OWNER, limit: 10 })).items).toEqual([]);
  });

  it("refuses a cursor of the upload-order list, of another owner's timeline, or not a key", async () => {
    serve([]);
    const cursorOf = (fields: Record<string, string>) => Buffer.from(JSON.stringify(fields)).toString('base64url');
    const key = `2020-01-01T00:00:00#${idOf(1)}`;
    for (const cursor of [
      cursorOf({ owner: OWNER, last: idOf(1) }),
      cursorOf({ owner: OTHER_USER.sub, sort: 'taken', last: key }),
      cursorOf({ owner: OWNER, sort: 'taken', last: '2020-01-01#x' }),
      'not json',
    ]) {
      await expect(store.timeline({ owner: OWNER, limit: 5, cursor })).rejects.toMatchObject({
        name: 'InvalidCursorError',
      });
    }
    await expect(
      store.timeline({ owner: OWNER, limit: 5, cursor: cursorOf({ owner: OWNER, sort: 'taken', last: key }) }),
    ).resolves.toEqual({ items: [] });
  });
});
