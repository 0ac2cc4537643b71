import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { postingKey, SearchIndex, searchShardOf } from '../../../lambdas/search/index-table';
import { IDS } from '../../support/items';

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

  it('puts postings 25 to a batch, each with the attributes a query checks', async () => {
    await index.put('alice', IDS.newer, terms(60), { facets: ['all'], phash: '0'.repeat(16), faces: 2 });
    const calls = dynamo.commandCalls(BatchWriteCommand);
    expect(calls.map((call) => call.args[0].input.RequestItems?.search?.length)).toEqual([25, 25, 10]);
    expect(calls[0]?.args[0].input.RequestItems?.search?.[0]).toEqual({
      PutRequest: {
        Item: {
          term: `alice#word=w0#${searchShardOf(IDS.newer)}`,
          imageId: IDS.newer,
          facets: ['all'],
          phash: '0'.repeat(16),
          faces: 2,
        },
      },
    });
  });

  it('retries what DynamoDB left unprocessed, backing off, until it is all written', async () => {
    const left = { search: [{ DeleteRequest: { Key: { term: 'x', imageId: IDS.newer } } }] };
    dynamo
      .on(BatchWriteCommand)
      .resolvesOnce({ UnprocessedItems: left })
      .resolvesOnce({ UnprocessedItems: left })
      .resolves({});
    await index.remove('alice', IDS.newer, terms(3));
    expect(dynamo).toHaveReceivedCommandTimes(BatchWriteCommand, 3);
    expect(waits).toEqual([50, 100]);
  });

  it('fails, so the message is retried, when postings stay unprocessed after every round', async () => {
    const left = { search: [{ DeleteRequest: { Key: { term: 'x', imageId: IDS.newer } } }] };
    dynamo.on(BatchWriteCommand).resolves({ UnprocessedItems: left });
    await expect(index.remove('alice', IDS.newer, terms(1))).rejects.toMatchObject({ name: 'SearchIndexWriteError' });
    expect(dynamo).toHaveReceivedCommandTimes(BatchWriteCommand, 8);
  });

  it('writes nothing for no terms', async () => {
    await index.put('alice', IDS.newer, [], { facets: [] });
    expect(dynamo).not.toHaveReceivedCommand(BatchWriteCommand);
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
