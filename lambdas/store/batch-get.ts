import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/*
 * Records of the results table read by key, many at once: BatchGetItem of up to 100 keys a request, projected, the
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

export async function batchGetImages(
  client: Pick<DynamoDBDocumentClient, 'send'>,
  tableName: string,
  imageIds: readonly string[],
  projection: Projection,
  rounds: number,
): Promise<Record<string, unknown>[]> {
  const found: Record<string, unknown>[] = [];
  for (let i = 0; i < imageIds.length; i += GET_BATCH) {
    let keys: Record<string, unknown>[] = imageIds.slice(i, i + GET_BATCH).map((imageId) => ({ imageId }));
    for (let round = 0; keys.length > 0 && round < rounds; round++) {
      if (round > 0) await sleep(Math.min(1000, 25 * 2 ** round));
      const response = await client.send(
        new BatchGetCommand({
          RequestItems: {
            [tableName]: {
              Keys: keys,
              ProjectionExpression: projection.expression,
              ExpressionAttributeNames: projection.names,
            },
          },
        }),
      );
      found.push(...(response?.Responses?.[tableName] ?? []));
      keys = (response?.UnprocessedKeys?.[tableName]?.Keys ?? []) as Record<string, unknown>[];
    }
  }
  return found;
}
