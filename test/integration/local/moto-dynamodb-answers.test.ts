import { randomUUID } from 'node:crypto';
import {
  type AttributeValue,
  CreateTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { testEndpoint } from '../../support/shared-moto';

/*
 * The emulator writes DynamoDB answers its own faster way (moto-launcher.ts: AttributeValues that are already
 * DynamoDB JSON, and a projection that reads the item once): every attribute type still comes back as it went in,
 * binary and nested lists of maps among them, through GetItem (whole and projected), Query, Scan and UpdateItem.
 */

const dynamodb = new DynamoDBClient({
  endpoint: testEndpoint(),
  region: 'us-east-1',
  credentials: { accessKeyId: 'k', secretAccessKey: 's' },
});
const table = `moto-answers-${randomUUID().slice(0, 8)}`;
const id = { S: 'image-1' };

const item: Record<string, AttributeValue> = {
  id,
  text: { S: 'Café au lait' },
  empty: { S: '' },
  number: { N: '-0.5' },
  yes: { BOOL: true },
  no: { BOOL: false },
  nothing: { NULL: true },
  strings: { SS: ['a', 'b'] },
  numbers: { NS: ['1', '2.5'] },
  bytes: { B: new Uint8Array([0, 1, 2, 255]) },
  byteSet: { BS: [new Uint8Array([1]), new Uint8Array([2, 3])] },
  analysis: {
    M: {
      status: { S: 'PROCESSED' },
      metadata: { M: { width: { N: '4000' }, height: { N: '3000' }, exif: { M: {} } } },
      thumbnails: { L: [{ M: { size: { N: '1024' }, blob: { B: new Uint8Array([9]) } } }, { L: [] }, { N: '7' }] },
    },
  },
};

beforeAll(async () => {
  await dynamodb.send(
    new CreateTableCommand({
      TableName: table,
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  await dynamodb.send(new PutItemCommand({ TableName: table, Item: item }));
});

/** Sets come back in any order; everything else as it went in. */
function normalised(value: Record<string, AttributeValue> | undefined) {
  return JSON.parse(
    JSON.stringify(value, (_key, v: unknown) =>
      v instanceof Uint8Array ? Buffer.from(v).toString('hex') : Array.isArray(v) ? v : v,
    ),
    (key, v: unknown) => (['SS', 'NS', 'BS'].includes(key) && Array.isArray(v) ? [...v].sort() : v),
  );
}

it('answers a GetItem, a Query and a Scan with every attribute type as written', async () => {
  const got = await dynamodb.send(new GetItemCommand({ TableName: table, Key: { id }, ConsistentRead: true }));
  const queried = await dynamodb.send(
    new QueryCommand({
      TableName: table,
      KeyConditionExpression: 'id = :id',
      ExpressionAttributeValues: { ':id': id },
    }),
  );
  const scanned = await dynamodb.send(new ScanCommand({ TableName: table }));

  expect(normalised(got.Item)).toEqual(normalised(item));
  expect(normalised(queried.Items?.[0])).toEqual(normalised(item));
  expect(normalised(scanned.Items?.[0])).toEqual(normalised(item));
});

it('answers a projection of nested paths, list items and binary values', async () => {
  const got = await dynamodb.send(
    new GetItemCommand({
      TableName: table,
      Key: { id },
      // A name with a list index is spelt out: moto does not see `#t` in `#t[0]` as used.
      ProjectionExpression: '#a.#m.#w, #a.thumbnails[0], bytes, strings, #missing.#x',
      ExpressionAttributeNames: {
        '#a': 'analysis',
        '#m': 'metadata',
        '#w': 'width',
        '#missing': 'missing',
        '#x': 'x',
      },
    }),
  );

  expect(normalised(got.Item)).toEqual(
    normalised({
      analysis: {
        M: {
          metadata: { M: { width: { N: '4000' } } },
          thumbnails: { L: [{ M: { size: { N: '1024' }, blob: { B: new Uint8Array([9]) } } }] },
        },
      },
      bytes: item.bytes as AttributeValue,
      strings: item.strings as AttributeValue,
    }),
  );
});

it('answers an UpdateItem with the new item, nested maps in lists included', async () => {
  const updated = await dynamodb.send(
    new UpdateItemCommand({
      TableName: table,
      Key: { id },
      UpdateExpression: 'SET added = :v',
      ExpressionAttributeValues: { ':v': { L: [{ M: { deep: { BOOL: false } } }] } },
      ReturnValues: 'ALL_NEW',
    }),
  );

  expect(normalised(updated.Attributes)).toEqual(
    normalised({ ...item, added: { L: [{ M: { deep: { BOOL: false } } }] } }),
  );
});

it('answers the old values an UpdateItem asks for, and changes the item in place when it asks for none', async () => {
  const key = { id: { S: `copies-${randomUUID()}` } };
  const append = (value: string, ReturnValues?: 'NONE' | 'UPDATED_OLD' | 'ALL_OLD') =>
    dynamodb.send(
      new UpdateItemCommand({
        TableName: table,
        Key: key,
        UpdateExpression: 'SET seen = list_append(if_not_exists(seen, :none), :v)',
        ExpressionAttributeValues: { ':none': { L: [] }, ':v': { L: [{ S: value }] } },
        ReturnValues,
      }),
    );

  // The launcher skips moto's copies of the stored item when nothing reads them (no return values, no stream).
  expect((await append('a')).Attributes).toBeUndefined();
  expect((await append('b', 'NONE')).Attributes).toBeUndefined();
  expect((await append('c', 'UPDATED_OLD')).Attributes).toEqual({ seen: { L: [{ S: 'a' }, { S: 'b' }] } });
  expect((await append('d', 'ALL_OLD')).Attributes).toEqual({
    ...key,
    seen: { L: [{ S: 'a' }, { S: 'b' }, { S: 'c' }] },
  });
  const stored = await dynamodb.send(new GetItemCommand({ TableName: table, Key: key }));
  expect(stored.Item).toEqual({ ...key, seen: { L: ['a', 'b', 'c', 'd'].map((S) => ({ S })) } });
});

describe('a Query of an index (its items gathered unsorted, answered from the stored items)', () => {
  const indexed = `moto-index-${randomUUID().slice(0, 8)}`;
  // Written out of order, three parts of 12, each record with a nested map the answers must not change.
  const ids = Array.from({ length: 36 }, (_, i) => (i * 17) % 36);
  const record = (n: number): Record<string, AttributeValue> => ({
    id: { S: `img-${String(n).padStart(2, '0')}` },
    part: { S: `p${n % 3}` },
    at: { S: String(500 - n) },
    analysis: { M: { labels: { L: [{ M: { text: { S: `label ${n}` }, score: { N: '0.9' } } }] } } },
  });

  beforeAll(async () => {
    await dynamodb.send(
      new CreateTableCommand({
        TableName: indexed,
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        AttributeDefinitions: ['id', 'part', 'at'].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
        GlobalSecondaryIndexes: [
          {
            IndexName: 'byPart',
            KeySchema: [
              { AttributeName: 'part', KeyType: 'HASH' },
              { AttributeName: 'at', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    for (const n of ids) await dynamodb.send(new PutItemCommand({ TableName: indexed, Item: record(n) }));
  });

  /** Every page of the part's items, newest `at` first, 5 a page. */
  async function pages(part: string, projection?: string) {
    const seen: Record<string, AttributeValue>[][] = [];
    let start: Record<string, AttributeValue> | undefined;
    do {
      const page = await dynamodb.send(
        new QueryCommand({
          TableName: indexed,
          IndexName: 'byPart',
          KeyConditionExpression: 'part = :part AND #at < :before',
          ExpressionAttributeNames: { '#at': 'at' },
          ExpressionAttributeValues: { ':part': { S: part }, ':before': { S: '999' } },
          ScanIndexForward: false,
          Limit: 5,
          ExclusiveStartKey: start,
          ProjectionExpression: projection,
        }),
      );
      seen.push(page.Items ?? []);
      start = page.LastEvaluatedKey;
    } while (start);
    return seen;
  }

  it('answers the part in its index order, page by page', async () => {
    const expected = ids
      .filter((n) => n % 3 === 1)
      .sort((a, b) => a - b)
      .map((n) => record(n));
    const seen = await pages('p1');
    expect(seen.map((page) => page.length)).toEqual([5, 5, 2]);
    expect(seen.flat().map(normalised)).toEqual(expected.map(normalised));
  });

  it('leaves the stored items whole after a projected and filtered query', async () => {
    const projected = await pages('p2', 'id, analysis.labels[0].text');
    expect(projected.flat()[0]).toEqual({
      id: { S: 'img-02' },
      analysis: { M: { labels: { L: [{ M: { text: { S: 'label 2' } } }] } } },
    });
    const filtered = await dynamodb.send(
      new QueryCommand({
        TableName: indexed,
        IndexName: 'byPart',
        KeyConditionExpression: 'part = :part',
        FilterExpression: '#at <= :at',
        ExpressionAttributeNames: { '#at': 'at' },
        ExpressionAttributeValues: { ':part': { S: 'p0' }, ':at': { S: '470' } },
      }),
    );
    expect(filtered.Items?.map((found) => found.id?.S)).toEqual(['img-33', 'img-30']);
    const got = await dynamodb.send(new GetItemCommand({ TableName: indexed, Key: { id: { S: 'img-02' } } }));
    expect(normalised(got.Item)).toEqual(normalised(record(2)));
  });
});
