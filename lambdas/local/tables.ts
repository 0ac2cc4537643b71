import {
  type AttributeDefinition,
  CreateTableCommand,
  type DynamoDBClient,
  type GlobalSecondaryIndex,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import { PEOPLE_TABLE_DESIGN } from '../people/table-design';
import { POLICY_TABLE_DESIGN } from '../policy/table-design';
import { SEARCH_TABLE_DESIGN } from '../search/postings-design';
import { KEY_ATTRIBUTE_TYPE, TABLE_DESIGN } from '../store/table-design';
import { WEBHOOKS_TABLE_DESIGN } from '../webhooks/table-design';

/*
 * The runner's tables (and the people table with `faceGrouping` on), made from the same designs the CDK constructs read (store/ and search/postings-design.ts), so the
 * emulator's keys and indexes are the deployed ones.
 */

/** The table with the keys, indexes and TTL of TABLE_DESIGN. */
export async function createTable(dynamodb: DynamoDBClient, table: string): Promise<void> {
  const indexes = Object.values(TABLE_DESIGN.indexes);
  const attributes = new Set<string>([TABLE_DESIGN.partitionKey]);
  for (const index of indexes) {
    attributes.add(index.partitionKey);
    attributes.add(index.sortKey);
  }
  const definitions: AttributeDefinition[] = [...attributes].map((name) => ({
    AttributeName: name,
    AttributeType: KEY_ATTRIBUTE_TYPE,
  }));
  const gsis: GlobalSecondaryIndex[] = indexes.map((index) => ({
    IndexName: index.indexName,
    KeySchema: [
      { AttributeName: index.partitionKey, KeyType: 'HASH' },
      { AttributeName: index.sortKey, KeyType: 'RANGE' },
    ],
    Projection:
      'nonKeyAttributes' in index
        ? { ProjectionType: index.projection, NonKeyAttributes: [...index.nonKeyAttributes] }
        : { ProjectionType: index.projection },
  }));
  try {
    await dynamodb.send(
      new CreateTableCommand({
        TableName: table,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: definitions,
        KeySchema: [{ AttributeName: TABLE_DESIGN.partitionKey, KeyType: 'HASH' }],
        GlobalSecondaryIndexes: gsis,
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  await waitUntilTableExists({ client: dynamodb, maxWaitTime: 30 }, { TableName: table });
  await enableTimeToLive(dynamodb, table, TABLE_DESIGN.timeToLiveAttribute);
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

/** The search index with the keys of SEARCH_TABLE_DESIGN; it has no index and no TTL. */
export async function createSearchTable(dynamodb: DynamoDBClient, table: string): Promise<void> {
  const { partitionKey, sortKey } = SEARCH_TABLE_DESIGN;
  try {
    await dynamodb.send(
      new CreateTableCommand({
        TableName: table,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: partitionKey, AttributeType: KEY_ATTRIBUTE_TYPE },
          { AttributeName: sortKey, AttributeType: KEY_ATTRIBUTE_TYPE },
        ],
        KeySchema: [
          { AttributeName: partitionKey, KeyType: 'HASH' },
          { AttributeName: sortKey, KeyType: 'RANGE' },
        ],
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  await waitUntilTableExists({ client: dynamodb, maxWaitTime: 30 }, { TableName: table });
}

/** The moderation policies table: the key of POLICY_TABLE_DESIGN, no index. */
export async function createPolicyTable(dynamodb: DynamoDBClient, table: string): Promise<void> {
  const { partitionKey } = POLICY_TABLE_DESIGN;
  try {
    await dynamodb.send(
      new CreateTableCommand({
        TableName: table,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: partitionKey, AttributeType: KEY_ATTRIBUTE_TYPE }],
        KeySchema: [{ AttributeName: partitionKey, KeyType: 'HASH' }],
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  await waitUntilTableExists({ client: dynamodb, maxWaitTime: 30 }, { TableName: table });
}

/** The people table with the keys and index of PEOPLE_TABLE_DESIGN (docs/people.md); no TTL. */
export async function createPeopleTable(dynamodb: DynamoDBClient, table: string): Promise<void> {
  const { partitionKey, sortKey, indexes } = PEOPLE_TABLE_DESIGN;
  const gsis = Object.values(indexes);
  const attributes = new Set<string>([
    partitionKey,
    sortKey,
    ...gsis.flatMap((index) => [index.partitionKey, index.sortKey]),
  ]);
  try {
    await dynamodb.send(
      new CreateTableCommand({
        TableName: table,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [...attributes].map((name) => ({
          AttributeName: name,
          AttributeType: KEY_ATTRIBUTE_TYPE,
        })),
        KeySchema: [
          { AttributeName: partitionKey, KeyType: 'HASH' },
          { AttributeName: sortKey, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: gsis.map((index) => ({
          IndexName: index.indexName,
          KeySchema: [
            { AttributeName: index.partitionKey, KeyType: 'HASH' },
            { AttributeName: index.sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: index.projection, NonKeyAttributes: [...index.nonKeyAttributes] },
        })),
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  await waitUntilTableExists({ client: dynamodb, maxWaitTime: 30 }, { TableName: table });
}

/** The webhooks table with the keys, index and TTL of WEBHOOKS_TABLE_DESIGN (docs/webhooks.md). */
export async function createWebhooksTable(dynamodb: DynamoDBClient, table: string): Promise<void> {
  const { partitionKey, sortKey, indexes, timeToLiveAttribute } = WEBHOOKS_TABLE_DESIGN;
  const attributes = [
    ...new Set([
      partitionKey,
      sortKey,
      ...Object.values(indexes).flatMap((index) => [index.partitionKey, index.sortKey]),
    ]),
  ];
  try {
    await dynamodb.send(
      new CreateTableCommand({
        TableName: table,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: attributes.map((name) => ({ AttributeName: name, AttributeType: KEY_ATTRIBUTE_TYPE })),
        KeySchema: [
          { AttributeName: partitionKey, KeyType: 'HASH' },
          { AttributeName: sortKey, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: Object.values(indexes).map((index) => ({
          IndexName: index.indexName,
          KeySchema: [
            { AttributeName: index.partitionKey, KeyType: 'HASH' },
            { AttributeName: index.sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: index.projection },
        })),
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  await waitUntilTableExists({ client: dynamodb, maxWaitTime: 30 }, { TableName: table });
  await enableTimeToLive(dynamodb, table, timeToLiveAttribute);
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
