import {
  type DynamoDBDocumentClient,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';

/**
 * DynamoDB transactions as the routes answer them: a transaction cancelled only because another held one of its
 * items at that moment (`TransactionConflict`: concurrent writes to one counter, on AWS) is tried again a few times
 * and then a 409, never a 500.
 */

/** Tries of a transaction that others' transactions keep cancelling before the caller is told to try again. */
export const TRANSACT_ATTEMPTS = 4;

/** The codes of a cancelled transaction's reasons, by item; undefined for any other error. */
export function cancellationReasons(error: unknown): string[] | undefined {
  if (!(error instanceof Error) || error.name !== 'TransactionCanceledException') return undefined;
  const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons;
  if (reasons) return reasons.map((reason) => reason.Code ?? 'None');
  // Some emulators give the reasons in the message only.
  return [...error.message.matchAll(/ConditionalCheckFailed|TransactionConflict/g)].map(([code]) => code);
}

/** Cancelled by other transactions alone: no condition of its own failed, so the same write may pass next time. */
export function conflictOnly(reasons: readonly string[]): boolean {
  return reasons.includes('TransactionConflict') && !reasons.includes('ConditionalCheckFailed');
}

/**
 * Run `work` (a write that may be a transaction) until it is not cancelled by a conflict alone, at most
 * TRANSACT_ATTEMPTS times with a short random wait between; the last conflict is thrown as `conflicted()` makes it.
 */
export async function retryingConflicts<T>(work: () => Promise<T>, conflicted: () => Error): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      const reasons = cancellationReasons(error);
      if (!reasons || !conflictOnly(reasons)) throw error;
      if (attempt >= TRANSACT_ATTEMPTS) throw conflicted();
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 25 * 2 ** attempt));
    }
  }
}

/**
 * Run a transaction: undefined when written, else the codes of its cancellation's reasons, by item. One cancelled by
 * conflicts alone is tried again (retryingConflicts); one so cancelled at every try answers `['TransactionConflict']`.
 * Any other error is thrown.
 */
export async function transactReasons(
  dynamo: Pick<DynamoDBDocumentClient, 'send'>,
  input: TransactWriteCommandInput,
): Promise<string[] | undefined> {
  const conflicted = new Error('cancelled by conflicts at every try');
  try {
    await retryingConflicts(
      () => dynamo.send(new TransactWriteCommand(input)),
      () => conflicted,
    );
    return undefined;
  } catch (error) {
    if (error === conflicted) return ['TransactionConflict'];
    const reasons = cancellationReasons(error);
    if (!reasons) throw error;
    return reasons;
  }
}

/** What `putWithinCount` did: put the item, found the owner at the limit, or lost to other writes at every try. */
export type CountedPut = 'put' | 'limit' | 'conflict';

export interface CountedPutInput {
  readonly tableName: string;
  /** The key of the owner's count: an item of its own per owner, so no partition is every owner's. */
  readonly countKey: Record<string, string>;
  /** The count's attribute, such as `albums`. */
  readonly counter: string;
  readonly limit: number;
  /** The new item, keys included: put only if no item has its `pk`. */
  readonly item: Record<string, unknown>;
}

/**
 * Put an owner's new item (an album, a webhook endpoint) in one transaction with the owner's count raised by one while
 * under `limit`, so the count stays exact and the limit holds under concurrent creates.
 */
export async function putWithinCount(
  dynamo: Pick<DynamoDBDocumentClient, 'send'>,
  { tableName, countKey, counter, limit, item }: CountedPutInput,
): Promise<CountedPut> {
  const reasons = await transactReasons(dynamo, {
    TransactItems: [
      {
        Update: {
          TableName: tableName,
          Key: countKey,
          UpdateExpression: 'ADD #count :one',
          ConditionExpression: 'attribute_not_exists(#count) OR #count < :limit',
          ExpressionAttributeNames: { '#count': counter },
          ExpressionAttributeValues: { ':one': 1, ':limit': limit },
        },
      },
      { Put: { TableName: tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' } },
    ],
  });
  if (!reasons) return 'put';
  return reasons[0] === 'ConditionalCheckFailed' ? 'limit' : 'conflict';
}

/** What `deleteCounted` did: deleted the item, found it gone, or lost to other writes at every try. */
export type CountedDelete = 'deleted' | 'missing' | 'conflict';

export interface CountedDeleteInput {
  readonly tableName: string;
  /** The item's key: deleted only if it exists. */
  readonly key: Record<string, string>;
  /** The key of its owner's count (as `putWithinCount` raised it). */
  readonly countKey: Record<string, string>;
  /** The count's attribute, such as `albums`. */
  readonly counter: string;
}

/**
 * Delete an owner's item (an album, a webhook endpoint) in one transaction with the owner's count lowered by one, the
 * undoing of `putWithinCount`: of concurrent deletes one counts it off, the others find it `missing`.
 */
export async function deleteCounted(
  dynamo: Pick<DynamoDBDocumentClient, 'send'>,
  { tableName, key, countKey, counter }: CountedDeleteInput,
): Promise<CountedDelete> {
  const reasons = await transactReasons(dynamo, {
    TransactItems: [
      { Delete: { TableName: tableName, Key: key, ConditionExpression: 'attribute_exists(pk)' } },
      {
        Update: {
          TableName: tableName,
          Key: countKey,
          UpdateExpression: 'ADD #count :minus',
          ExpressionAttributeNames: { '#count': counter },
          ExpressionAttributeValues: { ':minus': -1 },
        },
      },
    ],
  });
  if (!reasons) return 'deleted';
  return reasons[0] === 'ConditionalCheckFailed' ? 'missing' : 'conflict';
}
