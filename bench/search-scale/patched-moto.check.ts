import { randomUUID } from 'node:crypto';
import {
  BatchGetItemCommand,
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { provision } from '../../lambdas/local/resources';
import { SearchIndex } from '../../lambdas/search/index-table';
import { postingKey } from '../../lambdas/search/postings-design';
import { parseDeploymentSettings } from '../../lambdas/settings';
import { ImageStore } from '../../lambdas/store/image-store';
import { TABLE_DESIGN } from '../../lambdas/store/table-design';
import { testEndpoint } from '../../test/support/shared-moto';
import { Library } from './corpus';
import { loadLibrary } from './load';
import { type BenchEmulator, type BenchResources, clientsFor, startBenchEmulator, withTableNames } from './moto';

/*
 * The bench's moto is patched for speed and memory (search-scale/moto.ts). These tests write the same library into
 * it and into moto as the local runner starts it, then send both the same reads and writes: every answer must be
 * the same, items, order, counts and pages.
 */

/** Enough for every read below to page (four shards of about ten postings, four at a time; scans of 17): the
 * library's size is the bench's own (npm run bench:search-scale), not this check's. */
const IMAGES = 40;
jest.setTimeout(180_000);

interface Side {
  resources: BenchResources;
  dynamodb: DynamoDBClient;
  stop(): Promise<void>;
}

let plain: Side;
let patched: Side;
const library = new Library(IMAGES, 21);

async function filled(endpoint: string, resources: BenchResources): Promise<DynamoDBClient> {
  const clients = clientsFor(endpoint);
  await loadLibrary(
    library,
    (() => {
      const store = new ImageStore(clients.document, resources.table);
      return { store, index: new SearchIndex(clients.document, resources.searchTable, { records: store }) };
    })(),
    { concurrency: 4, owner: 'studio', progress: () => {} },
    () => 0,
  );
  return clients.dynamodb;
}

beforeAll(async () => {
  // The run's moto, started as the local runner starts it; shared, so under a prefix of this file's own.
  const endpoint = testEndpoint();
  const prefix = `plain-${randomUUID().slice(0, 8)}`;
  const resources = await provision(clientsFor(endpoint), {
    prefix,
    settings: parseDeploymentSettings({}),
    visibilityTimeoutSeconds: { ingest: 60 },
  });
  const named = withTableNames(resources);
  plain = { resources: named, dynamodb: await filled(endpoint, named), stop: async () => {} };
  const bench: BenchEmulator = await startBenchEmulator('patched');
  patched = {
    resources: bench.resources,
    dynamodb: await filled(bench.endpoint, bench.resources),
    stop: () => bench.stop(),
  };
  // 15 s alone at 40 images (45 s at 120, over 180 s inside a busy `npm test`).
}, 420_000);

afterAll(async () => {
  await Promise.all([plain?.stop(), patched?.stop()]);
});

/** A command for one side's resources (the low-level client's, so answers are compared as DynamoDB JSON). */
type Request = (resources: BenchResources) => unknown;

/** Send the same request to both; each side's error, if it fails, as its name and message. */
async function bothFail(request: Request) {
  const answer = (side: Side) =>
    side.dynamodb.send(request(side.resources) as never).then(
      () => ({ failed: false }),
      (error: Error) => ({ failed: true, name: error.name, message: error.message }),
    );
  return { plain: await answer(plain), patched: await answer(patched) };
}

/** Send the same request to both and strip what differs by nature (request ids, the table's name). */
async function both(request: Request) {
  const answer = async (side: Side) => {
    const answered = (await side.dynamodb.send(request(side.resources) as never)) as unknown;
    const { $metadata: _metadata, ConsumedCapacity: _capacity, ...output } = answered as Record<string, unknown>;
    return output;
  };
  return { plain: await answer(plain), patched: await answer(patched) };
}

const owner = 'studio';
/** The id of the owner's last PROCESSED image at or before `index`. */
function ownersImage(index: number): string {
  for (let i = index; i >= 0; i--) {
    const image = library.image(i);
    if (image.final.owner === owner && image.final.status === 'PROCESSED') return image.final.imageId;
  }
  throw new Error(`no PROCESSED image of ${owner} up to ${index}`);
}
const newest = () => ownersImage(IMAGES - 1);
const middle = () => ownersImage(IMAGES >> 1);

describe('the patched moto answers as moto does', () => {
  it('pages a term of the search table, newest first, four at a time', async () => {
    let pageCount = 0;
    for (let shard = 0; shard < 4; shard++) {
      let startKey: Record<string, unknown> | undefined;
      do {
        const pages = await both(
          ({ searchTable }) =>
            new QueryCommand({
              TableName: searchTable,
              KeyConditionExpression: 'term = :pk',
              ExpressionAttributeValues: { ':pk': { S: `${owner}#all#${shard}` } },
              ScanIndexForward: false,
              Limit: 4,
              ExclusiveStartKey: startKey as never,
            }),
        );
        expect(pages.patched).toEqual(pages.plain);
        startKey = pages.plain.LastEvaluatedKey as Record<string, unknown> | undefined;
        pageCount++;
      } while (startKey);
    }
    // More than one page a shard: the cursors are compared too.
    expect(pageCount).toBeGreaterThan(8);
  });

  it('counts a term and reads below a cursor as moto does', async () => {
    const count = await both(
      ({ searchTable }) =>
        new QueryCommand({
          TableName: searchTable,
          KeyConditionExpression: 'term = :pk',
          ExpressionAttributeValues: { ':pk': { S: `${owner}#status=PROCESSED#0` } },
          Select: 'COUNT',
          Limit: 24,
        }),
    );
    expect(count.patched).toEqual(count.plain);
    const older = await both(
      ({ searchTable }) =>
        new QueryCommand({
          TableName: searchTable,
          KeyConditionExpression: 'term = :pk AND imageId < :older',
          ExpressionAttributeValues: { ':pk': { S: `${owner}#all#3` }, ':older': { S: middle() } },
          ScanIndexForward: false,
        }),
    );
    expect(older.patched).toEqual(older.plain);
    expect(older.plain.Count).toBeGreaterThan(0);
  });

  it('scans the records table page by page with a filter', async () => {
    let startKey: Record<string, unknown> | undefined;
    let pages = 0;
    do {
      const page = await both(
        ({ table }) =>
          new ScanCommand({
            TableName: table,
            FilterExpression: 'contains(indexedTerms, :term) AND attribute_exists(#vision.#faces[0])',
            ExpressionAttributeNames: { '#vision': 'vision', '#faces': 'faces' },
            ExpressionAttributeValues: { ':term': { S: 'label=person' } },
            Limit: 17,
            ExclusiveStartKey: startKey as never,
          }),
      );
      expect(page.patched).toEqual(page.plain);
      startKey = page.plain.LastEvaluatedKey as Record<string, unknown> | undefined;
      pages++;
    } while (startKey);
    expect(pages).toBeGreaterThan(IMAGES / 17);
  });

  it('queries a list index and reads records by key', async () => {
    const index = TABLE_DESIGN.indexes.byOwnerSharded;
    const listed = await both(
      ({ table }) =>
        new QueryCommand({
          TableName: table,
          IndexName: index.indexName,
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': index.partitionKey },
          ExpressionAttributeValues: { ':pk': { S: `${owner}#5` } },
          ScanIndexForward: false,
          Limit: 5,
        }),
    );
    expect(listed.patched).toEqual(listed.plain);
    const got = await both(({ table }) => new GetItemCommand({ TableName: table, Key: { imageId: { S: newest() } } }));
    expect(got.patched).toEqual(got.plain);
    const batch = await both(
      ({ table }) =>
        new BatchGetItemCommand({
          RequestItems: { [table]: { Keys: [{ imageId: { S: newest() } }, { imageId: { S: middle() } }] } },
        }),
    );
    const sorted = (output: Record<string, unknown>) =>
      Object.values(output.Responses as Record<string, Array<{ imageId: { S: string } }>>)
        .flat()
        .sort((a, b) => a.imageId.S.localeCompare(b.imageId.S));
    expect(sorted(batch.patched)).toEqual(sorted(batch.plain));
  });

  it('keeps an update of a stored item, and forgets a deleted posting', async () => {
    const update = await both(
      ({ table }) =>
        new UpdateItemCommand({
          TableName: table,
          Key: { imageId: { S: middle() } },
          UpdateExpression: 'SET #note = :note REMOVE indexedTerms',
          ExpressionAttributeNames: { '#note': 'note' },
          ExpressionAttributeValues: { ':note': { S: 'checked' } },
          ReturnValues: 'ALL_NEW',
        }),
    );
    expect(update.patched).toEqual(update.plain);
    const after = await both(
      ({ table }) => new GetItemCommand({ TableName: table, Key: { imageId: { S: middle() } } }),
    );
    expect(after.patched).toEqual(after.plain);
    expect((after.plain.Item as Record<string, unknown>).note).toEqual({ S: 'checked' });

    const key = { term: { S: postingKey(owner, 'all', newest()) }, imageId: { S: newest() } };
    const removed = await both(
      ({ searchTable }) => new DeleteItemCommand({ TableName: searchTable, Key: key, ReturnValues: 'ALL_OLD' }),
    );
    expect(removed.patched).toEqual(removed.plain);
    const gone = await both(({ searchTable }) => new GetItemCommand({ TableName: searchTable, Key: key }));
    expect(gone.patched).toEqual(gone.plain);
    expect(gone.plain.Item).toBeUndefined();
  });

  it('stores and returns every kind of value as moto does, binary included, and refuses what moto refuses', async () => {
    const item = {
      imageId: { S: 'extra-kinds' },
      text: { S: 'héllo ✓' },
      count: { N: '12.50' },
      flag: { BOOL: false },
      nothing: { NULL: true },
      words: { SS: ['b', 'a'] },
      numbers: { NS: ['3', '1.5'] },
      list: { L: [{ S: 'x' }, { N: '1' }, { M: { deep: { L: [{ BOOL: true }] } } }] },
      map: { M: { a: { S: '' }, b: { NS: ['7'] } } },
    };
    const binary = { ...item, imageId: { S: 'extra-binary' }, blob: { B: new Uint8Array([0, 1, 2, 255]) } };
    for (const written of [item, binary]) {
      const put = await both(({ table }) => new PutItemCommand({ TableName: table, Item: written }));
      expect(put.patched).toEqual(put.plain);
      const got = await both(
        ({ table }) => new GetItemCommand({ TableName: table, Key: { imageId: written.imageId } }),
      );
      expect(got.patched).toEqual(got.plain);
      expect(got.plain.Item).toBeDefined();
    }
    const refused = await bothFail(
      ({ table }) =>
        new PutItemCommand({
          TableName: table,
          Item: {
            imageId: { S: 'extra-too-large' },
            big: { L: Array.from({ length: 5 }, () => ({ S: 'x'.repeat(90_000) })) },
          },
        }),
    );
    expect(refused.patched).toEqual(refused.plain);
    expect(refused.plain.failed).toBe(true);
    const conditional = await bothFail(
      ({ table }) =>
        new PutItemCommand({ TableName: table, Item: item, ConditionExpression: 'attribute_not_exists(imageId)' }),
    );
    expect(conditional.patched).toEqual(conditional.plain);
    expect(conditional.plain.failed).toBe(true);
  });

  it('answers updates with each ReturnValues as moto does', async () => {
    const key = { imageId: { S: newest() } };
    for (const returnValues of ['NONE', 'ALL_OLD', 'UPDATED_OLD', 'UPDATED_NEW', 'ALL_NEW'] as const) {
      const update = await both(
        ({ table }) =>
          new UpdateItemCommand({
            TableName: table,
            Key: key,
            UpdateExpression: 'SET #n = :n, #m = if_not_exists(#m, :m), #c = if_not_exists(#c, :c) REMOVE eventPending',
            ExpressionAttributeNames: { '#n': 'note', '#m': 'marker', '#c': 'createdAt' },
            ExpressionAttributeValues: { ':n': { S: returnValues }, ':m': { M: { at: { N: '1' } } }, ':c': { S: 'x' } },
            ReturnValues: returnValues,
          }),
      );
      expect(update.patched).toEqual(update.plain);
    }
    const got = await both(({ table }) => new GetItemCommand({ TableName: table, Key: key }));
    expect(got.patched).toEqual(got.plain);
  });

  it('refuses the update expressions moto refuses, with the same error', async () => {
    const key = { imageId: { S: middle() } };
    const expressions: Array<[string, Record<string, string>, Record<string, { S: string }>]> = [
      ['REMOVE a REMOVE b', {}, {}],
      ['SET a = :v SET b = :v', {}, { ':v': { S: 'v' } }],
      ['SET #a = :v, #b = :w', { '#a': 'same', '#b': 'same' }, { ':v': { S: 'v' }, ':w': { S: 'w' } }],
      ['SET a.b = :v, a = :w', {}, { ':v': { S: 'v' }, ':w': { S: 'w' } }],
      ['SET imageId = :v', {}, { ':v': { S: 'v' } }],
      ['SET a = b', {}, {}],
    ];
    for (const [expression, names, values] of expressions) {
      const refused = await bothFail(
        ({ table }) =>
          new UpdateItemCommand({
            TableName: table,
            Key: key,
            UpdateExpression: expression,
            ExpressionAttributeNames: Object.keys(names).length > 0 ? names : undefined,
            ExpressionAttributeValues: Object.keys(values).length > 0 ? values : undefined,
          }),
      );
      expect(refused.patched).toEqual(refused.plain);
      expect(refused.plain.failed).toBe(true);
    }
  });
});
