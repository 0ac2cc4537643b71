import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { ImageStore, InvalidCursorError } from '../../../lambdas/shared/image-store';
import { IDS, imageItem, pendingItem } from '../../support/items';

const dynamo = mockClient(DynamoDBDocumentClient);
const store = new ImageStore(DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' })), 'table-1');
const cursorOf = (key: Record<string, string>) => Buffer.from(JSON.stringify(key)).toString('base64url');

/** What the store's contract promises the API handlers. */
describe('ImageStore, as the API uses it', () => {
  beforeEach(() => {
    dynamo.reset();
    dynamo.on(QueryCommand).resolves({ Items: [] });
  });

  it('creates a PENDING item only if the id is new', async () => {
    dynamo.on(PutCommand).resolves({});
    await store.createPending(pendingItem());
    expect(dynamo).toHaveReceivedCommandWith(PutCommand, {
      TableName: 'table-1',
      Item: pendingItem(),
      ConditionExpression: 'attribute_not_exists(imageId)',
    });
  });

  it('lets an existing id fail createPending', async () => {
    dynamo.on(PutCommand).rejects(new ConditionalCheckFailedException({ message: 'exists', $metadata: {} }));
    await expect(store.createPending(pendingItem())).rejects.toBeInstanceOf(ConditionalCheckFailedException);
  });

  it('reads one item consistently, so a just-created upload is found', async () => {
    dynamo.on(GetCommand).resolves({ Item: imageItem() });
    await expect(store.get(IDS.newer)).resolves.toEqual(imageItem());
    expect(dynamo).toHaveReceivedCommandWith(GetCommand, { Key: { imageId: IDS.newer }, ConsistentRead: true });
  });

  it('lists without a status on byCreated, newest first, with the limit', async () => {
    await store.list({ limit: 5 });
    expect(dynamo).toHaveReceivedCommandWith(QueryCommand, {
      IndexName: 'byCreated',
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': 'entity' },
      ExpressionAttributeValues: { ':pk': 'IMAGE' },
      ScanIndexForward: false,
      Limit: 5,
    });
  });

  it('lists one status on byStatus', async () => {
    await store.list({ status: 'FAILED', limit: 5 });
    expect(dynamo).toHaveReceivedCommandWith(QueryCommand, {
      IndexName: 'byStatus',
      ExpressionAttributeNames: { '#pk': 'status' },
      ExpressionAttributeValues: { ':pk': 'FAILED' },
    });
  });

  it('turns the last evaluated key into a cursor that starts the next page there', async () => {
    const lastKey = { entity: 'IMAGE', imageId: IDS.older };
    dynamo
      .on(QueryCommand)
      .resolvesOnce({ Items: [imageItem()], LastEvaluatedKey: lastKey })
      .resolves({ Items: [] });
    const first = await store.list({ limit: 1 });
    expect(first.cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    const second = await store.list({ limit: 1, cursor: first.cursor });
    expect(dynamo.commandCalls(QueryCommand)[1]?.args[0].input.ExclusiveStartKey).toEqual(lastKey);
    expect(second.cursor).toBeUndefined();
  });

  it.each([
    ['not base64 JSON', 'bm90LWEtY3Vyc29y!!'],
    ['from the status filter', cursorOf({ status: 'PROCESSED', imageId: IDS.older })],
    ['without an image id', cursorOf({ entity: 'IMAGE' })],
    ['with extra attributes', cursorOf({ entity: 'IMAGE', imageId: IDS.older, a: '1', b: '2' })],
    ['with a huge value', cursorOf({ entity: 'IMAGE', imageId: 'x'.repeat(200) })],
  ])('refuses a cursor %s without querying', async (_kind, cursor) => {
    await expect(store.list({ limit: 1, cursor })).rejects.toBeInstanceOf(InvalidCursorError);
    expect(dynamo).not.toHaveReceivedCommand(QueryCommand);
  });

  it('deletes an item and answers what it held', async () => {
    dynamo.on(DeleteCommand).resolves({ Attributes: imageItem() });
    await expect(store.delete(IDS.newer)).resolves.toEqual(imageItem());
    expect(dynamo).toHaveReceivedCommandWith(DeleteCommand, { Key: { imageId: IDS.newer }, ReturnValues: 'ALL_OLD' });
  });

  it('answers undefined when deleting an item that is not there', async () => {
    dynamo.on(DeleteCommand).resolves({});
    await expect(store.delete(IDS.unknown)).resolves.toBeUndefined();
  });
});
