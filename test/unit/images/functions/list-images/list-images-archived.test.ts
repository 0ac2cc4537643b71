import { BatchGetCommand, DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { shardAttributes } from '../../../../../lambdas/store/list-shards';
import { LIST_ITEM_ATTRIBUTES } from '../../../../../lambdas/store/table-design';
import { timelineAttributes } from '../../../../../lambdas/store/timeline-key';
import {
  ADMIN_USER,
  type ApiHandler,
  invoke,
  listImagesEvent,
  TEST_USER,
  useApiEnv,
} from '../../../../support/api-events';
import { answerListQuery, IDS, imageItem } from '../../../../support/items';

useApiEnv();
const { handler } = require('../../../../../lambdas/images/functions/list-images/handler') as { handler: ApiHandler };

const dynamo = mockClient(DynamoDBDocumentClient);

interface Page {
  items: Array<Record<string, unknown>>;
  cursor?: string;
}

/** One archived image and one not, with the keys the store writes for each; queries answer as the indexes would. */
function storedOneArchived() {
  const kept = imageItem({ imageId: IDS.older });
  const archived = imageItem({ imageId: IDS.newer, archived: true });
  const items = [kept, archived].map((item) => ({
    ...item,
    ...shardAttributes(item.imageId, item.status, item.owner, item),
    ...timelineAttributes(item),
  }));
  dynamo.on(QueryCommand).callsFake((input) => answerListQuery(items, input, { projected: LIST_ITEM_ATTRIBUTES }));
}

const queried = () => dynamo.commandCalls(QueryCommand).map((call) => call.args[0].input);
const ids = (response: { json?: unknown }) => (response.json as Page).items.map((item) => item.imageId);

describe('GET /images and the archive', () => {
  beforeEach(() => {
    dynamo.reset();
    dynamo.on(BatchGetCommand).resolves({ Responses: {} });
    storedOneArchived();
  });

  it('leaves an archived image out of the default list without reading it: its keys are elsewhere', async () => {
    const response = await list();
    expect(ids(response)).toEqual([IDS.older]);
    // Sixteen queries, one per shard, none of them the archive's: nothing is read to be dropped.
    const partitions = queried().map((input) => input.ExpressionAttributeValues?.[':pk']);
    expect(partitions).toHaveLength(16);
    expect(partitions.every((pk) => !String(pk).includes('ARCHIVED'))).toBe(true);
  });

  it('leaves it out of the timeline (sort=taken) likewise', async () => {
    const response = await list({ sort: 'taken' });
    expect(response.statusCode).toBe(200);
    const partitions = queried().map((input) => input.ExpressionAttributeValues?.[':pk']);
    expect(partitions).toEqual(Array.from({ length: 16 }, (_, n) => `${TEST_USER.sub}#${n}`));
  });

  it('lists only the archived with archived=true, from its owner’s archive keys', async () => {
    const response = await list({ archived: 'true' });
    expect(ids(response)).toEqual([IDS.newer]);
    expect(queried().map((input) => input.ExpressionAttributeValues?.[':pk'])).toEqual(
      Array.from({ length: 16 }, (_, n) => `${TEST_USER.sub}#ARCHIVED#${n}`),
    );
    expect(queried()[0]).toMatchObject({ IndexName: 'byOwnerSharded' });
  });

  it('lists the archive by date taken with sort=taken', async () => {
    await list({ archived: 'true', sort: 'taken' });
    expect(queried()[0]).toMatchObject({
      IndexName: 'byOwnerTakenSharded',
      ExpressionAttributeValues: { ':pk': `${TEST_USER.sub}#ARCHIVED#0` },
    });
  });

  it('reads an admin’s own archive, not every owner’s', async () => {
    await list({ archived: 'true' }, ADMIN_USER);
    expect(queried()[0]?.ExpressionAttributeValues?.[':pk']).toBe(`${ADMIN_USER.sub}#ARCHIVED#0`);
  });

  it('refuses a search or a status with archived=true', async () => {
    const queries: Record<string, string>[] = [
      { archived: 'true', q: 'dog' },
      { archived: 'true', status: 'PROCESSED' },
    ];
    for (const query of queries) {
      const response = await list(query);
      expect(response.statusCode).toBe(400);
      expect(JSON.stringify(response.json)).toContain('archived');
    }
  });
});

function list(query?: Record<string, string>, as = TEST_USER) {
  return invoke(handler, listImagesEvent(query, undefined, as));
}
