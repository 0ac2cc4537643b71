import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { TRANSACT_ATTEMPTS } from '../../../lambdas/shared/transactions';
import type { WebhookEndpoint } from '../../../lambdas/webhooks/endpoint';
import { EndpointStore } from '../../../lambdas/webhooks/endpoints';
import { cancelledTransaction } from '../../support/errors';

/*
 * The endpoint store's transactions as DynamoDB cancels them: a condition that failed (the endpoint gone, the limit
 * reached), or another transaction on one of its items at that moment (`TransactionConflict`, which AWS answers to
 * concurrent creates of one owner and concurrent deletes). None may be a 500.
 */

const dynamo = mockClient(DynamoDBDocumentClient);
const store = new EndpointStore(DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' })), 'hooks');

const endpoint: WebhookEndpoint = {
  endpointId: 'ep_01M8BAW5JWMBNJJR9S9F0B8G1S',
  owner: 'alice',
  url: 'https://hooks.example.com/in',
  description: '',
  eventTypes: [],
  enabled: true,
  secrets: [{ secret: 'whsec_x', createdAt: '2026-11-26T10:00:00.000Z' }],
  createdAt: '2026-11-26T10:00:00.000Z',
  updatedAt: '2026-11-26T10:00:00.000Z',
};

beforeEach(() => dynamo.reset());

describe('deleting an endpoint', () => {
  it('is a 404 when a delete beside it took the endpoint first (its condition failed)', async () => {
    dynamo.on(TransactWriteCommand).rejects(cancelledTransaction('ConditionalCheckFailed', 'None'));
    await expect(store.delete(endpoint)).rejects.toMatchObject({ name: 'NotFoundError', statusCode: 404 });
  });

  it('tries again when another transaction held the count at that moment, and then finds it gone: a 404', async () => {
    dynamo
      .on(TransactWriteCommand)
      .rejectsOnce(cancelledTransaction('None', 'TransactionConflict'))
      .rejects(cancelledTransaction('ConditionalCheckFailed', 'None'));
    await expect(store.delete(endpoint)).rejects.toMatchObject({ statusCode: 404 });
    expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(2);
  });

  it('answers a 409 "try again", never a 500, when every try meets a conflict', async () => {
    dynamo.on(TransactWriteCommand).rejects(cancelledTransaction('TransactionConflict', 'None'));
    await expect(store.delete(endpoint)).rejects.toMatchObject({
      name: 'ConflictError',
      statusCode: 409,
      message: expect.stringMatching(/try again/),
    });
    expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(TRANSACT_ATTEMPTS);
  });
});

describe('creating an endpoint', () => {
  it('is stored once a conflict with a create of the same owner has passed', async () => {
    dynamo.on(TransactWriteCommand).rejectsOnce(cancelledTransaction('TransactionConflict', 'None')).resolves({});
    await expect(store.create(endpoint, 10)).resolves.toBeUndefined();
    expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(2);
  });

  it('answers 409 with a message when conflicts go on, and 429 at the limit', async () => {
    dynamo.on(TransactWriteCommand).rejects(cancelledTransaction('TransactionConflict', 'None'));
    await expect(store.create(endpoint, 10)).rejects.toMatchObject({ statusCode: 409 });
    dynamo.reset();
    dynamo.on(TransactWriteCommand).rejects(cancelledTransaction('ConditionalCheckFailed', 'None'));
    await expect(store.create(endpoint, 10)).rejects.toMatchObject({ statusCode: 429 });
  });
});
