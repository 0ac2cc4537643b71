import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type RunOutcome, runCounterKey, runShardOf } from './run-keys';

/** Where the processor adds what it made of each object of a backfill run. */
export interface IRunCounters {
  add(run: string, seed: string, outcome: RunOutcome): Promise<void>;
}

/** The run's counter shards in the results table (run-keys.ts). */
export class RunCounters implements IRunCounters {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** One ADD on the shard `seed` (the image id, or the key of an object that has none) picks. */
  async add(run: string, seed: string, outcome: RunOutcome): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { imageId: runCounterKey(run, runShardOf(seed)) },
        UpdateExpression: 'ADD #outcome :one',
        ExpressionAttributeNames: { '#outcome': outcome },
        ExpressionAttributeValues: { ':one': 1 },
      }),
    );
  }
}
