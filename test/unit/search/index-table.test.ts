import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { SearchIndex } from '../../../lambdas/search/index-table';
import { postingOf } from '../../../lambdas/search/postings';
import { postingKey, searchShardOf } from '../../../lambdas/search/postings-design';
import type { ImageItem } from '../../../lambdas/store/image-item';
import { IDS, imageItem, processedAnalysis } from '../../support/items';

const dynamo = mockClient(DynamoDBDocumentClient);
const waits: number[] = [];
/** The record a write finds when it checks its postings: by default the item it wrote, as a writer stored it. */
let record: ImageItem | undefined;
const index = new SearchIndex(DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' })), 'search', {
  records: { get: async () => record },
  sleep: async (ms) => {
    waits.push(ms);
  },
});
/** A writer: its record stored, then its postings. */
const write = (item: ImageItem) => {
  record = item;
  return index.upsert(item);
};

const terms = (n: number) => Array.from({ length: n }, (_, i) => `word=w${i}`);

describe('SearchIndex', () => {
  beforeEach(() => {
    dynamo.reset();
    waits.length = 0;
    dynamo.on(BatchWriteCommand).resolves({});
  });

  it('files term postings under the owner and the shard of the image, hash postings under the owner alone', () => {
    expect(postingKey('alice', 'label=cat', IDS.newer)).toBe(`alice#label=cat#${searchShardOf(IDS.newer)}`);
    expect(postingKey('alice', 'phash2=89ab', IDS.newer)).toBe('alice#phash2=89ab');
    expect(postingKey('alice', `sha256=${'a'.repeat(64)}`, IDS.newer)).toBe(`alice#sha256=${'a'.repeat(64)}`);
  });

  it('puts a posting under each term the record is indexed under, 25 to a batch, with what a query checks', async () => {
    const item = imageItem({ indexedTerms: terms(60), analysis: processedAnalysis({ width: 4, height: 3 }) });
    await write(item);
    const calls = dynamo.commandCalls(BatchWriteCommand);
    expect(calls.map((call) => call.args[0].input.RequestItems?.search?.length)).toEqual([25, 25, 10]);
    const first = calls[0]?.args[0].input.RequestItems?.search?.[0];
    expect(first).toEqual({
      PutRequest: {
        Item: { ...postingOf(item), term: `${item.owner}#word=w0#${searchShardOf(IDS.newer)}`, imageId: IDS.newer },
      },
    });
    expect(first?.PutRequest?.Item).toMatchObject({ facets: terms(60), phash: '0123456789abcdef' });
  });

  it('deletes the postings of the terms the record no longer has once the new ones are written', async () => {
    await write(imageItem({ owner: 'alice', indexedTerms: ['label=cat'], unindexTerms: ['label=dog'] }));
    const requests = dynamo.commandCalls(BatchWriteCommand).map((call) => call.args[0].input.RequestItems?.search);
    expect(requests).toEqual([
      [{ PutRequest: { Item: expect.objectContaining({ term: postingKey('alice', 'label=cat', IDS.newer) }) } }],
      [{ DeleteRequest: { Key: { term: postingKey('alice', 'label=dog', IDS.newer), imageId: IDS.newer } } }],
    ]);
  });

  it('takes back every posting it wrote when the record is gone (or trashed) once they are written', async () => {
    const item = imageItem({ owner: 'alice', indexedTerms: ['label=cat', 'all'] });
    for (const now of [undefined, { ...item, status: 'TRASHED' as const }]) {
      dynamo.resetHistory();
      record = now;
      await index.upsert(item);
      const requests = dynamo.commandCalls(BatchWriteCommand).map((call) => call.args[0].input.RequestItems?.search);
      expect(requests[1]).toEqual([
        { DeleteRequest: { Key: { term: postingKey('alice', 'label=cat', IDS.newer), imageId: IDS.newer } } },
        { DeleteRequest: { Key: { term: postingKey('alice', 'all', IDS.newer), imageId: IDS.newer } } },
      ]);
    }
  });

  it('puts nothing for a locked image, and takes back what it wrote when the record was locked meanwhile', async () => {
    const locked = imageItem({ owner: 'alice', indexedTerms: ['label=cat'], locked: true });
    await write(locked);
    const requests = () =>
      dynamo.commandCalls(BatchWriteCommand).map((call) => call.args[0].input.RequestItems?.search);
    expect(requests()).toEqual([
      [{ DeleteRequest: { Key: { term: postingKey('alice', 'label=cat', IDS.newer), imageId: IDS.newer } } }],
    ]);
    dynamo.resetHistory();
    const shown = imageItem({ owner: 'alice', indexedTerms: ['label=cat'] });
    record = { ...shown, locked: true };
    await index.upsert(shown);
    expect(requests()[1]).toEqual([
      { DeleteRequest: { Key: { term: postingKey('alice', 'label=cat', IDS.newer), imageId: IDS.newer } } },
    ]);
  });

  it('takes back what it wrote under an owner the record no longer names (a re-own meanwhile)', async () => {
    const item = imageItem({ owner: 'alice', indexedTerms: ['label=cat'] });
    record = { ...item, owner: 'bob', updatedAt: '2030-01-01T00:00:00.000Z' };
    await index.upsert(item);
    const deleted = dynamo
      .commandCalls(BatchWriteCommand)
      .flatMap((call) => call.args[0].input.RequestItems?.search ?? [])
      .flatMap((request) => (request.DeleteRequest ? [request.DeleteRequest.Key?.term] : []));
    expect(deleted).toEqual([postingKey('alice', 'label=cat', IDS.newer)]);
  });

  it('keeps what a later version carries, written again from it, and takes back what it dropped', async () => {
    const item = imageItem({ owner: 'alice', indexedTerms: ['label=cat', 'label=dog'] });
    record = { ...item, indexedTerms: ['label=cat'], filename: 'later.jpg', updatedAt: '2030-01-01T00:00:00.000Z' };
    await index.upsert(item);
    const requests = dynamo.commandCalls(BatchWriteCommand).map((call) => call.args[0].input.RequestItems?.search);
    expect(requests).toEqual([
      [
        expect.objectContaining({ PutRequest: expect.anything() }),
        expect.objectContaining({ PutRequest: expect.anything() }),
      ],
      [{ DeleteRequest: { Key: { term: postingKey('alice', 'label=dog', IDS.newer), imageId: IDS.newer } } }],
      [{ PutRequest: { Item: expect.objectContaining({ term: postingKey('alice', 'label=cat', IDS.newer) }) } }],
    ]);
    expect(requests[2]?.[0]?.PutRequest?.Item?.summary).toMatchObject({ filename: 'later.jpg' });
  });

  it('deletes the postings of the record its write replaced: all of them under the old owner after a re-own', async () => {
    const replaced = imageItem({ owner: 'alice', indexedTerms: ['label=cat'], unindexTerms: ['label=owl'] });
    const reowned = { ...replaced, owner: 'bob', unindexTerms: undefined };
    record = reowned;
    await index.upsert(reowned, replaced);
    const deleted = dynamo
      .commandCalls(BatchWriteCommand)
      .flatMap((call) => call.args[0].input.RequestItems?.search ?? [])
      .flatMap((request) => (request.DeleteRequest ? [request.DeleteRequest.Key?.term] : []));
    expect(deleted).toEqual([postingKey('alice', 'label=cat', IDS.newer), postingKey('alice', 'label=owl', IDS.newer)]);
  });

  it('refuses to write without the records to check its postings against', async () => {
    const blind = new SearchIndex(DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' })), 'search');
    await expect(blind.upsert(imageItem({ indexedTerms: ['all'] }))).rejects.toThrow(/records/);
    expect(dynamo).not.toHaveReceivedCommand(BatchWriteCommand);
  });

  it('removes every posting the record may have, under the owner it names', async () => {
    const deleted = () =>
      dynamo
        .commandCalls(BatchWriteCommand)
        .flatMap((call) => call.args[0].input.RequestItems?.search ?? [])
        .map((request) => request.DeleteRequest?.Key?.term);
    const first = imageItem({ owner: 'alice', indexedTerms: ['label=cat'], unindexTerms: ['label=dog'] });
    await index.remove(first);
    expect(deleted()).toEqual([
      postingKey('alice', 'label=cat', IDS.newer),
      postingKey('alice', 'label=dog', IDS.newer),
    ]);

    dynamo.resetHistory();
    await index.remove({ ...first, owner: 'bob' });
    expect(deleted()).toEqual([postingKey('bob', 'label=cat', IDS.newer), postingKey('bob', 'label=dog', IDS.newer)]);
  });

  it('writes nothing for no terms, nor for an image without an owner', async () => {
    await write(imageItem({ indexedTerms: undefined }));
    await write(imageItem({ owner: undefined, indexedTerms: terms(3) }));
    await index.remove(imageItem({ owner: undefined, indexedTerms: terms(3) }));
    expect(dynamo).not.toHaveReceivedCommand(BatchWriteCommand);
  });

  it('retries what DynamoDB left unprocessed, backing off, until it is all written', async () => {
    const left = { search: [{ DeleteRequest: { Key: { term: 'x', imageId: IDS.newer } } }] };
    dynamo
      .on(BatchWriteCommand)
      .resolvesOnce({ UnprocessedItems: left })
      .resolvesOnce({ UnprocessedItems: left })
      .resolves({});
    await index.remove(imageItem({ indexedTerms: terms(3) }));
    expect(dynamo).toHaveReceivedCommandTimes(BatchWriteCommand, 3);
    expect(waits).toEqual([50, 100]);
  });

  it('fails, so the message is retried, when postings stay unprocessed after every round', async () => {
    const left = { search: [{ DeleteRequest: { Key: { term: 'x', imageId: IDS.newer } } }] };
    dynamo.on(BatchWriteCommand).resolves({ UnprocessedItems: left });
    await expect(index.remove(imageItem({ indexedTerms: terms(1) }))).rejects.toMatchObject({
      name: 'SearchIndexWriteError',
    });
    expect(dynamo).toHaveReceivedCommandTimes(BatchWriteCommand, 8);
  });

  it("answers a query from the owner's postings in its table", async () => {
    dynamo.on(QueryCommand).resolves({ Items: [{ term: 'alice#all#0', imageId: IDS.newer, facets: ['all'] }] });
    const page = await index.search({
      owner: 'alice',
      filters: { label: [], object: [], text: [], q: [], tag: [], place: [] },
      limit: 1,
    });
    expect(page.items.map((hit) => hit.imageId)).toEqual([IDS.newer]);
    expect(dynamo).toHaveReceivedCommandWith(QueryCommand, {
      TableName: 'search',
      ExpressionAttributeValues: { ':pk': 'alice#all#0' },
    });
  });

  it('reads one term newest first, following pages up to the limit', async () => {
    dynamo
      .on(QueryCommand)
      .resolvesOnce({ Items: [{ imageId: 'b' }], LastEvaluatedKey: { term: 't', imageId: 'b' } })
      .resolves({ Items: [{ imageId: 'a' }] });
    const found = await index.postings('alice', 'phash0=0123', 5);
    expect(found.map((p) => p.imageId)).toEqual(['b', 'a']);
    expect(dynamo).toHaveReceivedCommandWith(QueryCommand, {
      TableName: 'search',
      ExpressionAttributeValues: { ':pk': 'alice#phash0=0123' },
      ScanIndexForward: false,
      Limit: 5,
    });
  });
});
