import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { SourceObjectMessageSchema } from '../../../../../lambdas/backfill/source-object';
import { ADMIN_USER, type ApiHandler, apiEvent, invoke, TEST_USER, useApiEnv } from '../../../../support/api-events';

useApiEnv();
const { handler } = require('../../../../../lambdas/images/functions/reown-image/handler') as { handler: ApiHandler };

const sqs = mockClient(SQSClient);
const dynamo = mockClient(DynamoDBDocumentClient);
const ID = '01JD5Y4ZQK8V3N2M1B0C9X8W7V';
const ITEM = {
  imageId: ID,
  entity: 'IMAGE',
  status: 'PROCESSED',
  createdAt: '2026-11-01T00:00:00.000Z',
  updatedAt: '2026-11-01T00:00:00.000Z',
  bucket: 'images-bucket',
  key: `uploads/${ID}.jpg`,
  owner: 'alice',
  size: 1234,
};

const put = (body: unknown, as = ADMIN_USER, id = ID) =>
  invoke(
    handler,
    apiEvent({
      as,
      method: 'PUT',
      resource: '/images/{id}/owner',
      path: `/images/${id}/owner`,
      pathParameters: { id },
      body,
    }),
  );

describe('PUT /images/{id}/owner', () => {
  beforeEach(() => {
    sqs.reset();
    sqs.on(SendMessageCommand).resolves({ MessageId: 'm-1' });
    dynamo.reset();
    dynamo.on(GetCommand).resolves({ Item: ITEM });
  });

  it('answers 202 MOVING and sends one reown message to the ingest queue', async () => {
    const response = await put({ owner: 'bob' });
    expect(response).toMatchObject({
      statusCode: 202,
      json: { imageId: ID, owner: 'bob', previousOwner: 'alice', status: 'MOVING' },
    });
    expect(sqs).toHaveReceivedCommandTimes(SendMessageCommand, 1);
    const sent = sqs.commandCalls(SendMessageCommand)[0]?.args[0].input;
    expect(sent?.QueueUrl).toBe('https://sqs.eu-west-1.amazonaws.com/123456789012/images-ingest');
    expect(SourceObjectMessageSchema.parse(JSON.parse(sent?.MessageBody ?? ''))).toMatchObject({
      bucket: 'images-bucket',
      owner: 'bob',
      reown: true,
      object: { Key: `uploads/${ID}.jpg` },
    });
  });

  it("answers 200 UNCHANGED for the image's own owner, sending nothing", async () => {
    expect(await put({ owner: 'alice' })).toMatchObject({ statusCode: 200, json: { status: 'UNCHANGED' } });
    expect(sqs).not.toHaveReceivedCommand(SendMessageCommand);
  });

  it('answers 400 for an owner that is no owner id, 403 to a caller who is not an admin, 404 for no image', async () => {
    expect((await put({ owner: 'has#hash' })).statusCode).toBe(400);
    expect((await put({})).statusCode).toBe(400);
    expect((await put({ owner: 'bob' }, TEST_USER)).statusCode).toBe(403);
    dynamo.on(GetCommand).resolves({});
    expect(await put({ owner: 'bob' })).toMatchObject({ statusCode: 404, json: { message: `image ${ID} not found` } });
    expect(sqs).not.toHaveReceivedCommand(SendMessageCommand);
  });
});
