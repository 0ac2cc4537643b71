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
