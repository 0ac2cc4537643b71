import { BatchGetCommand, DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { shardAttributes } from '../../../../../lambdas/store/list-shards';
import { TIMELINE_ITEM_ATTRIBUTES } from '../../../../../lambdas/store/table-design';
import { timelineAttributes } from '../../../../../lambdas/store/timeline-key';
import {
  ADMIN_USER,
  type ApiHandler,
  invoke,
  listImagesEvent,
  OTHER_USER,
  TEST_USER,
  useApiEnv,
} from '../../../../support/api-events';
import { imageIds, imageItem, processedAnalysis } from '../../../../support/items';

useApiEnv();
const { handler } = require('../../../../../lambdas/images/functions/list-images/handler') as { handler: ApiHandler };

const dynamo = mockClient(DynamoDBDocumentClient);

interface Page {
  items: Array<Record<string, unknown>>;
  cursor?: string;
}

/** Images of TEST_USER uploaded in id order, taken at these dates (undefined: no date taken). */
function storedTaken(dates: (string | undefined)[]) {
  const ids = imageIds(dates.length);
  const items = dates.map((takenAt, i) => {
    const analysis = processedAnalysis({ width: 40, height: 30 });
    const item = imageItem({
      imageId: ids[i],
      createdAt: `2026-11-0${i + 1}T00:00:00.000Z`,
      analysis: takenAt ? { ...analysis, metadata: { ...analysis.metadata, exif: { takenAt } } } : analysis,
    });
    return { ...item, ...shardAttributes(item.imageId, item.status, item.owner), ...timelineAttributes(item) };
  });
  dynamo.on(QueryCommand).callsFake((input) => {
    const values = input.ExpressionAttributeValues ?? {};
    const keep = ['imageId', 'ownerShard', 'takenKey', ...TIMELINE_ITEM_ATTRIBUTES];
    const Items = items
      .filter((item) => item.ownerShard === values[':pk'])
      .filter((item) => values[':olderThan'] === undefined || item.takenKey < String(values[':olderThan']))
      .sort((a, b) => (a.takenKey < b.takenKey ? 1 : -1))
      .slice(0, input.Limit)
      .map((item) => Object.fromEntries(Object.entries(item).filter(([name]) => keep.includes(name))));
    return { Items };
  });
  dynamo.on(BatchGetCommand).resolves({ Responses: {} });
  return ids;
}

const list = (query: Record<string, string>, as = TEST_USER) => invoke(handler, listImagesEvent(query, undefined, as));

describe('GET /images?sort=taken', () => {
  beforeEach(() => dynamo.reset());

  it("answers the owner's images newest taken first, the undated at their upload time, with takenAt", async () => {
    const ids = storedTaken(['2015-06-01T12:00:00', undefined, '2023-01-01T00:00:00']);
    const response = await list({ sort: 'taken' });
    expect(response.statusCode).toBe(200);
    const items = (response.json as Page).items;
    // The second was uploaded 2026-11-02 with no date taken: it is the newest.
    expect(items.map((item) => item.imageId)).toEqual([ids[1], ids[2], ids[0]]);
    expect(items.map((item) => item.takenAt)).toEqual([undefined, '2023-01-01T00:00:00', '2015-06-01T12:00:00']);
    const indexes = dynamo.commandCalls(QueryCommand).map((call) => call.args[0].input.IndexName);
    expect(new Set(indexes)).toEqual(new Set(['byOwnerTakenSharded']));
  });

  it('pages on with the cursor it answers, and refuses it for the upload order', async () => {
    const ids = storedTaken(['2015-06-01T12:00:00', '2016-06-01T12:00:00', '2017-06-01T12:00:00']);
    const first = (await list({ sort: 'taken', limit: '2' })).json as Page;
    expect(first.items.map((item) => item.imageId)).toEqual([ids[2], ids[1]]);
    expect(first.cursor).toEqual(expect.any(String));
    const second = (await list({ sort: 'taken', limit: '2', cursor: first.cursor as string })).json as Page;
    expect(second.items.map((item) => item.imageId)).toEqual([ids[0]]);
    const wrong = await list({ limit: '2', cursor: first.cursor as string });
    expect(wrong.statusCode).toBe(400);
  });

  it.each([
    [{ sort: 'newest' }, /sort: must be uploaded or taken/],
    [{ sort: 'taken', label: 'dog' }, /sort: a search .* leave sort out/],
    [{ sort: 'taken', status: 'FAILED' }, /sort: taken lists every status/],
  ])('refuses %j with a 400 that names the fix', async (query, message) => {
    storedTaken([]);
    const response = await list(query);
    expect(response.statusCode).toBe(400);
    expect(JSON.stringify(response.json)).toMatch(message);
  });

  it("gives an admin naming no owner their own timeline, and the owner's they name", async () => {
    storedTaken(['2015-06-01T12:00:00']);
    const own = await list({ sort: 'taken' }, ADMIN_USER);
    expect((own.json as Page).items).toEqual([]);
    const pk = dynamo.commandCalls(QueryCommand)[0]?.args[0].input.ExpressionAttributeValues?.[':pk'];
    expect(pk).toBe(`${ADMIN_USER.sub}#0`);
    const named = await list({ sort: 'taken', owner: TEST_USER.sub }, ADMIN_USER);
    expect((named.json as Page).items).toHaveLength(1);
  });

  it("refuses another owner's timeline to someone not an admin", async () => {
    storedTaken([]);
    expect((await list({ sort: 'taken', owner: OTHER_USER.sub })).statusCode).toBe(403);
  });
});
