import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import {
  type ApiHandler,
  apiEvent,
  deleteImageEvent,
  getImageEvent,
  invoke,
  listImagesEvent,
  TEST_USER,
  useApiEnv,
} from '../../../support/api-events';
import { IDS } from '../../../support/items';

/**
 * The query routes from a hostile client: what list-images, get-image and delete-image tests do not already try.
 * Each answer is a 400 naming the parameter, with nothing read, deleted or published.
 */
useApiEnv();
const list = (require('../../../../lambdas/images/functions/list-images/handler') as { handler: ApiHandler }).handler;
const get = (require('../../../../lambdas/images/functions/get-image/handler') as { handler: ApiHandler }).handler;
const remove = (require('../../../../lambdas/trash/functions/delete-image/handler') as { handler: ApiHandler }).handler;

const dynamo = mockClient(DynamoDBDocumentClient);
const s3 = mockClient(S3Client);
const events = mockClient(EventBridgeClient);
const cursorOf = (key: unknown) => Buffer.from(JSON.stringify(key)).toString('base64url');

beforeEach(() => {
  dynamo.reset();
  s3.reset();
  events.reset();
  dynamo.on(QueryCommand).resolves({ Items: [] });
});

/** No AWS call at all: the request was refused before reaching the table, the bucket or the bus. */
function expectNothingTouched() {
  expect(dynamo.calls()).toHaveLength(0);
  expect(s3.calls()).toHaveLength(0);
  expect(events.calls()).toHaveLength(0);
}

describe('GET /images with a forged cursor', () => {
  it.each([
    ['one injected attribute', cursorOf({ last: IDS.older, status: 'PROCESSED' })],
    ['an injected createdAt', cursorOf({ last: IDS.older, createdAt: '2025-01-01' })],
    ['an injected start key', cursorOf({ last: IDS.older, ExclusiveStartKey: { imageId: IDS.older } })],
    ['an empty image id', cursorOf({ last: '' })],
    ['an image id that is not a ULID', cursorOf({ last: "' OR 1=1 --" })],
    ['an image id that is a number', cursorOf({ last: 1 })],
    ['an image id that is an object', cursorOf({ last: { S: IDS.older } })],
    ['the unsharded layout (the old LastEvaluatedKey)', cursorOf({ entity: 'IMAGE', imageId: IDS.older })],
    ['a key of one shard', cursorOf({ listShard: 'IMAGE#3', imageId: IDS.older })],
    ['a position per shard', cursorOf(Object.fromEntries([0, 1, 2].map((n) => [`IMAGE#${n}`, IDS.older])))],
    ['another shard count', cursorOf({ last: IDS.older, shards: 32 })],
    ['a JSON array', cursorOf(['IMAGE', IDS.older])],
    ['JSON null', cursorOf(null)],
    ['a JSON string', cursorOf(IDS.older)],
    ['a __proto__ key', cursorOf(JSON.parse(`{"__proto__":{"status":"FAILED"},"last":"${IDS.older}"}`))],
    ['random base64', 'q83vEjRWeJCrze8SNFZ4kA'],
    ['2 kB of base64', 'QUFB'.repeat(512)],
  ])('returns 400 for a cursor with %s, without querying', async (_kind, cursor) => {
    const response = await invoke(list, listImagesEvent({ cursor }));
    expect(response.statusCode).toBe(400);
    expect(response.json).toEqual({ message: expect.stringMatching(/^cursor: /) });
    expectNothingTouched();
  });

  it.each([
    ['a cursor of all images, with a status', 'FAILED', cursorOf({ last: IDS.older })],
    ['a cursor of one status, with another', 'FAILED', cursorOf({ status: 'PROCESSED', last: IDS.older })],
    ['a cursor of a status that does not exist', 'FAILED', cursorOf({ status: 'DONE', last: IDS.older })],
  ])('returns 400 for %s, without querying', async (_kind, status, cursor) => {
    const response = await invoke(list, listImagesEvent({ status, cursor }));
    expect(response.statusCode).toBe(400);
    expect(response.json).toEqual({ message: expect.stringMatching(/^cursor: /) });
    expectNothingTouched();
  });

  it('resumes every shard below exactly the decoded id, with nothing the client added', async () => {
    const cursor = cursorOf({ owner: TEST_USER.sub, status: 'FAILED', last: IDS.older });
    await invoke(list, listImagesEvent({ status: 'FAILED', cursor }));
    const inputs = dynamo.commandCalls(QueryCommand).map((call) => call.args[0].input);
    expect(inputs).toHaveLength(16);
    for (const [n, input] of inputs.entries()) {
      expect(input).toEqual({
        TableName: 'images-table',
        IndexName: 'byOwnerStatusSharded',
        KeyConditionExpression: '#pk = :pk AND #sk < :olderThan',
        ExpressionAttributeNames: { '#pk': 'ownerStatusShard', '#sk': 'imageId' },
        ExpressionAttributeValues: { ':pk': `${TEST_USER.sub}#FAILED#${n}`, ':olderThan': IDS.older },
        ScanIndexForward: false,
        Limit: 20,
      });
    }
  });
});

describe('GET /images with hostile parameters', () => {
  it.each([' 5', '+5', '0x10', '5abc', '٥'])('returns 400 for limit=%p', async (limit) => {
    const response = await invoke(list, listImagesEvent({ limit }));
    expect(response.statusCode).toBe(400);
    expect(response.json).toEqual({ message: expect.stringMatching(/^limit: /) });
    expectNothingTouched();
  });

  it.each(['processed', 'PROCESSED ', 'PROCESSED,REJECTED', '*'])('returns 400 for status=%p', async (status) => {
    const response = await invoke(list, listImagesEvent({ status }));
    expect(response.statusCode).toBe(400);
    expectNothingTouched();
  });

  it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty'])(
    'refuses a parameter named %s as any other it does not take, naming it',
    async (name) => {
      // As API Gateway parses its JSON event: an own property, `__proto__` too.
      const response = await invoke(list, listImagesEvent(Object.fromEntries([[name, '1']])));
      expect([response.statusCode, response.json]).toEqual([400, { message: `query: unknown parameter: ${name}` }]);
      expectNothingTouched();
    },
  );

  it('refuses query parameters it does not take, naming them, such as DynamoDB inputs', async () => {
    const response = await invoke(
      list,
      listImagesEvent({ IndexName: 'bySha256', TableName: 'other-table', FilterExpression: 'x', Limit: '1000' }),
    );
    expect(response.statusCode).toBe(400);
    expect(response.json).toEqual({
      message: 'query: unknown parameters: IndexName, TableName, FilterExpression, Limit',
    });
    expectNothingTouched();
  });
});

const BAD_IDS: Array<[string, string]> = [
  ['a UUID', '0b9e6c4e-7a53-4cf5-9d5b-2f0a5a1c9a11'],
  ['SQL', "01JABCDEFGHJKMNPQRSTVWXYZ9' OR '1'='1"],
  ['10 kB long', 'A'.repeat(10_000)],
  ['a decoded traversal', '../uploads/x'],
  ['a percent-encoded slash', `${IDS.newer.slice(0, 13)}%2F${IDS.newer.slice(13)}`],
  ['a ULID with a trailing newline', `${IDS.newer}\n`],
  ['a ULID with a trailing space', `${IDS.newer} `],
  ['fullwidth digits', `０１${IDS.newer.slice(2)}`],
  ['empty', ''],
];

describe.each([
  ['GET', get, getImageEvent],
  ['DELETE', remove, deleteImageEvent],
])('%s /images/{id} with an id of another format', (_method, handler, eventFor) => {
  it.each(BAD_IDS)('returns 400 for %s, touching nothing', async (_kind, id) => {
    const response = await invoke(handler, eventFor(id));
    expect(response.statusCode).toBe(400);
    expect(response.json).toEqual({ message: expect.stringMatching(/^id: /) });
    expectNothingTouched();
  });

  it('returns 400 when API Gateway passes no path parameters', async () => {
    const event = apiEvent({ method: 'GET', resource: '/images/{id}', path: '/images/' });
    const response = await invoke(handler, event);
    expect(response.statusCode).toBe(400);
    expectNothingTouched();
  });
});
