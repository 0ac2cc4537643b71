import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { deleteCounted, TRANSACT_ATTEMPTS, transactReasons } from '../../../lambdas/shared/transactions';
import { cancelledTransaction } from '../../support/errors';

/*
 * The transactions the albums and the webhook endpoints share: a cancellation answered as its reasons' codes, one
 * cancelled by conflicts alone tried again, and an owner's counted item deleted with its count.
 */

const dynamo = mockClient(DynamoDBDocumentClient);
const client = dynamo as unknown as DynamoDBDocumentClient;
const input = { TransactItems: [{ Delete: { TableName: 't', Key: { pk: 'A#1', sk: 'A' } } }] };

beforeEach(() => dynamo.reset());

describe('transactReasons', () => {
  it('answers undefined when the transaction is written', async () => {
    dynamo.on(TransactWriteCommand).resolves({});
    await expect(transactReasons(client, input)).resolves.toBeUndefined();
    expect(dynamo).toHaveReceivedCommandWith(TransactWriteCommand, input);
  });

  it("answers a cancelled transaction's reasons by item, without trying it again", async () => {
    dynamo.on(TransactWriteCommand).rejects(cancelledTransaction('None', 'ConditionalCheckFailed'));
    await expect(transactReasons(client, input)).resolves.toEqual(['None', 'ConditionalCheckFailed']);
    expect(dynamo).toHaveReceivedCommandTimes(TransactWriteCommand, 1);
  });

  it('reads the reasons from the message when an emulator gives them nowhere else', async () => {
    const bare = Object.assign(new Error('cancelled [ConditionalCheckFailed, None]'), {
      name: 'TransactionCanceledException',
    });
    dynamo.on(TransactWriteCommand).rejects(bare);
    await expect(transactReasons(client, input)).resolves.toEqual(['ConditionalCheckFailed']);
  });

  it('tries again one cancelled by a conflict alone, and answers its reasons once a condition fails', async () => {
    dynamo
      .on(TransactWriteCommand)
      .rejectsOnce(cancelledTransaction('TransactionConflict', 'None'))
      .rejects(cancelledTransaction('ConditionalCheckFailed', 'None'));
    await expect(transactReasons(client, input)).resolves.toEqual(['ConditionalCheckFailed', 'None']);
    expect(dynamo).toHaveReceivedCommandTimes(TransactWriteCommand, 2);
  });

  it('answers TransactionConflict when conflicts cancel it at every try', async () => {
    dynamo.on(TransactWriteCommand).rejects(cancelledTransaction('None', 'TransactionConflict'));
    await expect(transactReasons(client, input)).resolves.toEqual(['TransactionConflict']);
    expect(dynamo).toHaveReceivedCommandTimes(TransactWriteCommand, TRANSACT_ATTEMPTS);
  });

  it('throws any other error', async () => {
    dynamo.on(TransactWriteCommand).rejects(Object.assign(new Error('slow down'), { name: 'ThrottlingException' }));
    await expect(transactReasons(client, input)).rejects.toThrow('slow down');
  });
});

describe('deleteCounted', () => {
  const counted = {
    tableName: 't',
    key: { pk: 'AL#1', sk: 'AL' },
    countKey: { pk: 'O#alice', sk: 'N' },
    counter: 'albums',
  };

  it("deletes the item if it exists, with its owner's count lowered by one, in one transaction", async () => {
    dynamo.on(TransactWriteCommand).resolves({});
    await expect(deleteCounted(client, counted)).resolves.toBe('deleted');
    expect(dynamo).toHaveReceivedCommandWith(TransactWriteCommand, {
      TransactItems: [
        { Delete: { TableName: 't', Key: counted.key, ConditionExpression: 'attribute_exists(pk)' } },
        {
          Update: {
            TableName: 't',
            Key: counted.countKey,
            UpdateExpression: 'ADD #count :minus',
            ExpressionAttributeNames: { '#count': 'albums' },
            ExpressionAttributeValues: { ':minus': -1 },
          },
        },
      ],
    });
  });

  it('answers missing when the item was gone (its condition failed), so no count is lowered twice', async () => {
    dynamo.on(TransactWriteCommand).rejects(cancelledTransaction('ConditionalCheckFailed', 'None'));
    await expect(deleteCounted(client, counted)).resolves.toBe('missing');
  });

  it('answers conflict when other transactions held its items at every try', async () => {
    dynamo.on(TransactWriteCommand).rejects(cancelledTransaction('None', 'TransactionConflict'));
    await expect(deleteCounted(client, counted)).resolves.toBe('conflict');
  });
});
