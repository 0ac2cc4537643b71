import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { SearchIndex } from '../../../lambdas/search/index-table';
import { postingOf } from '../../../lambdas/search/postings';
import { postingKey, searchShardOf } from '../../../lambdas/search/postings-design';
import { IDS, imageItem, processedAnalysis } from '../../support/items';

const dynamo = mockClient(DynamoDBDocumentClient);
const waits: number[] = [];
const index = new SearchIndex(
  DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' })),
  'search',
  async (ms) => {
    waits.push(ms);
  },
);

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
    await index.upsert(item);
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
    await index.upsert(imageItem({ owner: 'alice', indexedTerms: ['label=cat'], unindexTerms: ['label=dog'] }));
    const requests = dynamo.commandCalls(BatchWriteCommand).map((call) => call.args[0].input.RequestItems?.search);
    expect(requests).toEqual([
      [{ PutRequest: { Item: expect.objectContaining({ term: postingKey('alice', 'label=cat', IDS.newer) }) } }],
      [{ DeleteRequest: { Key: { term: postingKey('alice', 'label=dog', IDS.newer), imageId: IDS.newer } } }],
    ]);
  });

  it('removes every posting the record may have, or only those added since a removal under the same owner', async () => {
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
    await index.remove({ ...first, indexedTerms: ['label=cat', 'label=owl'] }, first);
    expect(deleted()).toEqual([postingKey('alice', 'label=owl', IDS.newer)]);

    dynamo.resetHistory();
    await index.remove({ ...first, owner: 'bob' }, first);
    expect(deleted()).toEqual([postingKey('bob', 'label=cat', IDS.newer), postingKey('bob', 'label=dog', IDS.newer)]);
  });

  it('writes nothing for no terms, nor for an image without an owner', async () => {
    await index.upsert(imageItem({ indexedTerms: undefined }));
    await index.upsert(imageItem({ owner: undefined, indexedTerms: terms(3) }));
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
