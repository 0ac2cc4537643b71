import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { runCounterKey, runKey } from '../../../lambdas/backfill/run-keys';
import { inFlight, readRunCounts } from '../../../lambdas/backfill/run-status';

const dynamo = mockClient(DynamoDBDocumentClient);
const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));

beforeEach(() => dynamo.reset());

describe('readRunCounts', () => {
  it('sums the run item and every counter shard, and asks again for keys left unprocessed', async () => {
    dynamo
      .on(BatchGetCommand)
      .resolvesOnce({
        Responses: {
          results: [
            { imageId: runKey('r1'), queued: 25 },
            { imageId: runCounterKey('r1', 3), processed: 10, skipped: 2 },
          ],
        },
        UnprocessedKeys: { results: { Keys: [{ imageId: runCounterKey('r1', 7) }] } },
      })
      .resolvesOnce({ Responses: { results: [{ imageId: runCounterKey('r1', 7), processed: 5, rejected: 3 }] } });
    const counts = await readRunCounts(client, 'results', 'r1');
    expect(counts).toEqual({
      queued: 25,
      processed: 15,
      rejected: 3,
      skipped: 2,
      placeholders: 0,
      missing: 0,
      failed: 0,
    });
    expect(inFlight(counts)).toBe(5);
    const first = dynamo.commandCalls(BatchGetCommand)[0]?.args[0].input.RequestItems?.results;
    expect(first?.Keys).toHaveLength(17);
    expect(first?.ConsistentRead).toBe(true);
  });

  it('counts a run nobody has written yet as all zeros', async () => {
    dynamo.on(BatchGetCommand).resolves({ Responses: { results: [] } });
    expect(inFlight(await readRunCounts(client, 'results', 'new'))).toBe(0);
  });
});
