import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { RUN_COUNTER_SHARDS, RUN_OUTCOMES, type RunOutcome, runCounterKey, runKey } from './run-keys';

/** What a run has done so far: objects queued by its state machine, and what the processor made of them. */
export type RunCounts = { queued: number } & Record<RunOutcome, number>;

/** The objects of a run the processor has not finished with yet (never below zero: counts are at least once). */
export function inFlight(counts: RunCounts): number {
  const finished = RUN_OUTCOMES.reduce((sum, outcome) => sum + counts[outcome], 0);
  return Math.max(0, counts.queued - finished);
}

/**
 * A run's counts: its item and every counter shard in one BatchGetItem (17 keys, under the 100 it takes), summed.
 * Keys BatchGetItem leaves unprocessed are asked again, a few times, before giving up.
 */
export async function readRunCounts(
  client: DynamoDBDocumentClient,
  tableName: string,
  run: string,
): Promise<RunCounts> {
  const counts = Object.fromEntries(['queued', ...RUN_OUTCOMES].map((name) => [name, 0])) as RunCounts;
  let keys: Record<string, unknown>[] = [
    { imageId: runKey(run) },
    ...Array.from({ length: RUN_COUNTER_SHARDS }, (_, shard) => ({ imageId: runCounterKey(run, shard) })),
  ];
  for (let attempt = 0; keys.length > 0; attempt++) {
    if (attempt === 5)
      throw new Error(`the counts of backfill ${run} could not be read: DynamoDB kept keys unprocessed`);
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
    const answer = await client.send(
      new BatchGetCommand({ RequestItems: { [tableName]: { Keys: keys, ConsistentRead: true } } }),
    );
    for (const item of answer.Responses?.[tableName] ?? []) {
      for (const name of ['queued', ...RUN_OUTCOMES] as const) {
        if (typeof item[name] === 'number') counts[name] += item[name];
      }
    }
    keys = (answer.UnprocessedKeys?.[tableName]?.Keys ?? []) as Record<string, unknown>[];
  }
  return counts;
}
