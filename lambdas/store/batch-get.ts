import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/*
 * Items read by key, many at once (the results table's records, an album's members): BatchGetItem of up to 100 keys a request, projected, the
 * keys DynamoDB leaves unprocessed (throttling) asked again with a growing wait for a few rounds. A key still
 * unprocessed after them is left out: a page with fewer details beats no page. A record that is gone is left out too.
 */

/** BatchGetItem takes 100 keys a call: a list page at most. */
const GET_BATCH = 100;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface Projection {
  /** `ProjectionExpression`. */
  expression: string;
  /** `ExpressionAttributeNames`. */
  names: Record<string, string>;
}

/** What `batchGetKeys` reads besides the keys. */
export interface BatchGetAsked {
  /** @default - every attribute */
  projection?: Projection;
  /** @default false - eventually consistent */
  consistent?: boolean;
  /** Rounds for the keys DynamoDB leaves unprocessed. */
  rounds: number;
}

/** The items of these keys that exist, and the keys still unprocessed after the rounds (the caller says what that means). */
export async function batchGetKeys(
  client: Pick<DynamoDBDocumentClient, 'send'>,
  tableName: string,
  keys: readonly Record<string, unknown>[],
  { projection, consistent, rounds }: BatchGetAsked,
): Promise<{ found: Record<string, unknown>[]; unprocessed: Record<string, unknown>[] }> {
  const found: Record<string, unknown>[] = [];
  const unprocessed: Record<string, unknown>[] = [];
  for (let i = 0; i < keys.length; i += GET_BATCH) {
    let asked = keys.slice(i, i + GET_BATCH);
    for (let round = 0; asked.length > 0 && round < rounds; round++) {
      if (round > 0) await sleep(Math.min(1000, 25 * 2 ** round));
      const response = await client.send(
        new BatchGetCommand({
          RequestItems: {
            [tableName]: {
              Keys: [...asked],
              ...(projection && {
                ProjectionExpression: projection.expression,
                ExpressionAttributeNames: projection.names,
              }),
              ...(consistent && { ConsistentRead: true }),
            },
          },
        }),
      );
      found.push(...(response?.Responses?.[tableName] ?? []));
      asked = (response?.UnprocessedKeys?.[tableName]?.Keys ?? []) as Record<string, unknown>[];
    }
    unprocessed.push(...asked);
  }
  return { found, unprocessed };
}

/** Image records by id, projected; a record still unprocessed after the rounds is left out. */
export async function batchGetImages(
  client: Pick<DynamoDBDocumentClient, 'send'>,
  tableName: string,
  imageIds: readonly string[],
  projection: Projection,
  rounds: number,
): Promise<Record<string, unknown>[]> {
  const keys = imageIds.map((imageId) => ({ imageId }));
  return (await batchGetKeys(client, tableName, keys, { projection, rounds })).found;
}
