import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  type BatchWriteCommandInput,
  DynamoDBDocumentClient,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import type { PlaceNames } from '../../../lambdas/core/place';
import { SearchIndex } from '../../../lambdas/search/index-table';
import { placeCountKey, placeCounts } from '../../../lambdas/search/place-counts';
import { withTerms } from '../../../lambdas/search/postings';
import { searchShardOf } from '../../../lambdas/search/postings-design';
import type { ImageItem } from '../../../lambdas/store/image-item';
import { imageIds, searchableItem } from '../../support/items';

/*
 * The counters against a table in memory that keeps DynamoDB's rules for what they use: a transaction's conditions
 * all hold or nothing is written (TransactionCanceledException with its reasons), a Query returns a partition's
 * items by sort key from a bound, `Limit` at a time.
 */
type Row = Record<string, unknown> & { term: string; imageId: string };
const rows = new Map<string, Row>();
const keyOf = (item: { term?: unknown; imageId?: unknown }) => `${item.term}|${item.imageId}`;
let conflict = false;

function transact(input: TransactWriteCommandInput) {
  const items = input.TransactItems ?? [];
  const reasons = items.map((one) => {
    if (one.Put?.ConditionExpression === 'attribute_not_exists(imageId)' && rows.has(keyOf(one.Put.Item ?? {}))) {
      return { Code: 'ConditionalCheckFailed' };
    }
    if (one.Delete?.ConditionExpression === 'attribute_exists(imageId)' && !rows.has(keyOf(one.Delete.Key ?? {}))) {
      return { Code: 'ConditionalCheckFailed' };
    }
    return { Code: conflict ? 'TransactionConflict' : 'None' };
  });
  if (reasons.some((reason) => reason.Code !== 'None')) {
    throw Object.assign(new Error(`Transaction cancelled [${reasons.map((r) => r.Code).join(', ')}]`), {
      name: 'TransactionCanceledException',
      CancellationReasons: reasons,
    });
  }
  for (const one of items) {
    if (one.Put) rows.set(keyOf(one.Put.Item ?? {}), one.Put.Item as Row);
    if (one.Delete) rows.delete(keyOf(one.Delete.Key ?? {}));
    if (one.Update) {
      const key = one.Update.Key as Row;
      const values = one.Update.ExpressionAttributeValues ?? {};
      const row = rows.get(keyOf(key)) ?? { ...key };
      row.count = ((row.count as number | undefined) ?? 0) + (values[':delta'] as number);
      if (values[':names']) row.names = values[':names'];
      if (values[':cover']) row.cover = values[':cover'];
      rows.set(keyOf(key), row);
    }
  }
  return {};
}

/** `REMOVE #cover` if the cover is `:image`, else ConditionalCheckFailedException (dropCover). */
function update(input: UpdateCommandInput) {
  const row = rows.get(keyOf(input.Key ?? {}));
  if (!row || row.cover !== input.ExpressionAttributeValues?.[':image']) {
    throw Object.assign(new Error('The conditional request failed'), { name: 'ConditionalCheckFailedException' });
  }
  delete row.cover;
  return {};
}

function batch(input: BatchWriteCommandInput) {
  for (const request of Object.values(input.RequestItems ?? {}).flat()) {
    if (request.PutRequest) rows.set(keyOf(request.PutRequest.Item ?? {}), request.PutRequest.Item as Row);
    if (request.DeleteRequest) rows.delete(keyOf(request.DeleteRequest.Key ?? {}));
  }
  return {};
}

function query(input: QueryCommandInput) {
  const values = input.ExpressionAttributeValues ?? {};
  const all = [...rows.values()]
    .filter((row) => row.term === values[':pk'] && (values[':after'] === undefined || row.imageId > values[':after']))
    .sort((a, b) => (a.imageId < b.imageId ? -1 : 1));
  const items = all.slice(0, input.Limit);
  const more = all.length > items.length;
  return { Items: items, LastEvaluatedKey: more ? { term: values[':pk'], imageId: items.at(-1)?.imageId } : undefined };
}

const dynamo = mockClient(DynamoDBDocumentClient);
const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' }));
/** The image records a write checks its postings against: each item as `write` stored it, until deleted. */
const records = new Map<string, ImageItem>();
const index = new SearchIndex(client, 'search', { records: { get: async (id) => records.get(id) } });

/** A writer: the record, then its postings (as every writer of the index does). */
async function write(item: ImageItem) {
  records.set(item.imageId, item);
  await index.upsert(item);
}

const BASEL: PlaceNames = {
  country: { name: 'Switzerland', code: 'CH' },
  region: { name: 'Basel-Stadt' },
  locality: { name: 'Basel' },
};
const WEIL: PlaceNames = {
  country: { name: 'Germany', code: 'DE' },
  region: { name: 'Baden-Württemberg' },
  locality: { name: 'Weil am Rhein' },
};

/** A processed image of alice's at `place`, as a writer stores it after `previous` (its terms and stale terms). */
function at(imageId: string, place: PlaceNames | undefined, previous?: ImageItem): ImageItem {
  const { place: _none, ...item } = searchableItem();
  return withTerms(
    { ...item, owner: 'alice', imageId, ...(place ? { place: { ...place, source: 'gps' as const } } : {}) },
    previous,
  );
}

const counts = async (limit = 1000) =>
  (await placeCounts(client, 'search', 'alice', { limit })).items.map(({ path, count }) => [path, count]);

describe('place counts', () => {
  beforeEach(() => {
    rows.clear();
    records.clear();
    conflict = false;
    dynamo.reset();
    dynamo.on(TransactWriteCommand).callsFake(transact);
    dynamo.on(BatchWriteCommand).callsFake(batch);
    dynamo.on(QueryCommand).callsFake(query);
    dynamo.on(UpdateCommand).callsFake(update);
  });

  it("keeps each place's newest photo as its cover, over the shards, and drops a cover counted out", async () => {
    const ids = imageIds(6);
    for (const id of ids) await write(at(id, BASEL));
    const covers = async () =>
      (await placeCounts(client, 'search', 'alice', { limit: 1000 })).items.map((p) => p.cover);
    const newest = [...ids].sort().at(-1) as string;
    expect(await covers()).toEqual([newest]);
    await index.remove(records.get(newest) as ImageItem);
    records.delete(newest);
    const left = await covers();
    expect(left[0]).not.toBe(newest);
    // Another shard's cover, or none until a photo is added to the newest's shard.
    expect(left[0] === undefined || ids.includes(left[0])).toBe(true);
  });

  it('counts an image once at its place, however often it is indexed again (a retry, a re-analysis)', async () => {
    const [id = ''] = imageIds(1);
    const item = at(id, BASEL);
    await write(item);
    await write(item);
    await write(at(id, BASEL, item));
    expect(await counts()).toEqual([['ch/baselstadt/basel', 1]]);
  });

  it('sums the images of a place over the shards their counters are split into', async () => {
    const ids = imageIds(12);
    expect(new Set(ids.map(searchShardOf)).size).toBeGreaterThan(1);
    for (const id of ids) await write(at(id, BASEL));
    await write(at(ids[0] ?? '', WEIL));
    expect(await counts()).toEqual([
      ['ch/baselstadt/basel', 12],
      ['de/badenwurttemberg/weil am rhein', 1],
    ]);
    const counter = rows.get(`${placeCountKey('alice', searchShardOf(ids[0] ?? ''))}|ch/baselstadt/basel`);
    expect(counter?.names).toEqual(BASEL);
  });

  it('moves an image from its old place to its new one when its place changes, and leaves out a place at zero', async () => {
    const [id = ''] = imageIds(1);
    const before = at(id, BASEL);
    await write(before);
    const after = at(id, WEIL, before);
    await write(after);
    await write(after);
    expect(await counts()).toEqual([['de/badenwurttemberg/weil am rhein', 1]]);
  });

  it('uncounts a removed image once, however often the removal is repeated', async () => {
    const [first = '', second = ''] = imageIds(2);
    await write(at(first, BASEL));
    await write(at(second, BASEL));
    await index.remove(at(first, BASEL));
    await index.remove(at(first, BASEL));
    expect(await counts()).toEqual([['ch/baselstadt/basel', 1]]);
  });

  it('uncounts an image whose postings land after its record was deleted and its postings removed', async () => {
    const [first = '', second = ''] = imageIds(2);
    await write(at(second, BASEL));
    const late = at(first, BASEL);
    await index.remove(late);
    await index.upsert(late);
    await index.upsert(late);
    expect(await counts()).toEqual([['ch/baselstadt/basel', 1]]);
    expect([...rows.keys()].filter((key) => key.includes(first))).toEqual([]);
  });

  it('counts nothing for an image without a place', async () => {
    const [id = ''] = imageIds(1);
    await write(at(id, undefined));
    expect(await counts()).toEqual([]);
    expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('fails on a transaction cancelled for another reason than the posting, so the message is retried', async () => {
    const [id = ''] = imageIds(1);
    conflict = true;
    await expect(write(at(id, BASEL))).rejects.toThrow(/TransactionConflict/);
    conflict = false;
    await write(at(id, BASEL));
    expect(await counts()).toEqual([['ch/baselstadt/basel', 1]]);
  });

  it('pages through the places by path, never splitting a count over two pages', async () => {
    const ids = imageIds(40);
    const places = (n: number): PlaceNames => ({ ...BASEL, locality: { name: `Town ${String(n).padStart(2, '0')}` } });
    for (const [i, id] of ids.entries()) await write(at(id, places(i % 10)));
    const seen = new Map<string, number>();
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await placeCounts(client, 'search', 'alice', { limit: 3, cursor });
      for (const { path, count } of page.items) {
        expect(seen.has(path)).toBe(false);
        seen.set(path, count);
      }
      cursor = page.cursor;
      pages += 1;
    } while (cursor !== undefined);
    expect(pages).toBeGreaterThan(1);
    expect([...seen.values()]).toEqual(Array.from({ length: 10 }, () => 4));
    expect([...seen.keys()]).toEqual([...seen.keys()].sort());
  });

  it("refuses a cursor made for another owner's places", async () => {
    const ids = imageIds(8);
    for (const [i, id] of ids.entries()) await write(at(id, { ...BASEL, locality: { name: `T${i}` } }));
    const { cursor } = await placeCounts(client, 'search', 'alice', { limit: 1 });
    expect(cursor).toBeDefined();
    await expect(placeCounts(client, 'search', 'bob', { limit: 1, cursor })).rejects.toThrow(/cursor/);
  });
});
