import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { batchWrite, type WriteRequest } from '../../../lambdas/store/batch-write';

/*
 * The batched write the search index and the albums' member deletes share: batches of 25, what DynamoDB leaves
 * unprocessed sent again with a growing wait, and the caller's error when some is left after every round.
 */

const dynamo = mockClient(DynamoDBDocumentClient);
const client = dynamo as unknown as DynamoDBDocumentClient;
const deletes = (count: number): WriteRequest[] =>
  Array.from({ length: count }, (_, i) => ({ DeleteRequest: { Key: { pk: `K#${i}` } } }));
const sent = () => dynamo.commandCalls(BatchWriteCommand).map((call) => call.args[0].input.RequestItems?.t ?? []);

class LeftError extends Error {}
let waits: number[];
const asked = (rounds: number) => ({
  rounds,
  leftOver: (left: number) => new LeftError(`${left} left`),
  sleep: async (ms: number) => {
    waits.push(ms);
  },
});

beforeEach(() => {
  dynamo.reset();
  waits = [];
});

it('writes the requests in batches of 25, one call each when nothing is left unprocessed', async () => {
  dynamo.on(BatchWriteCommand).resolves({});
  await batchWrite(client, 't', deletes(60), asked(3));
  expect(sent().map((batch) => batch.length)).toEqual([25, 25, 10]);
  expect(waits).toEqual([]);
});

it('sends again only what DynamoDB left unprocessed, waiting longer each round, until it is all written', async () => {
  const left = deletes(2);
  dynamo
    .on(BatchWriteCommand)
    .resolvesOnce({ UnprocessedItems: { t: left } })
    .resolvesOnce({ UnprocessedItems: { t: left.slice(1) } })
    .resolves({ UnprocessedItems: {} });
  await batchWrite(client, 't', deletes(5), asked(5));
  expect(sent()).toEqual([deletes(5), left, left.slice(1)]);
  expect(waits).toEqual([50, 100]);
});

it('fails with the caller error, naming how many are left, after `rounds` calls, and starts no batch after', async () => {
  dynamo.on(BatchWriteCommand).resolves({ UnprocessedItems: { t: deletes(3) } });
  const write = batchWrite(client, 't', deletes(30), asked(8));
  await expect(write).rejects.toThrow(new LeftError('3 left'));
  expect(dynamo).toHaveReceivedCommandTimes(BatchWriteCommand, 8);
  expect(waits).toEqual([50, 100, 200, 400, 800, 1000, 1000]);
});

it('writes at most `parallel` batches at once', async () => {
  let inFlight = 0;
  let most = 0;
  dynamo.on(BatchWriteCommand).callsFake(async () => {
    most = Math.max(most, ++inFlight);
    await new Promise((resolve) => setImmediate(resolve));
    inFlight--;
    return {};
  });
  await batchWrite(client, 't', deletes(25 * 5), { ...asked(3), parallel: 2 });
  expect(dynamo).toHaveReceivedCommandTimes(BatchWriteCommand, 5);
  expect(most).toBe(2);
});

it('sends nothing for no requests', async () => {
  await batchWrite(client, 't', [], asked(3));
  expect(dynamo).not.toHaveReceivedCommand(BatchWriteCommand);
});
