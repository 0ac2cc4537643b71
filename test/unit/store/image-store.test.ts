import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import type { ImageStatus } from '../../../lambdas/store/image-item';
import { ImageStore } from '../../../lambdas/store/image-store';
import { shardAttributes, shardOf } from '../../../lambdas/store/list-shards';
import { LIST_ITEM_ATTRIBUTES, LIST_SHARDS } from '../../../lambdas/store/table-design';
import { OTHER_USER, TEST_USER } from '../../support/identities';
import { answerListQuery, IDS, imageIds, imageItem, pendingItem, setFields } from '../../support/items';

/** Every owner's images, as an admin lists them. */
const ALL = {};

const dynamo = mockClient(DynamoDBDocumentClient);
const store = new ImageStore(DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' })), 'table-1');

/** The attributes the last SET update wrote, by name (as the update expression's aliases say). */
function updated(): Record<string, unknown> {
  const update = dynamo.commandCalls(UpdateCommand).at(-1)?.args[0].input;
  if (!update) throw new Error('nothing was updated');
  return setFields(update);
}

/** What the store's contract promises the API handlers. */
describe('ImageStore, as the API uses it', () => {
  beforeEach(() => {
    dynamo.reset();
    dynamo.on(QueryCommand).resolves({ Items: [] });
  });

  it('creates a PENDING item only if the id is new', async () => {
    dynamo.on(PutCommand).resolves({});
    await store.createPending(pendingItem());
    expect(dynamo).toHaveReceivedCommandWith(PutCommand, {
      TableName: 'table-1',
      Item: {
        ...pendingItem(),
        listShard: `IMAGE#${shardOf(IDS.newer)}`,
        statusShard: `PENDING#${shardOf(IDS.newer)}`,
        ownerShard: `${TEST_USER.sub}#${shardOf(IDS.newer)}`,
        ownerStatusShard: `${TEST_USER.sub}#PENDING#${shardOf(IDS.newer)}`,
        takenKey: `${pendingItem().createdAt.slice(0, 19)}#${IDS.newer}`,
      },
      ConditionExpression: 'attribute_not_exists(imageId)',
    });
  });

  it('writes the metadata as a Map, which the SDK marshals from its entries whatever the keys', async () => {
    // A plain object with an own `constructor` key is refused by the marshaller (a 500); the round trip through a
    // real table is in test/integration/store/client-keys.test.ts.
    dynamo.on(PutCommand).resolves({});
    await store.createPending(pendingItem({ metadata: { constructor: 'c', toString: 't' } }));
    const item = dynamo.commandCalls(PutCommand)[0]?.args[0].input.Item;
    expect(item?.metadata).toEqual(
      new Map([
        ['constructor', 'c'],
        ['toString', 't'],
      ]),
    );
  });

  it('lets an existing id fail createPending', async () => {
    dynamo.on(PutCommand).rejects(new ConditionalCheckFailedException({ message: 'exists', $metadata: {} }));
    await expect(store.createPending(pendingItem())).rejects.toBeInstanceOf(ConditionalCheckFailedException);
  });

  it('reads one item consistently, so a just-created upload is found, without its list keys', async () => {
    dynamo.on(GetCommand).resolves({ Item: { ...imageItem(), ...shardAttributes(IDS.newer, 'PROCESSED') } });
    await expect(store.get(IDS.newer)).resolves.toEqual(imageItem());
    expect(dynamo).toHaveReceivedCommandWith(GetCommand, { Key: { imageId: IDS.newer }, ConsistentRead: true });
  });

  it('deletes an item and answers what it held', async () => {
    dynamo.on(DeleteCommand).resolves({ Attributes: imageItem() });
    await expect(store.delete(IDS.newer)).resolves.toEqual(imageItem());
    expect(dynamo).toHaveReceivedCommandWith(DeleteCommand, { Key: { imageId: IDS.newer }, ReturnValues: 'ALL_OLD' });
  });

  it('answers undefined when deleting an item that is not there', async () => {
    dynamo.on(DeleteCommand).resolves({});
    await expect(store.delete(IDS.unknown)).resolves.toBeUndefined();
  });
});

describe('ImageStore, keeping the list keys in step with the status', () => {
  beforeEach(() => {
    dynamo.reset();
    dynamo.on(UpdateCommand).resolves({});
  });

  it.each<[string, ImageStatus]>([
    ['PROCESSED', 'PROCESSED'],
    ['REJECTED', 'REJECTED'],
  ])('moves a finalised %s image to its status shard, keeping its list shard', async (_name, status) => {
    await store.finalise(imageItem({ status }));
    const shard = shardOf(IDS.newer);
    expect(updated()).toMatchObject({ status, listShard: `IMAGE#${shard}`, statusShard: `${status}#${shard}` });
  });

  it('keeps the tags and metadata the upload recorded: written only if the item has none yet', async () => {
    await store.finalise(imageItem({ tags: ['pier'], metadata: { album: 'summer' } }));
    const update = dynamo.commandCalls(UpdateCommand).at(-1)?.args[0].input;
    expect(update?.UpdateExpression).toContain('#tags = if_not_exists(#tags, :tags)');
    expect(update?.UpdateExpression).toContain('#metadata = if_not_exists(#metadata, :metadata)');
    expect(update?.UpdateExpression).not.toMatch(/REMOVE .*(tags|metadata)/);
    // The metadata as a Map, which the marshaller takes whatever its keys (upload-metadata.ts: metadataAttribute).
    expect(updated()).toMatchObject({ tags: ['pier'], metadata: new Map([['album', 'summer']]) });
  });

  it('never removes recorded tags or metadata when the final item has none', async () => {
    await store.finalise(imageItem({ status: 'PROCESSED' }));
    const expression = dynamo.commandCalls(UpdateCommand).at(-1)?.args[0].input.UpdateExpression ?? '';
    expect(expression).not.toMatch(/tags|metadata/);
  });

  it("moves the image to its status shard in its owner's list too, and files its bytes under its owner", async () => {
    await store.finalise(imageItem({ status: 'PROCESSED' }));
    const shard = shardOf(IDS.newer);
    expect(updated()).toMatchObject({
      owner: TEST_USER.sub,
      ownerShard: `${TEST_USER.sub}#${shard}`,
      ownerStatusShard: `${TEST_USER.sub}#PROCESSED#${shard}`,
      ownerSha256: `${TEST_USER.sub}#${'a'.repeat(64)}`,
    });
  });

  it.each([
    ['PROCESSED with its hash', imageItem()],
    ['REJECTED without a hash', imageItem({ status: 'REJECTED', sha256: undefined })],
    ['FAILED without an owner', pendingItem({ owner: undefined, status: 'FAILED' })],
  ])('never sets and removes the same attribute in one update (%s)', async (_name, item) => {
    await store.finalise(item);
    const input = dynamo.commandCalls(UpdateCommand).at(-1)?.args[0].input;
    const [set = '', remove = ''] = (input?.UpdateExpression ?? '').split(' REMOVE ');
    const named = (part: string) =>
      [...part.matchAll(/#[A-Za-z0-9_]+/g)].map((match) => input?.ExpressionAttributeNames?.[match[0]]);
    const setNames = set.split(', ').map((assignment) => named(assignment)[0]);
    expect(named(remove).filter((name) => setNames.includes(name))).toEqual([]);
  });

  it("removes an earlier version's eager renditions from a record whose new version has none", async () => {
    await store.finalise(imageItem({ status: 'REJECTED', thumbnails: undefined }));
    const input = dynamo.commandCalls(UpdateCommand).at(-1)?.args[0].input;
    const [, remove = ''] = (input?.UpdateExpression ?? '').split(' REMOVE ');
    const removed = [...remove.matchAll(/#[A-Za-z0-9_]+/g)].map((match) => input?.ExpressionAttributeNames?.[match[0]]);
    expect(removed).toEqual(expect.arrayContaining(['thumbnails', 'eagerRenditions']));
  });

  it("removes an earlier version's people from a record whose new version has none (grouping off, say)", async () => {
    await store.finalise(imageItem());
    const input = dynamo.commandCalls(UpdateCommand).at(-1)?.args[0].input;
    const [, remove = ''] = (input?.UpdateExpression ?? '').split(' REMOVE ');
    const removed = [...remove.matchAll(/#[A-Za-z0-9_]+/g)].map((match) => input?.ExpressionAttributeNames?.[match[0]]);
    expect(removed).toContain('people');
  });

  it('writes only if the record has no owner or the same one, so an owner never changes', async () => {
    await store.finalise(imageItem());
    const input = dynamo.commandCalls(UpdateCommand).at(-1)?.args[0].input;
    expect(input?.ConditionExpression).toMatch(
      /^\(attribute_not_exists\(#status\) OR #status <> :trashed\) AND \(attribute_not_exists\(#owner\) OR #owner = :owner\) AND /,
    );
    expect(input?.ExpressionAttributeValues?.[':owner']).toBe(TEST_USER.sub);
  });

  it('writes an image without an owner only over a record without one, and gives it no owner keys', async () => {
    await store.finalise(imageItem({ owner: undefined }));
    const input = dynamo.commandCalls(UpdateCommand).at(-1)?.args[0].input;
    expect(input?.ConditionExpression).toMatch(
      /^\(attribute_not_exists\(#status\) OR #status <> :trashed\) AND attribute_not_exists\(#owner\) AND /,
    );
    expect(updated()).not.toHaveProperty('ownerShard');
    expect(updated()).not.toHaveProperty('ownerStatusShard');
    expect(updated()).not.toHaveProperty('ownerSha256');
  });

  it('re-owns only when asked: then any state of a record under another owner or none, until it has the new one', async () => {
    await store.finalise(imageItem({ etag: '"e1"' }), { reown: true });
    const input = dynamo.commandCalls(UpdateCommand).at(-1)?.args[0].input;
    // No "same owner" clause; a record already the new owner's is replaced only as any other write replaces it.
    expect(input?.ConditionExpression).toBe(
      '(attribute_not_exists(#status) OR #status <> :trashed) AND ' +
        '(attribute_not_exists(#etag) OR #etag <> :etag OR NOT (#status IN (:processed, :rejected))' +
        ' OR attribute_not_exists(#owner) OR #owner <> :owner)' +
        ' AND (attribute_not_exists(#archived) OR #archived <> :archivedTrue)' +
        ' AND (attribute_not_exists(#locked) OR #locked <> :lockedTrue)' +
        ' AND attribute_not_exists(#stackedIn)',
    );
    expect(input?.ExpressionAttributeValues?.[':owner']).toBe(TEST_USER.sub);
    expect(updated()).toMatchObject({ owner: TEST_USER.sub, ownerShard: expect.stringMatching(`^${TEST_USER.sub}#`) });
    // Without an owner to give, a re-own is an ordinary write: the record's owner is kept.
    await store.finalise(imageItem({ owner: undefined }), { reown: true });
    const unowned = dynamo.commandCalls(UpdateCommand).at(-1)?.args[0].input;
    expect(unowned?.ConditionExpression).toMatch(
      /^\(attribute_not_exists\(#status\) OR #status <> :trashed\) AND attribute_not_exists\(#owner\) AND /,
    );
  });

  it('answers false, writing nothing, when the record belongs to another owner than the item says', async () => {
    dynamo.on(UpdateCommand).rejects(new ConditionalCheckFailedException({ message: 'no', $metadata: {} }));
    await expect(store.finalise(imageItem({ owner: OTHER_USER.sub }))).resolves.toBe(false);
  });

  it("looks for earlier copies of the bytes among the owner's images only", async () => {
    dynamo.on(QueryCommand).resolves({ Items: [{ imageId: IDS.older }] });
    await expect(store.findDuplicate(TEST_USER.sub, 'b'.repeat(64), IDS.newer)).resolves.toBe(IDS.older);
    expect(dynamo).toHaveReceivedCommandWith(QueryCommand, {
      IndexName: 'byOwnerSha256',
      ExpressionAttributeValues: { ':sha': `${TEST_USER.sub}#${'b'.repeat(64)}`, ':id': IDS.newer },
      ScanIndexForward: true,
      Limit: 1,
    });
  });

  it('moves an image that failed for good to its FAILED shard', async () => {
    await store.markFailed(pendingItem({ error: { code: 'Error', message: 'x' } }));
    const shard = shardOf(IDS.newer);
    expect(updated()).toMatchObject({ status: 'FAILED', listShard: `IMAGE#${shard}`, statusShard: `FAILED#${shard}` });
  });

  it('spreads images evenly over the LIST_SHARDS shards', () => {
    const ids = imageIds(16_000);
    const counts = new Array<number>(LIST_SHARDS).fill(0);
    for (const id of ids) counts[shardOf(id)] = (counts[shardOf(id)] ?? 0) + 1;
    expect(counts.every((count) => count > 0)).toBe(true);
    expect(Math.max(...counts) / ids.length).toBeLessThan(1 / 8);
  });

  it('gives an image the same shard every time, from its id alone (FNV-1a)', () => {
    // It depends on the id alone, pinned here so that changing the hash is a decision, not an accident.
    expect([IDS.older, IDS.newer, IDS.unknown].map(shardOf)).toEqual([10, 5, 10]);
  });

  it('writes the shards as the key prefixes the list reads: IMAGE#<n> and <STATUS>#<n>', () => {
    expect(shardAttributes(IDS.older, 'PENDING')).toEqual({
      listShard: `IMAGE#${shardOf(IDS.older)}`,
      statusShard: `PENDING#${shardOf(IDS.older)}`,
    });
    expect(shardAttributes(IDS.older, 'PENDING', 'alice')).toMatchObject({
      ownerShard: `alice#${shardOf(IDS.older)}`,
      ownerStatusShard: `alice#PENDING#${shardOf(IDS.older)}`,
    });
    expect(LIST_SHARDS).toBe(16);
  });
});

/** A table of `ids` (oldest first) with their list keys, as the store writes them. */
function table(ids: readonly string[], status: (i: number) => ImageStatus = () => 'PROCESSED') {
  return ids.map((imageId, i) => ({
    ...imageItem({ imageId, status: status(i), analysis: undefined }),
    ...shardAttributes(imageId, status(i)),
  }));
}

/** Answer the store's queries from `stored`, as the INCLUDE-projected list indexes would. */
function serve(stored: readonly Record<string, unknown>[], pageSize?: number) {
  dynamo
    .on(QueryCommand)
    .callsFake((input) => answerListQuery(stored, input, { projected: LIST_ITEM_ATTRIBUTES, pageSize }));
}

/** Every page of a list, following the cursor to the end. */
async function allPages(query: { status?: ImageStatus; limit: number }) {
  const pages: { ids: string[]; cursor?: string }[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.list({ scope: ALL, ...query, cursor });
    pages.push({ ids: page.items.map((item) => item.imageId), cursor: page.cursor });
    cursor = page.cursor;
  } while (cursor !== undefined && pages.length < 1000);
  return pages;
}

describe('ImageStore.list over the sharded list indexes', () => {
  beforeEach(() => dynamo.reset());

  it('queries every shard of byCreatedSharded in parallel, newest first, each with the page limit', async () => {
    serve([]);
    await store.list({ scope: ALL, limit: 5 });
    const inputs = dynamo.commandCalls(QueryCommand).map((call) => call.args[0].input);
    expect(inputs.map((input) => input.ExpressionAttributeValues?.[':pk'])).toEqual(
      Array.from({ length: 16 }, (_, n) => `IMAGE#${n}`),
    );
    for (const input of inputs) {
      expect(input).toEqual({
        TableName: 'table-1',
        IndexName: 'byCreatedSharded',
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': 'listShard' },
        ExpressionAttributeValues: { ':pk': expect.any(String) },
        ScanIndexForward: false,
        Limit: 5,
      });
    }
  });

  it('queries every shard of one status on byStatusSharded', async () => {
    serve([]);
    await store.list({ scope: ALL, status: 'FAILED', limit: 5 });
    const inputs = dynamo.commandCalls(QueryCommand).map((call) => call.args[0].input);
    expect(new Set(inputs.map((input) => input.IndexName))).toEqual(new Set(['byStatusSharded']));
    expect(inputs.map((input) => input.ExpressionAttributeValues?.[':pk'])).toEqual(
      Array.from({ length: 16 }, (_, n) => `FAILED#${n}`),
    );
    expect(inputs[0]?.ExpressionAttributeNames).toEqual({ '#pk': 'statusShard' });
  });

  it('merges the shards newest first and keeps the newest `limit`', async () => {
    const ids = imageIds(60);
    serve(table(ids));
    const page = await store.list({ scope: ALL, limit: 10 });
    expect(page.items.map((item) => item.imageId)).toEqual(ids.slice(-10).reverse());
    expect(new Set(page.items.map((item) => shardOf(item.imageId))).size).toBeGreaterThan(1);
  });

  it('answers a summary per image: the projected fields, not the index keys', async () => {
    serve(table([IDS.newer]));
    const [item] = (await store.list({ scope: ALL, limit: 5 })).items;
    expect(item).toEqual({
      imageId: IDS.newer,
      status: 'PROCESSED',
      createdAt: '2025-01-02T03:04:05.000Z',
      updatedAt: '2025-01-02T03:04:09.000Z',
      filename: 'pier.jpg',
      contentType: 'image/jpeg',
    });
  });

  it.each([1, 3, 7, 16, 50])(
    'pages through 200 images %i at a time with nothing skipped or repeated',
    async (limit) => {
      // 12 or 13 a shard: more than every page size but the last, so each page merges shards part-read.
      const ids = imageIds(200);
      serve(table(ids));
      const pages = await allPages({ limit });
      expect(pages.flatMap((page) => page.ids)).toEqual([...ids].reverse());
      expect(pages.slice(0, -1).every((page) => page.ids.length === limit)).toBe(true);
      expect(pages.at(-1)?.cursor).toBeUndefined();
    },
  );

  it('pages through one status only, exactly, while other statuses share the shards', async () => {
    const ids = imageIds(300);
    const statuses: ImageStatus[] = ['PENDING', 'PROCESSED', 'REJECTED'];
    serve(table(ids, (i) => statuses[i % 3] as ImageStatus));
    const pages = await allPages({ status: 'REJECTED', limit: 9 });
    expect(pages.flatMap((page) => page.ids)).toEqual(ids.filter((_, i) => i % 3 === 2).reverse());
  });

  it('stays exact when a shard answers less than its limit (the 1 MB page) and must be read on', async () => {
    const ids = imageIds(200);
    serve(table(ids), 3);
    const pages = await allPages({ limit: 20 });
    expect(pages.flatMap((page) => page.ids)).toEqual([...ids].reverse());
  });

  it('resumes every shard below the last id returned, with no start key from the client', async () => {
    const ids = imageIds(40);
    serve(table(ids));
    const first = await store.list({ scope: ALL, limit: 4 });
    dynamo.resetHistory();
    await store.list({ scope: ALL, limit: 4, cursor: first.cursor });
    const last = first.items.at(-1)?.imageId;
    for (const call of dynamo.commandCalls(QueryCommand)) {
      expect(call.args[0].input).toMatchObject({
        KeyConditionExpression: '#pk = :pk AND #sk < :olderThan',
        ExpressionAttributeNames: { '#pk': 'listShard', '#sk': 'imageId' },
        ExpressionAttributeValues: { ':pk': expect.any(String), ':olderThan': last },
        ExclusiveStartKey: undefined,
      });
    }
  });

  it('leaves the cursor out when the page holds everything left', async () => {
    serve(table(imageIds(5)));
    expect((await store.list({ scope: ALL, limit: 5 })).cursor).toBeUndefined();
    expect((await store.list({ scope: ALL, limit: 4 })).cursor).toEqual(expect.any(String));
  });
});

const cursorOf = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('ImageStore.list with a cursor it did not issue', () => {
  beforeEach(() => {
    dynamo.reset();
    serve([]);
  });

  it.each<[string, string, ImageStatus | undefined]>([
    ['not base64 JSON', 'bm90LWEtY3Vyc29y!!', undefined],
    ['from a status filter, used without one', cursorOf({ status: 'PROCESSED', last: IDS.older }), undefined],
    ['without a filter, used with one', cursorOf({ last: IDS.older }), 'PROCESSED'],
    ['from another status filter', cursorOf({ status: 'PROCESSED', last: IDS.older }), 'FAILED'],
    ['with extra attributes', cursorOf({ last: IDS.older, a: '1' }), undefined],
    ['without the last id', cursorOf({ status: 'FAILED' }), 'FAILED'],
    ['with a last id that is not a ULID', cursorOf({ last: 'x'.repeat(200) }), undefined],
    ['with a lower-case ULID', cursorOf({ last: IDS.older.toLowerCase() }), undefined],
    ['of the unsharded layout (a LastEvaluatedKey)', cursorOf({ entity: 'IMAGE', imageId: IDS.older }), undefined],
    ['of a per-shard layout', cursorOf({ 'IMAGE#0': IDS.older, 'IMAGE#1': IDS.newer }), undefined],
    ['naming a shard count', cursorOf({ last: IDS.older, shards: 8 }), undefined],
    ['that is a JSON array', cursorOf([IDS.older]), undefined],
  ])('refuses a cursor %s without querying', async (_kind, cursor, status) => {
    await expect(store.list({ scope: ALL, status, limit: 1, cursor })).rejects.toMatchObject({
      name: 'InvalidCursorError',
    });
    expect(dynamo).not.toHaveReceivedCommand(QueryCommand);
  });

  it('accepts the cursor it issued for the same filter', async () => {
    await expect(
      store.list({ scope: ALL, status: 'FAILED', limit: 1, cursor: cursorOf({ status: 'FAILED', last: IDS.newer }) }),
    ).resolves.toEqual({ items: [] });
  });
});

describe("ImageStore, an owner's edits (tags, date taken, favourite)", () => {
  beforeEach(() => {
    dynamo.reset();
    dynamo.on(UpdateCommand).resolves({});
  });

  const takenCorrection = { takenAt: '2021-03-04T05:06:07', offset: '+02:00', at: '2026-11-28T10:00:00.000Z' };

  it('writes the edit, the terms and the new place in the timeline, if the record is as it was read', async () => {
    const edited = imageItem({ tags: ['Beach'], takenCorrection, favourite: true, indexedTerms: ['all'] });
    expect(await store.editImage(edited, '2025-01-01T00:00:00.000Z')).toBe(true);
    const input = dynamo.commandCalls(UpdateCommand).at(-1)?.args[0].input;
    expect(input?.ConditionExpression).toBe('updatedAt = :seen');
    expect(input?.ExpressionAttributeValues?.[':seen']).toBe('2025-01-01T00:00:00.000Z');
    expect(updated()).toEqual({
      tags: ['Beach'],
      takenCorrection,
      favourite: true,
      takenKey: `2021-03-04T05:06:07#${IDS.newer}`,
      takenAt: '2021-03-04T05:06:07',
    });
    expect(input?.ExpressionAttributeValues?.[':terms']).toEqual(['all']);
  });

  it('writes nothing else of the record: no status, analysis or list key', async () => {
    await store.editImage(imageItem({ favourite: false }), '2025-01-01T00:00:00.000Z');
    const expression = dynamo.commandCalls(UpdateCommand).at(-1)?.args[0].input.UpdateExpression ?? '';
    expect(expression).not.toMatch(/status|analysis|Shard|owner/);
  });

  it('answers false when the record changed since it was read', async () => {
    dynamo.on(UpdateCommand).rejects(new ConditionalCheckFailedException({ message: 'no', $metadata: {} }));
    expect(await store.editImage(imageItem(), '2025-01-01T00:00:00.000Z')).toBe(false);
  });

  it('answers done when the condition fails on this very write, landed by an attempt whose answer was lost', async () => {
    const edit = imageItem({ updatedAt: '2025-06-01T10:00:00.123Z' });
    const failed = (updatedAt: string) =>
      new ConditionalCheckFailedException({ message: 'no', $metadata: {}, Item: { updatedAt: { S: updatedAt } } });
    dynamo.on(UpdateCommand).rejects(failed('2025-06-01T10:00:00.123Z'));
    expect(await store.editImage(edit, '2025-01-01T00:00:00.000Z')).toBe(true);
    expect(dynamo.commandCalls(UpdateCommand).at(-1)?.args[0].input.ReturnValuesOnConditionCheckFailure).toBe(
      'ALL_OLD',
    );
    // Another writer's time: a change since the read, as before.
    dynamo.on(UpdateCommand).rejects(failed('2025-06-01T10:00:00.124Z'));
    expect(await store.editImage(edit, '2025-01-01T00:00:00.000Z')).toBe(false);
  });

  it("keeps the owner's date taken and favourite through a processing run: written only if the record has none", async () => {
    await store.finalise(imageItem({ takenCorrection, favourite: false }));
    const update = dynamo.commandCalls(UpdateCommand).at(-1)?.args[0].input;
    expect(update?.UpdateExpression).toContain('#takenCorrection = if_not_exists(#takenCorrection, :takenCorrection)');
    expect(update?.UpdateExpression).toContain('#favourite = if_not_exists(#favourite, :favourite)');
    // Its place in the timeline is the owner's date, not the EXIF one.
    expect(updated()).toMatchObject({ takenKey: `2021-03-04T05:06:07#${IDS.newer}` });
  });
});

describe('ImageStore.stacking, as a search reads where its hits stand', () => {
  beforeEach(() => dynamo.reset());

  it('reads the records in one BatchGetItem projected to the stack attributes, answering those found', async () => {
    const [primary, frame, loose, gone] = imageIds(4);
    dynamo.on(BatchGetCommand).resolves({
      Responses: {
        'table-1': [
          { imageId: primary, stack: { id: 'st_0123456789abcdef0123', count: 2 } },
          { imageId: frame, stackedIn: 'st_0123456789abcdef0123', stackPrimary: primary },
          { imageId: loose },
        ],
      },
    });
    const found = await store.stacking([primary, frame, loose, gone] as string[]);
    expect(Object.fromEntries(found)).toEqual({
      [primary as string]: { stack: { id: 'st_0123456789abcdef0123', count: 2 } },
      [frame as string]: { stackedIn: 'st_0123456789abcdef0123', stackPrimary: primary },
      [loose as string]: {},
    });
    expect(dynamo.commandCalls(BatchGetCommand)).toHaveLength(1);
    const asked = dynamo.commandCalls(BatchGetCommand)[0]?.args[0].input.RequestItems?.['table-1'];
    expect(asked?.Keys).toHaveLength(4);
    expect(Object.values(asked?.ExpressionAttributeNames ?? {}).sort()).toEqual([
      'imageId',
      'stack',
      'stackPrimary',
      'stackedIn',
    ]);
  });
});
