import { BatchWriteCommand, type BatchWriteCommandInput, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import pLimit from 'p-limit';

/*
 * Items put and deleted many at once (an image's postings, a deleted album's members): BatchWriteItem of up to 25
 * requests a call, the requests DynamoDB leaves unprocessed (throttling) sent again with a growing wait for a few
 * rounds. A request still unprocessed after them fails the write with the caller's error, and no batch starts after
 * that: puts and deletes repeat safely, so the caller's retry (its message's) writes it all again.
 */

/** BatchWriteItem takes 25 requests a call. */
const WRITE_BATCH = 25;
const timer = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** One put or delete of a BatchWriteItem. */
export type WriteRequest = NonNullable<BatchWriteCommandInput['RequestItems']>[string][number];

/** How `batchWrite` retries, fails and spreads its batches. */
export interface BatchWriteAsked {
  /** Calls a batch of 25 may take, the first one included, before what is left unprocessed fails the write. */
  rounds: number;
  /** The error of a batch that still has `left` requests unprocessed after the rounds. */
  leftOver: (left: number) => Error;
  /** @default 1 - one batch after another */
  parallel?: number;
  /** How a round waits. @default - a timer */
  sleep?: (ms: number) => Promise<void>;
}

/** Write these requests in batches of 25, each batch's unprocessed requests sent again for `rounds` calls in all. */
export async function batchWrite(
  client: Pick<DynamoDBDocumentClient, 'send'>,
  tableName: string,
  requests: readonly WriteRequest[],
  { rounds, leftOver, parallel = 1, sleep = timer }: BatchWriteAsked,
): Promise<void> {
  let failed = false;
  const writeBatch = async (batch: WriteRequest[]) => {
    let pending = batch;
    for (let round = 0; pending.length > 0 && round < rounds; round++) {
      if (round > 0) await sleep(Math.min(1000, 25 * 2 ** round));
      const { UnprocessedItems } = await client.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
      pending = UnprocessedItems?.[tableName] ?? [];
    }
    if (pending.length > 0) throw leftOver(pending.length);
  };
  const limit = pLimit(parallel);
  const batches: Promise<void>[] = [];
  for (let i = 0; i < requests.length; i += WRITE_BATCH) {
    const batch = requests.slice(i, i + WRITE_BATCH);
    batches.push(
      limit(async () => {
        if (failed) return;
        await writeBatch(batch).catch((error: unknown) => {
          failed = true;
          throw error;
        });
      }),
    );
  }
  await Promise.all(batches);
}
