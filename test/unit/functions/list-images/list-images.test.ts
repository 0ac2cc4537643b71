import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import type { ImageStatus } from '../../../../lambdas/shared/image-item';
import { shardAttributes } from '../../../../lambdas/shared/list-shards';
import { LIST_ITEM_ATTRIBUTES } from '../../../../lambdas/shared/table-design';
import { type ApiHandler, invoke, listImagesEvent, useApiEnv } from '../../../support/api-events';
import { answerListQuery, IDS, imageIds, imageItem, pendingItem } from '../../../support/items';

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

function queryInputs() {
  return dynamo.commandCalls(QueryCommand).map((call) => call.args[0].input);
}

/** The table holds these items (with the list keys the store writes); queries answer as the indexes would. */
function stored(items: ReturnType<typeof imageItem>[]) {
  const withKeys = items.map((item) => ({ ...item, ...shardAttributes(item.imageId, item.status) }));
  dynamo.on(QueryCommand).callsFake((input) => answerListQuery(withKeys, input, { projected: LIST_ITEM_ATTRIBUTES }));
}

describe('GET /images', () => {
  beforeEach(() => {
    dynamo.reset();
    dynamo.on(QueryCommand).resolves({ Items: [] });
  });

  it('lists every image newest first from all 16 shards of byCreatedSharded', async () => {
    stored([imageItem({ imageId: IDS.older }), imageItem({ imageId: IDS.newer })]);
    const response = await list();
    expect(response.statusCode).toBe(200);
    expect((response.json as Page).items.map((item) => item.imageId)).toEqual([IDS.newer, IDS.older]);
    const inputs = queryInputs();
    expect(inputs).toHaveLength(16);
    for (const input of inputs) {
      expect(input).toMatchObject({
        TableName: 'images-table',
        IndexName: 'byCreatedSharded',
        ScanIndexForward: false,
      });
    }
  });

  it('answers a summary per image: id, status, times, filename, content type and size, nothing else', async () => {
    // Even if the index handed back a whole record, the page shows only the summary.
    dynamo.on(QueryCommand).resolves({
      Items: [{ ...imageItem({ size: 101_651 }), ...shardAttributes(IDS.newer, 'PROCESSED'), eventPending: true }],
    });
    const { items } = (await list({ limit: '1' })).json as Page;
    expect(items[0]).toEqual({
      imageId: IDS.newer,
      status: 'PROCESSED',
      createdAt: '2025-01-02T03:04:05.000Z',
      updatedAt: '2025-01-02T03:04:09.000Z',
      filename: 'pier.jpg',
      contentType: 'image/jpeg',
      size: 101_651,
    });
  });

  it('shows a PENDING image without the fields it does not have yet', async () => {
    stored([pendingItem({ eventPending: true })]);
    const [item] = ((await list()).json as Page).items;
    expect(Object.keys(item ?? {}).sort()).toEqual(
      ['contentType', 'createdAt', 'filename', 'imageId', 'status', 'updatedAt'].sort(),
    );
  });

  it('filters by status through the shards of byStatusSharded', async () => {
    stored([imageItem({ imageId: IDS.older, status: 'REJECTED' }), imageItem({ imageId: IDS.newer })]);
    const response = await list({ status: 'REJECTED' });
    expect((response.json as Page).items.map((item) => item.imageId)).toEqual([IDS.older]);
    const inputs = queryInputs();
    expect(inputs.map((input) => input.ExpressionAttributeValues?.[':pk'])).toEqual(
      Array.from({ length: 16 }, (_, n) => `REJECTED#${n}`),
    );
    expect(inputs[0]).toMatchObject({
      IndexName: 'byStatusSharded',
      ExpressionAttributeNames: { '#pk': 'statusShard' },
      ScanIndexForward: false,
    });
  });

  it('returns 400 for a status that does not exist', async () => {
    const response = await list({ status: 'DONE' });
    expect(response.statusCode).toBe(400);
    expect(response.json).toEqual({ message: 'status: must be one of PENDING, PROCESSED, REJECTED, FAILED' });
    expect(dynamo).not.toHaveReceivedCommand(QueryCommand);
  });

  it('reads 20 items from each shard when no limit is given', async () => {
    await list();
    expect(new Set(queryInputs().map((input) => input.Limit))).toEqual(new Set([20]));
  });

  it('reads the limit asked for from each shard', async () => {
    await list({ limit: '7' });
    expect(new Set(queryInputs().map((input) => input.Limit))).toEqual(new Set([7]));
  });

  it.each(['101', '500', '99999999999999999999'])('caps limit=%s to 100', async (limit) => {
    const response = await list({ limit });
    expect(response.statusCode).toBe(200);
    expect(new Set(queryInputs().map((input) => input.Limit))).toEqual(new Set([100]));
  });

  it.each(['0', '-1', '1.5', 'ten', '', '1e2'])('returns 400 for limit=%p', async (limit) => {
    const response = await list({ limit });
    expect(response.statusCode).toBe(400);
    expect(response.json).toEqual({ message: expect.stringMatching(/^limit: /) });
    expect(dynamo).not.toHaveReceivedCommand(QueryCommand);
  });

  it('pages through 120 images across the shards with the cursor, which is absent on the last page', async () => {
    const ids = imageIds(120);
    stored(ids.map((imageId) => imageItem({ imageId })));
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = (await list({ limit: '25', ...(cursor ? { cursor } : {}) })).json as Page;
      seen.push(...page.items.map((item) => item.imageId as string));
      cursor = page.cursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(5);
    expect(seen).toEqual([...ids].reverse());
  });

  it('keeps the status filter across pages', async () => {
    const ids = imageIds(30);
    const status = (i: number): ImageStatus => (i % 2 ? 'PROCESSED' : 'FAILED');
    stored(ids.map((imageId, i) => imageItem({ imageId, status: status(i) })));
    const first = (await list({ status: 'PROCESSED', limit: '10' })).json as Page;
    const second = (await list({ status: 'PROCESSED', limit: '10', cursor: first.cursor as string })).json as Page;
    expect([...first.items, ...second.items].map((item) => item.imageId)).toEqual(
      ids.filter((_, i) => status(i) === 'PROCESSED').reverse(),
    );
    expect(second).not.toHaveProperty('cursor');
  });

  it('returns 400 for a cursor this API did not make', async () => {
    const response = await list({ cursor: 'bm90LWEtY3Vyc29y!!' });
    expect(response.statusCode).toBe(400);
    expect(response.json).toEqual({ message: expect.stringMatching(/^cursor: /) });
    expect(dynamo).not.toHaveReceivedCommand(QueryCommand);
  });

  it('returns 400 for a cursor from another status filter', async () => {
    stored(imageIds(3).map((imageId) => imageItem({ imageId })));
    const { cursor } = (await list({ status: 'PROCESSED', limit: '1' })).json as Page;
    dynamo.resetHistory();
    const response = await list({ status: 'REJECTED', cursor: cursor as string });
    expect(response.statusCode).toBe(400);
    expect(dynamo).not.toHaveReceivedCommand(QueryCommand);
  });

  it('returns 400 for a cursor that smuggles in other attributes', async () => {
    const forged = Buffer.from(JSON.stringify({ last: IDS.newer, a: 'x', b: 'y' })).toString('base64url');
    expect((await list({ cursor: forged })).statusCode).toBe(400);
    expect(dynamo).not.toHaveReceivedCommand(QueryCommand);
  });
});
