import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { type ApiHandler, invoke, listImagesEvent, useApiEnv } from '../../../support/api-events';
import { IDS, imageItem, pendingItem } from '../../../support/items';

useApiEnv();
const { handler } = require('../../../../lambdas/functions/list-images/handler') as { handler: ApiHandler };

const dynamo = mockClient(DynamoDBDocumentClient);

interface Page {
  items: Array<Record<string, unknown>>;
  cursor?: string;
}

async function list(query?: Record<string, string>) {
  return invoke(handler, listImagesEvent(query));
}

function queryInput(call = 0) {
  const query = dynamo.commandCalls(QueryCommand)[call];
  if (!query) throw new Error(`no query #${call}`);
  return query.args[0].input;
}

describe('GET /images', () => {
  beforeEach(() => {
    dynamo.reset();
    dynamo.on(QueryCommand).resolves({ Items: [] });
  });

  it('lists every image newest first from the byCreated index', async () => {
    dynamo.on(QueryCommand).resolves({ Items: [imageItem({ imageId: IDS.newer }), imageItem({ imageId: IDS.older })] });
    const response = await list();
    expect(response.statusCode).toBe(200);
    expect((response.json as Page).items.map((item) => item.imageId)).toEqual([IDS.newer, IDS.older]);
    expect(queryInput()).toMatchObject({
      TableName: 'images-table',
      IndexName: 'byCreated',
      ExpressionAttributeValues: { ':pk': 'IMAGE' },
      ScanIndexForward: false,
    });
  });

  it('shows items without their internal fields', async () => {
    dynamo.on(QueryCommand).resolves({ Items: [pendingItem({ eventPending: true })] });
    const [item] = ((await list()).json as Page).items;
    expect(item).toMatchObject({ imageId: IDS.newer, status: 'PENDING', filename: 'pier.jpg' });
    for (const internal of ['entity', 'etag', 'eventPending', 'expiresAt']) expect(item).not.toHaveProperty(internal);
  });

  it('filters by status through the byStatus index', async () => {
    await list({ status: 'REJECTED' });
    expect(queryInput()).toMatchObject({
      IndexName: 'byStatus',
      ExpressionAttributeNames: { '#pk': 'status' },
      ExpressionAttributeValues: { ':pk': 'REJECTED' },
      ScanIndexForward: false,
    });
  });

  it('returns 400 for a status that does not exist', async () => {
    const response = await list({ status: 'DONE' });
    expect(response.statusCode).toBe(400);
    expect(response.json).toEqual({ message: 'status: must be one of PENDING, PROCESSED, REJECTED, FAILED' });
    expect(dynamo).not.toHaveReceivedCommand(QueryCommand);
  });

  it('reads 20 items when no limit is given', async () => {
    await list();
    expect(queryInput().Limit).toBe(20);
  });

  it('reads the limit asked for', async () => {
    await list({ limit: '7' });
    expect(queryInput().Limit).toBe(7);
  });

  it.each(['101', '500', '99999999999999999999'])('caps limit=%s to 100', async (limit) => {
    const response = await list({ limit });
    expect(response.statusCode).toBe(200);
    expect(queryInput().Limit).toBe(100);
  });

  it.each(['0', '-1', '1.5', 'ten', '', '1e2'])('returns 400 for limit=%p', async (limit) => {
    const response = await list({ limit });
    expect(response.statusCode).toBe(400);
    expect(response.json).toEqual({ message: expect.stringMatching(/^limit: /) });
    expect(dynamo).not.toHaveReceivedCommand(QueryCommand);
  });

  it('pages through with the cursor, which is absent on the last page', async () => {
    const lastKey = { entity: 'IMAGE', imageId: IDS.newer };
    dynamo
      .on(QueryCommand)
      .resolvesOnce({ Items: [imageItem({ imageId: IDS.newer })], LastEvaluatedKey: lastKey })
      .resolvesOnce({ Items: [imageItem({ imageId: IDS.older })] });

    const first = (await list({ limit: '1' })).json as Page;
    expect(first.items.map((item) => item.imageId)).toEqual([IDS.newer]);
    expect(first.cursor).toEqual(expect.any(String));
    expect(queryInput(0).ExclusiveStartKey).toBeUndefined();

    const second = await list({ limit: '1', cursor: first.cursor as string });
    expect(queryInput(1).ExclusiveStartKey).toEqual(lastKey);
    expect((second.json as Page).items.map((item) => item.imageId)).toEqual([IDS.older]);
    expect(second.json).not.toHaveProperty('cursor');
  });

  it('keeps the status filter across pages', async () => {
    const lastKey = { status: 'PROCESSED', imageId: IDS.newer };
    dynamo
      .on(QueryCommand)
      .resolvesOnce({ Items: [imageItem()], LastEvaluatedKey: lastKey })
      .resolves({ Items: [] });
    const { cursor } = (await list({ status: 'PROCESSED' })).json as Page;
    const second = await list({ status: 'PROCESSED', cursor: cursor as string });
    expect(second.statusCode).toBe(200);
    expect(queryInput(1)).toMatchObject({ IndexName: 'byStatus', ExclusiveStartKey: lastKey });
  });

  it('returns 400 for a cursor this API did not make', async () => {
    const response = await list({ cursor: 'bm90LWEtY3Vyc29y!!' });
    expect(response.statusCode).toBe(400);
    expect(response.json).toEqual({ message: expect.stringMatching(/^cursor: /) });
    expect(dynamo).not.toHaveReceivedCommand(QueryCommand);
  });

  it('returns 400 for a cursor from another status filter', async () => {
    const processed = Buffer.from(JSON.stringify({ status: 'PROCESSED', imageId: IDS.newer })).toString('base64url');
    const response = await list({ status: 'REJECTED', cursor: processed });
    expect(response.statusCode).toBe(400);
    expect(dynamo).not.toHaveReceivedCommand(QueryCommand);
  });

  it('returns 400 for a cursor that smuggles in other attributes', async () => {
    const forged = Buffer.from(JSON.stringify({ entity: 'IMAGE', imageId: IDS.newer, a: 'x', b: 'y' })).toString(
      'base64url',
    );
    expect((await list({ cursor: forged })).statusCode).toBe(400);
  });
});
