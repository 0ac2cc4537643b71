import {
  type AttributeDefinition,
  CreateTableCommand,
  type DynamoDBClient,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import type { TableDesign } from '../settings/resources';
import { KEY_ATTRIBUTE_TYPE } from '../store/table-design';

/**
 * A declared table (lambdas/manifest/resources.ts) in the emulator, from the same design the stack's construct
 * reads: its keys, indexes and TTL, so the emulator's keys and indexes are the deployed ones. Safe to run twice.
 */
export async function createDeclaredTable(dynamodb: DynamoDBClient, table: string, design: TableDesign): Promise<void> {
  const indexes = Object.values(design.indexes ?? {});
  const keys = [design.partitionKey, ...(design.sortKey ? [design.sortKey] : [])];
  const attributes = [...new Set([...keys, ...indexes.flatMap((index) => [index.partitionKey, index.sortKey])])];
  const definitions: AttributeDefinition[] = attributes.map((name) => ({
    AttributeName: name,
    AttributeType: KEY_ATTRIBUTE_TYPE,
  }));
  try {
    await dynamodb.send(
      new CreateTableCommand({
        TableName: table,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: definitions,
        KeySchema: keys.map((name, at) => ({ AttributeName: name, KeyType: at === 0 ? 'HASH' : 'RANGE' })),
        ...(indexes.length > 0 && {
          GlobalSecondaryIndexes: indexes.map((index) => ({
            IndexName: index.indexName,
            KeySchema: [
              { AttributeName: index.partitionKey, KeyType: 'HASH' },
              { AttributeName: index.sortKey, KeyType: 'RANGE' },
            ],
            Projection: index.nonKeyAttributes
              ? { ProjectionType: index.projection, NonKeyAttributes: [...index.nonKeyAttributes] }
              : { ProjectionType: index.projection },
          })),
        }),
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  await waitUntilTableExists({ client: dynamodb, maxWaitTime: 30 }, { TableName: table });
  if (design.timeToLiveAttribute) await enableTimeToLive(dynamodb, table, design.timeToLiveAttribute);
}

/** Turn a table's TTL on for this attribute. */
async function enableTimeToLive(dynamodb: DynamoDBClient, table: string, attribute: string): Promise<void> {
  await dynamodb
    .send(
      new UpdateTimeToLiveCommand({
        TableName: table,
        TimeToLiveSpecification: { AttributeName: attribute, Enabled: true },
      }),
    )
    .catch((error: Error) => {
      // Asking again once it is on is an error in DynamoDB; that is fine.
      if (!/already enabled/i.test(error.message)) throw error;
    });
}

/** The rendition signing secret of a run: its name and ARN (moto adds a random suffix to the ARN, as AWS does). */

/** A create that may find its resource already there (a runner restarted on the same emulator). */
export async function ignoreExisting<T>(promise: Promise<T>, names: string[]): Promise<T | undefined> {
  try {
    return await promise;
  } catch (error) {
    if (names.includes((error as Error).name)) return undefined;
    throw error;
  }
}
