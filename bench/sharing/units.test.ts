import type { IndexShape, Item } from '../support/dynamodb';
import { API_MEMORY_MB, billedSeconds, costPer1000 } from './cost';
import { keyName, readFigure, readsOf, replayOf, type TableShape, writeFigures, writesOf } from './units';

const byAlbum: IndexShape = { indexName: 'byAlbum', partitionKey: 'memberAlbum', projection: 'KEYS_ONLY' };
const byOwner: IndexShape = { indexName: 'byOwner', partitionKey: 'albumOwner', projection: 'ALL' };
const albums: TableShape = { name: 'albums', keys: ['pk', 'sk'], indexes: [byAlbum, byOwner] };
const tables = new Map([['albums', albums]]);

const album: Item = { pk: { S: 'AL#a' }, sk: { S: 'META' }, albumOwner: { S: 'alice' }, count: { N: '1' } };
const member: Item = { pk: { S: 'AL#a' }, sk: { S: 'I#b' }, memberAlbum: { S: 'a' } };

describe("a request's writes", () => {
  const transaction = JSON.stringify({
    TransactItems: [
      { Update: { TableName: 'albums', Key: { pk: album.pk, sk: album.sk }, UpdateExpression: 'ADD #c :one' } },
      { Put: { TableName: 'albums', Item: member, ConditionExpression: 'attribute_not_exists(pk)' } },
    ],
  });

  it("reads the items a transaction writes, each by its table's keys", () => {
    expect(writesOf('TransactWriteItems', transaction, tables)).toEqual([
      { table: 'albums', key: { pk: album.pk, sk: album.sk }, kind: 'update', transactional: true },
      { table: 'albums', key: { pk: member.pk, sk: member.sk }, kind: 'put', transactional: true },
    ]);
    expect(writesOf('GetItem', '{}', tables)).toEqual([]);
  });

  it('charges a transaction twice per item, and each index its own write once', () => {
    const counted: Item = { ...album, count: { N: '2' } };
    const before = new Map([[keyName('albums', { pk: album.pk, sk: album.sk } as Item), album]]);
    const after = new Map([
      [keyName('albums', { pk: album.pk, sk: album.sk } as Item), counted],
      [keyName('albums', { pk: member.pk, sk: member.sk } as Item), member],
    ]);
    const figures = writeFigures(
      writesOf('TransactWriteItems', transaction, tables),
      tables,
      (table, key) => before.get(keyName(table, key)),
      (table, key) => after.get(keyName(table, key)),
    );
    // The album's count changed under an ALL index (an update there); the member entered a keys-only index.
    expect(figures).toEqual({
      items: 2,
      transactional: 2,
      tableUnits: 4,
      indexWrites: 2,
      indexUnits: 2,
      byPlace: { albums: 4, 'albums/byOwner': 1, 'albums/byAlbum': 1 },
    });
  });

  it('writes no index an item is not in', () => {
    const view = JSON.stringify({ TableName: 'albums', Key: { pk: { S: 'SH#x' }, sk: { S: 'TRY#t' } } });
    const figures = writeFigures(
      writesOf('UpdateItem', view, tables),
      tables,
      () => undefined,
      () => ({ pk: { S: 'SH#x' }, sk: { S: 'TRY#t' }, count: { N: '1' } }),
    );
    expect([figures.tableUnits, figures.indexWrites]).toEqual([1, 0]);
  });
});

describe("a request's reads", () => {
  it('charges each key of a batch, consistent or not, and a transaction twice', () => {
    const batch = readsOf(
      'BatchGetItem',
      JSON.stringify({ RequestItems: { images: { Keys: [{ imageId: { S: 'a' } }, { imageId: { S: 'b' } }] } } }),
    );
    expect(batch).toEqual([expect.objectContaining({ table: 'images', consistent: false })]);
    expect(readFigure({ api: 'BatchGetItem', consistent: false }, [5000, undefined])).toBe(1 + 0.5);
    expect(readFigure({ api: 'GetItem', consistent: true }, [100])).toBe(1);
    expect(readFigure({ api: 'TransactGetItems', consistent: true }, [100])).toBe(2);
  });

  it('charges a Query for all its items together, and sends it again without projection or filter', () => {
    expect(readFigure({ api: 'Query', consistent: false }, [3000, 3000])).toBe(1);
    const request = {
      TableName: 'albums',
      IndexName: 'byAlbum',
      KeyConditionExpression: '#a = :a',
      FilterExpression: '#s = :s',
      ProjectionExpression: '#s',
      ExpressionAttributeNames: { '#a': 'memberAlbum', '#s': 'status' },
      ExpressionAttributeValues: { ':a': { S: 'a' }, ':s': { S: 'X' } },
      Limit: 50,
    };
    expect(replayOf(request)).toEqual({
      TableName: 'albums',
      IndexName: 'byAlbum',
      KeyConditionExpression: '#a = :a',
      ExpressionAttributeNames: { '#a': 'memberAlbum' },
      ExpressionAttributeValues: { ':a': { S: 'a' } },
      Limit: 50,
    });
  });
});

describe('what 1,000 requests cost', () => {
  it("stretches the CPU by the function's share of a vCPU and adds the time on AWS", () => {
    expect(billedSeconds(14.47, 10, 256)).toBeCloseTo(0.11, 2);
  });

  it('adds API Gateway, Lambda, DynamoDB and an event', () => {
    const { lines, usd } = costPer1000({
      calls: { 'events.PutEvents': 1, 'dynamodb.PutItem': 1 },
      cpuMs: 0,
      awsMs: 0,
      writeUnits: 2,
      readUnits: 1,
    });
    expect(lines.map((l) => l.item)).toEqual([
      'API Gateway REST',
      'Lambda requests',
      'Lambda compute',
      'DynamoDB on demand',
      'EventBridge',
    ]);
    // 0.0035 + 0.0002 + 0 + (2 x 0.625 + 1 x 0.125) / 1,000 + 0.001
    expect(usd).toBeCloseTo(0.0035 + 0.0002 + 0.001375 + 0.001, 8);
    expect(API_MEMORY_MB).toBe(256);
  });
});
