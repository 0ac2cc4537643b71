import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { startLeaseKey } from './run-keys';

/**
 * How long a start holds its bucket at most: the overlap check and StartExecution take well under a second, and a
 * start gives the lease back when done; one that crashed lets it lapse.
 */
export const START_LEASE_SECONDS = 5;

/** What the bucket's lease gave: whether this start holds it, and the run started over the bucket last. */
export type StartLease = { taken: false } | { taken: true; lastRun?: string };

/** One start of a run over a bucket at a time (`POST /backfills`'s overlap check and StartExecution). */
export interface IStartLeases {
  take(bucket: string, holder: string): Promise<StartLease>;
  /** Give the lease back; `started`: the holder's run did start, and is the bucket's last run from now on. */
  release(bucket: string, holder: string, started: boolean): Promise<void>;
}

/**
 * The lease as one item per bucket in the results table (`backfill#start#<bucket>`): `holder` and `until`, taken with
 * a conditional UpdateItem (no holder, or its lease over), and `lastRun`, the run the last start started. Two POSTs
 * at the same moment cannot both pass the overlap check, which reads the runs and would not see a run the other is
 * starting; and a POST right after another reads its run here, where ListExecutions (eventually consistent) might
 * not show it yet. Two writes a start; one small item per bucket ever backfilled.
 */
export class DynamoStartLeases implements IStartLeases {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: () => number = Date.now,
  ) {}

  async take(bucket: string, holder: string): Promise<StartLease> {
    const now = this.now();
    try {
      const { Attributes } = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { imageId: startLeaseKey(bucket) },
          UpdateExpression: 'SET holder = :holder, #until = :until',
          ConditionExpression: 'attribute_not_exists(#until) OR #until < :now',
          ExpressionAttributeNames: { '#until': 'until' },
          ExpressionAttributeValues: { ':holder': holder, ':until': now + START_LEASE_SECONDS * 1000, ':now': now },
          ReturnValues: 'ALL_OLD',
        }),
      );
      const lastRun = Attributes?.lastRun;
      return typeof lastRun === 'string' ? { taken: true, lastRun } : { taken: true };
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return { taken: false };
      throw error;
    }
  }

  async release(bucket: string, holder: string, started: boolean): Promise<void> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { imageId: startLeaseKey(bucket) },
          UpdateExpression: `SET #until = :over${started ? ', lastRun = :holder' : ''}`,
          ConditionExpression: 'holder = :holder',
          ExpressionAttributeNames: { '#until': 'until' },
          ExpressionAttributeValues: { ':over': 0, ':holder': holder },
        }),
      );
    } catch (error) {
      // Lapsed and taken by another start meanwhile: it is theirs now.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
}
