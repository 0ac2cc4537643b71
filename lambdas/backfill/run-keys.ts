import { shardOf } from '../store/list-shards';

/**
 * Where a backfill run keeps its counts, in the results table (partition key `imageId`, never a ULID for these, so
 * no image and no list index sees them):
 *
 * - `backfill#<run>`: the run (bucket, prefix, owner, reprocess, who started it, when) and `queued`, which each
 *   batch of the state machine adds to after its SendMessageBatch: one write per 10 objects, 100 a second at the
 *   design's 1,000 images a second, a tenth of what one partition takes.
 * - `backfill#<run>#<n>`, n < RUN_COUNTER_SHARDS: what the processor made of each object (`processed`, `rejected`,
 *   `skipped`, `placeholders`, `missing`, `failed`), on the shard a hash of the image id picks, so 1,000 outcomes a
 *   second are about 60 writes a second on each.
 *
 * - `backfill#start#<bucket>`: the bucket's start lease and the run started over it last (start-lease.ts).
 *
 * Reading a run's counts is one BatchGetItem of 1 + RUN_COUNTER_SHARDS keys, summed.
 */
export const RUN_COUNTER_SHARDS = 16;

export const RUN_OUTCOMES = ['processed', 'rejected', 'skipped', 'placeholders', 'missing', 'failed'] as const;
export type RunOutcome = (typeof RUN_OUTCOMES)[number];

export function runKey(run: string): string {
  return `backfill#${run}`;
}

export function runCounterKey(run: string, shard: number): string {
  return `backfill#${run}#${shard}`;
}

/** The counter shard an image's outcome (or a placeholder's, by its key) is added to: the lists' hash of it. */
export function runShardOf(seed: string): number {
  return shardOf(seed) % RUN_COUNTER_SHARDS;
}

/**
 * `backfill#start#<bucket>`: who is starting a run over `bucket` right now (start-lease.ts). Never a run's key: a
 * run id is a ULID, which has no `#`.
 */
export function startLeaseKey(bucket: string): string {
  return `backfill#start#${bucket}`;
}
