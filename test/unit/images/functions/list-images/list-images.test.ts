import { BatchGetCommand, DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import type { ImageStatus } from '../../../../../lambdas/store/image-item';
import { shardAttributes } from '../../../../../lambdas/store/list-shards';
import { LIST_ITEM_ATTRIBUTES } from '../../../../../lambdas/store/table-design';
import {
  ADMIN_USER,
  type ApiHandler,
  invoke,
  listImagesEvent,
  OTHER_USER,
  TEST_USER,
  type TestIdentity,
  useApiEnv,
} from '../../../../support/api-events';
import { answerListQuery, IDS, imageIds, imageItem, pendingItem } from '../../../../support/items';

useApiEnv();
const { handler } = require('../../../../../lambdas/images/functions/list-images/handler') as { handler: ApiHandler };

const dynamo = mockClient(DynamoDBDocumentClient);

interface Page {
  items: Array<Record<string, unknown>>;
  cursor?: string;
}

async function list(query?: Record<string, string>, as?: TestIdentity | null) {
  return invoke(handler, listImagesEvent(query, undefined, as));
}

function queryInputs() {
  return dynamo.commandCalls(QueryCommand).map((call) => call.args[0].input);
}

/** The table holds these items (with the list keys the store writes); queries answer as the indexes would. */
function stored(items: ReturnType<typeof imageItem>[]) {
  const withKeys = items.map((item) => ({ ...item, ...shardAttributes(item.imageId, item.status, item.owner) }));
  dynamo.on(QueryCommand).callsFake((input) => answerListQuery(withKeys, input, { projected: LIST_ITEM_ATTRIBUTES }));
}

/** What a projected read of a processed record gives back of its analysis. */
const analysis = {
  status: 'PROCESSED',
  metadata: { width: 1280, height: 800 },
  dominantColor: { hex: '#336699' },
};

describe('GET /images', () => {
  beforeEach(() => {
    dynamo.reset();
    dynamo.on(QueryCommand).resolves({ Items: [] });
  });

  it('takes stacked=expand with a search (its status too), not with archived or a status outside a search', async () => {
    expect((await list({ q: 'pier', stacked: 'expand' })).statusCode).toBe(200);
    expect((await list({ q: 'pier', status: 'PROCESSED', stacked: 'expand' })).statusCode).toBe(200);
    const refused: Record<string, string>[] = [{ archived: 'true' }, { status: 'PROCESSED' }];
    for (const query of refused) {
      const response = await list({ ...query, stacked: 'expand' });
      expect(response.statusCode).toBe(400);
      expect(response.body).toContain("stacked: a stack's frames are expanded in one owner's list, timeline or search");
    }
  });

  it("lists the caller's images newest first from all 16 of their shards of byOwnerSharded", async () => {
    stored([imageItem({ imageId: IDS.older }), imageItem({ imageId: IDS.newer })]);
    const response = await list();
    expect(response.statusCode).toBe(200);
    expect((response.json as Page).items.map((item) => item.imageId)).toEqual([IDS.newer, IDS.older]);
    const inputs = queryInputs();
    expect(inputs.map((input) => input.ExpressionAttributeValues?.[':pk'])).toEqual(
      Array.from({ length: 16 }, (_, n) => `${TEST_USER.sub}#${n}`),
    );
    for (const input of inputs) {
      expect(input).toMatchObject({
        TableName: 'images-table',
        IndexName: 'byOwnerSharded',
        ExpressionAttributeNames: { '#pk': 'ownerShard' },
        ScanIndexForward: false,
      });
    }
  });

  it("never lists another owner's images, nor images without an owner", async () => {
    const [mine, theirs, nobodys] = imageIds(3);
    stored([
      imageItem({ imageId: mine }),
      imageItem({ imageId: theirs, owner: OTHER_USER.sub }),
      imageItem({ imageId: nobodys, owner: undefined }),
    ]);
    expect(((await list()).json as Page).items.map((item) => item.imageId)).toEqual([mine]);
    expect(((await list({}, OTHER_USER)).json as Page).items.map((item) => item.imageId)).toEqual([theirs]);
  });

  it("lists every owner's images for an admin, from all 16 shards of byCreatedSharded", async () => {
    const ids = imageIds(3);
    stored([
      imageItem({ imageId: ids[0] }),
      imageItem({ imageId: ids[1], owner: OTHER_USER.sub }),
      imageItem({ imageId: ids[2], owner: undefined }),
    ]);
    const response = await list({}, ADMIN_USER);
    expect((response.json as Page).items.map((item) => item.imageId)).toEqual([...ids].reverse());
    expect(queryInputs().map((input) => input.ExpressionAttributeValues?.[':pk'])).toEqual(
      Array.from({ length: 16 }, (_, n) => `IMAGE#${n}`),
    );
    expect(queryInputs()[0]).toMatchObject({ IndexName: 'byCreatedSharded' });
  });

  it("lists one owner's images for an admin who asks with owner=, by status too", async () => {
    const ids = imageIds(3);
    stored([
      imageItem({ imageId: ids[0] }),
      imageItem({ imageId: ids[1], owner: OTHER_USER.sub }),
      imageItem({ imageId: ids[2], owner: OTHER_USER.sub, status: 'FAILED' }),
    ]);
    const all = (await list({ owner: OTHER_USER.sub }, ADMIN_USER)).json as Page;
    expect(all.items.map((item) => item.imageId)).toEqual([ids[2], ids[1]]);
    const failed = (await list({ owner: OTHER_USER.sub, status: 'FAILED' }, ADMIN_USER)).json as Page;
    expect(failed.items.map((item) => item.imageId)).toEqual([ids[2]]);
    expect(queryInputs().at(-1)).toMatchObject({
      IndexName: 'byOwnerStatusSharded',
      ExpressionAttributeValues: { ':pk': `${OTHER_USER.sub}#FAILED#15` },
    });
  });

  it("returns 403 when a user who is not an admin asks for another owner's list", async () => {
    const response = await list({ owner: OTHER_USER.sub });
    expect(response.statusCode).toBe(403);
    expect(response.json).toEqual({ message: "owner: only an admin may list another owner's images" });
    expect(dynamo).not.toHaveReceivedCommand(QueryCommand);
  });

  it('takes owner= naming the caller as their own list', async () => {
    stored([imageItem({ imageId: IDS.newer })]);
    const response = await list({ owner: TEST_USER.sub });
    expect((response.json as Page).items.map((item) => item.imageId)).toEqual([IDS.newer]);
  });

  it.each(['a#b', 'x'.repeat(129), '', '../other'])('returns 400 for owner=%p', async (owner) => {
    const response = await list({ owner }, ADMIN_USER);
    expect(response.statusCode).toBe(400);
    expect(response.json).toEqual({ message: expect.stringMatching(/^owner: /) });
  });

  it('is a 401 without a verified caller, whatever the query asks', async () => {
    const response = await list({ owner: TEST_USER.sub }, null);
    expect(response.statusCode).toBe(401);
    expect(dynamo).not.toHaveReceivedCommand(QueryCommand);
  });

  it('counts only the verified admins group: a group named like it is not it', async () => {
    stored([imageItem({ imageId: IDS.newer, owner: OTHER_USER.sub })]);
    for (const groups of ['admins-x', 'xadmins', 'admin', 'Admins']) {
      const page = (await list({}, { sub: TEST_USER.sub, groups })).json as Page;
      expect(page.items).toEqual([]);
    }
    const page = (await list({}, { sub: TEST_USER.sub, groups: 'editors,admins' })).json as Page;
    expect(page.items.map((item) => item.imageId)).toEqual([IDS.newer]);
  });

  it("refuses a cursor issued for another owner, or for the admin's whole list", async () => {
    const ids = imageIds(3);
    stored(ids.map((imageId) => imageItem({ imageId, owner: OTHER_USER.sub })));
    const theirs = ((await list({ limit: '1' }, OTHER_USER)).json as Page).cursor as string;
    const everyone = ((await list({ limit: '1' }, ADMIN_USER)).json as Page).cursor as string;
    dynamo.resetHistory();
    for (const cursor of [theirs, everyone]) {
      const response = await list({ cursor });
      expect(response.statusCode).toBe(400);
      expect(response.json).toEqual({ message: expect.stringMatching(/^cursor: .*another list/) });
    }
    expect(dynamo).not.toHaveReceivedCommand(QueryCommand);
  });

  it('answers a summary per image: id, status, times, filename, content type, size and thumbnail links', async () => {
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
      thumbnails: expect.any(Object),
    });
  });

  it("links a processed image's thumbnails, presigned for the deployment's sizes, and a pending one's not", async () => {
    stored([imageItem({ imageId: IDS.newer }), pendingItem({ imageId: IDS.older })]);
    const [processed, pending] = ((await list()).json as Page).items;
    const links = processed?.thumbnails as Record<string, string>;
    expect(Object.keys(links).sort()).toEqual(['1024', '128', '512']);
    const url = new URL(links['128'] as string);
    expect(decodeURIComponent(url.pathname)).toBe(`/thumbnails/${IDS.newer}/128.webp`);
    expect(url.hostname).toBe('images-bucket.s3.eu-west-1.amazonaws.com');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('300');
    expect(pending).not.toHaveProperty('thumbnails');
  });

  it("adds a final image's dimensions, colour and top labels from its record, in one projected BatchGetItem", async () => {
    const processed = imageItem({ imageId: IDS.newer });
    stored([processed, pendingItem({ imageId: IDS.older })]);
    dynamo.on(BatchGetCommand).callsFake((input) => ({
      Responses: {
        'images-table': input.RequestItems['images-table'].Keys.map(() => ({
          imageId: processed.imageId,
          analysis,
          vision: {
            labels: [
              { name: 'Pier', confidence: 0.7 },
              { name: 'Sea', confidence: 0.9 },
              { name: 'Sky', confidence: 0.5 },
              { name: 'Boat', confidence: 0.2 },
            ],
          },
        })),
      },
    }));
    const [item, pending] = ((await list()).json as Page).items;
    expect(item).toMatchObject({
      width: 1280,
      height: 800,
      dominantColor: expect.stringMatching(/^#[0-9a-f]{6}$/),
      topLabels: ['Sea', 'Pier', 'Sky'],
      createdAt: '2025-01-02T03:04:05.000Z',
    });
    expect(pending).not.toHaveProperty('width');
    const calls = dynamo.commandCalls(BatchGetCommand);
    expect(calls).toHaveLength(1);
    const request = calls[0]?.args[0].input.RequestItems?.['images-table'];
    // The pending image has nothing to show yet: only the final one is read, and only what a tile needs.
    expect(request?.Keys).toEqual([{ imageId: IDS.newer }]);
    expect(request?.ProjectionExpression).not.toMatch(/#text|#lines|#exif/);
  });

  it('still answers the page when the records cannot be read in full', async () => {
    stored([imageItem({ imageId: IDS.newer })]);
    dynamo.on(BatchGetCommand).resolves({ Responses: { 'images-table': [] } });
    const [item] = ((await list()).json as Page).items;
    expect(item).toMatchObject({ imageId: IDS.newer, status: 'PROCESSED', thumbnails: expect.any(Object) });
    expect(item).not.toHaveProperty('width');
  });

  it("adds the details to everyone's list too (an admin's)", async () => {
    const processed = imageItem({ imageId: IDS.newer });
    stored([processed]);
    dynamo.on(BatchGetCommand).resolves({ Responses: { 'images-table': [{ imageId: IDS.newer, analysis }] } });
    const [item] = ((await list(undefined, ADMIN_USER)).json as Page).items;
    expect(item).toMatchObject({ width: 1280, height: 800 });
  });

  it("leaves a locked photo out of everyone's list by status, which the global index keeps it in (issue 80)", async () => {
    const [open, locked] = imageIds(2) as [string, string];
    stored([imageItem({ imageId: open }), imageItem({ imageId: locked })]);
    dynamo.on(BatchGetCommand).resolves({
      Responses: {
        'images-table': [
          { imageId: open, analysis },
          { imageId: locked, analysis, locked: true },
        ],
      },
    });
    for (const query of [{ status: 'PROCESSED' }, undefined]) {
      const page = (await list(query, ADMIN_USER)).json as Page;
      expect(page.items.map((item) => item.imageId)).toEqual([open]);
    }
    const request = dynamo.commandCalls(BatchGetCommand)[0]?.args[0].input.RequestItems?.['images-table'];
    expect(request?.ExpressionAttributeNames).toMatchObject({ '#locked': 'locked' });
  });

  it("shows a stack once in everyone's list, which the global index keeps its frames in (issue 81)", async () => {
    const [primary, frame] = imageIds(2) as [string, string];
    stored([imageItem({ imageId: primary }), imageItem({ imageId: frame })]);
    dynamo.on(BatchGetCommand).resolves({
      Responses: {
        'images-table': [
          { imageId: primary, analysis, stack: { id: 'st_1', count: 2 } },
          { imageId: frame, analysis, stackedIn: 'st_1' },
        ],
      },
    });
    const page = (await list(undefined, ADMIN_USER)).json as Page;
    expect(page.items.map((item) => [item.imageId, item.stack])).toEqual([[primary, { id: 'st_1', count: 2 }]]);
  });

  it('shows a PENDING image without the fields it does not have yet', async () => {
    stored([pendingItem({ eventPending: true })]);
    const [item] = ((await list()).json as Page).items;
    expect(Object.keys(item ?? {}).sort()).toEqual(
      ['contentType', 'createdAt', 'filename', 'imageId', 'status', 'updatedAt'].sort(),
    );
  });

  it("filters by status through the caller's shards of byOwnerStatusSharded", async () => {
    stored([imageItem({ imageId: IDS.older, status: 'REJECTED' }), imageItem({ imageId: IDS.newer })]);
    const response = await list({ status: 'REJECTED' });
    expect((response.json as Page).items.map((item) => item.imageId)).toEqual([IDS.older]);
    const inputs = queryInputs();
    expect(inputs.map((input) => input.ExpressionAttributeValues?.[':pk'])).toEqual(
      Array.from({ length: 16 }, (_, n) => `${TEST_USER.sub}#REJECTED#${n}`),
    );
    expect(inputs[0]).toMatchObject({
      IndexName: 'byOwnerStatusSharded',
      ExpressionAttributeNames: { '#pk': 'ownerStatusShard' },
      ScanIndexForward: false,
    });
  });

  it('returns 400 for a status that does not exist', async () => {
    const response = await list({ status: 'DONE' });
    expect(response.statusCode).toBe(400);
    expect(response.json).toEqual({ message: 'status: must be one of PENDING, PROCESSED, REJECTED, FAILED, TRASHED' });
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
