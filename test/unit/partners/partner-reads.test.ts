import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { PartnerReads } from '../../../lambdas/partners/partner-reads';
import { encodeCursor } from '../../../lambdas/store/page-cursor';

/*
 * What a partner's page asks DynamoDB, which moto does not check as DynamoDB does: a merged page below one grant's
 * `from` must not query that grant's lists with BETWEEN bounds the wrong way round (a ValidationException on AWS).
 */

const dynamo = mockClient(DynamoDBDocumentClient);
const reads = new PartnerReads(DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' })), {
  results: 'results',
  partners: 'partners',
  albums: 'albums',
});
const grant = (grantor: string, from?: string) => ({
  grantor,
  partner: 'bob',
  createdAt: 'c',
  updatedAt: 'u',
  ...(from && { from }),
});

beforeEach(() => {
  dynamo.reset();
  dynamo.on(GetCommand).resolves({});
  dynamo.on(BatchGetCommand).resolves({ Responses: {} });
  dynamo
    .on(QueryCommand, { TableName: 'partners' })
    .resolves({ Items: [grant('alice', '2024-01-01T00:00:00'), grant('carol')] });
  dynamo.on(QueryCommand, { TableName: 'results' }).resolves({ Items: [] });
});

describe("a partner's merged page", () => {
  it("reads no list of a grant whose date is above the cursor, and every other grantor's below it", async () => {
    const below = '2020-06-01T00:00:00#01JABCDEFGHJKMNPQRSTVWXYZ0';
    const cursor = encodeCursor({ partner: '*', to: 'bob', sort: 'taken' }, below);
    await reads.page({ owner: 'bob', admin: false }, { all: true, limit: 10, cursor });
    const queries = dynamo
      .commandCalls(QueryCommand)
      .map((call) => call.args[0].input)
      .filter((input) => input.TableName === 'results');
    const bounds = queries.map((input) => input.ExpressionAttributeValues ?? {});
    expect(bounds.filter((values) => values[':from'] !== undefined)).toEqual([]);
    expect(queries).toHaveLength(16);
    expect(queries.every((input) => String(input.ExpressionAttributeValues?.[':pk']).startsWith('carol#'))).toBe(true);
  });
});

describe("the caller's timeline with their partners' photos merged in (partners=include)", () => {
  const bob = { owner: 'bob', admin: false };
  const own = '01JABCDEFGHJKMNPQRSTVWXYZ1';
  const hers = '01JABCDEFGHJKMNPQRSTVWXYZ2';
  const trashed = '01JABCDEFGHJKMNPQRSTVWXYZ3';
  const record = (imageId: string, owner: string, status = 'PROCESSED') => ({
    imageId,
    owner,
    status,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
  });

  beforeEach(() => {
    dynamo.on(QueryCommand, { TableName: 'results', ExpressionAttributeValues: { ':pk': 'bob#3' } }).resolves({
      Items: [{ takenKey: `2025-05-01T00:00:00#${own}` }, { takenKey: `2019-01-01T00:00:00#${trashed}` }],
    });
    dynamo
      .on(QueryCommand, { TableName: 'results', ExpressionAttributeValues: { ':pk': 'carol#7' } })
      .resolves({ Items: [{ takenKey: `2025-06-01T00:00:00#${hers}` }] });
    dynamo.on(BatchGetCommand).resolves({
      Responses: {
        results: [record(own, 'bob'), record(hers, 'carol'), record(trashed, 'bob', 'TRASHED')],
      },
    });
  });

  it("reads the caller's own timeline shards besides each grantor's, and merges them newest taken first", async () => {
    const page = await reads.page(bob, { all: true, mine: true, limit: 10 });
    const partitions = dynamo
      .commandCalls(QueryCommand)
      .map((call) => call.args[0].input)
      .filter((input) => input.TableName === 'results')
      .map((input) => String(input.ExpressionAttributeValues?.[':pk']).split('#')[0]);
    expect(new Set(partitions)).toEqual(new Set(['bob', 'alice', 'carol']));
    expect(partitions.filter((owner) => owner === 'bob')).toHaveLength(16);
    // Carol's newer photo first, then bob's own; his trashed one is left out.
    expect(page.items.map((item) => item.imageId)).toEqual([hers, own]);
  });

  it('reads no own timeline without mine', async () => {
    const page = await reads.page(bob, { all: true, limit: 10 });
    const partitions = dynamo
      .commandCalls(QueryCommand)
      .map((call) => String(call.args[0].input.ExpressionAttributeValues?.[':pk']));
    expect(partitions.some((partition) => partition.startsWith('bob#'))).toBe(false);
    expect(page.items.map((item) => item.imageId)).toEqual([hers]);
  });

  it('pages on with its own cursor, and refuses one of partners=all', async () => {
    const first = await reads.page(bob, { all: true, mine: true, limit: 1 });
    expect(first.items.map((item) => item.imageId)).toEqual([hers]);
    expect(first.cursor).toBeDefined();
    const second = await reads.page(bob, { all: true, mine: true, limit: 1, cursor: first.cursor });
    const belows = dynamo
      .commandCalls(QueryCommand)
      .map((call) => call.args[0].input.ExpressionAttributeValues?.[':below'])
      .filter((below) => below !== undefined);
    expect(new Set(belows)).toEqual(new Set([`2025-06-01T00:00:00#${hers}`]));
    expect(second.items).toBeDefined();
    const ofAll = encodeCursor({ partner: '*', to: 'bob', sort: 'taken' }, `2025-06-01T00:00:00#${hers}`);
    await expect(reads.page(bob, { all: true, mine: true, limit: 1, cursor: ofAll })).rejects.toMatchObject({
      statusCode: 400,
      message: expect.stringContaining('cursor'),
    });
  });
});
