import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import {
  CreateArchiveCommand,
  CreateEventBusCommand,
  EventBridgeClient,
  PutRuleCommand,
  PutTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import { CreateBucketCommand, PutBucketNotificationConfigurationCommand, S3Client } from '@aws-sdk/client-s3';
import {
  CreateSecretCommand,
  DescribeSecretCommand,
  PutSecretValueCommand,
  ResourceExistsException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { parseDeploymentSettings } from '../../../lambdas/settings';
import 'aws-sdk-client-mock-jest';
import { provision, provisionSigningSecret } from '../../../lambdas/local/resources';
import { declaredFor } from '../../../lambdas/manifest/resources';
import { parseSigningKeySet } from '../../../lambdas/renditions/signing-keys';
import { SEARCH_TABLE_DESIGN } from '../../../lambdas/search/postings-design';
import { TABLE_DESIGN } from '../../../lambdas/store/table-design';
import { TRASH_QUEUE } from '../../../lambdas/trash/functions/purge-trash/contract';

const clients = {
  s3: new S3Client({ region: 'us-east-1' }),
  sqs: new SQSClient({ region: 'us-east-1' }),
  dynamodb: new DynamoDBClient({ region: 'us-east-1' }),
  events: new EventBridgeClient({ region: 'us-east-1' }),
};
const s3 = mockClient(clients.s3);
const sqs = mockClient(clients.sqs);
const dynamodb = mockClient(clients.dynamodb);
const events = mockClient(clients.events);

beforeEach(() => {
  for (const mock of [s3, sqs, dynamodb, events]) mock.reset();
  s3.on(CreateBucketCommand).resolves({}).on(PutBucketNotificationConfigurationCommand).resolves({});
  sqs
    .on(CreateQueueCommand)
    .callsFake(({ QueueName }: { QueueName: string }) => ({ QueueUrl: `http://sqs.local/${QueueName}` }))
    .on(GetQueueAttributesCommand)
    .callsFake(({ QueueUrl }: { QueueUrl: string }) => ({
      Attributes: { QueueArn: `arn:aws:sqs:us-east-1:0:${QueueUrl.split('/').pop()}` },
    }));
  dynamodb
    .on(CreateTableCommand)
    .resolves({})
    .on(DescribeTableCommand)
    .resolves({ Table: { TableStatus: 'ACTIVE' } })
    .on(UpdateTimeToLiveCommand)
    .resolves({});
  events
    .on(CreateEventBusCommand)
    .resolves({ EventBusArn: 'arn:aws:events:us-east-1:0:event-bus/run-events' })
    .on(CreateArchiveCommand)
    .resolves({})
    .on(PutRuleCommand)
    .resolves({})
    .on(PutTargetsCommand)
    .resolves({});
});

/** Webhooks and face grouping off: the tables and queues every deployment has. */
const options = {
  prefix: 'run',
  settings: parseDeploymentSettings({ webhooks: 'false', faceGrouping: 'false' }),
  visibilityTimeoutSeconds: { ingest: 60 },
};

describe('provision', () => {
  it('creates the search table with the keys of SEARCH_TABLE_DESIGN, on demand, with no index', async () => {
    const resources = await provision(clients, options);
    expect(resources.tables.search).toBe('run-search');
    expect(dynamodb).toHaveReceivedCommandWith(CreateTableCommand, {
      TableName: 'run-search',
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: SEARCH_TABLE_DESIGN.partitionKey, AttributeType: 'S' },
        { AttributeName: SEARCH_TABLE_DESIGN.sortKey, AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'term', KeyType: 'HASH' },
        { AttributeName: 'imageId', KeyType: 'RANGE' },
      ],
    });
    const search = dynamodb
      .commandCalls(CreateTableCommand)
      .find((call) => call.args[0].input.TableName === 'run-search');
    expect(search?.args[0].input).not.toHaveProperty('GlobalSecondaryIndexes');
  });

  it('keeps the results table apart from the search and policies tables, with its own key and TTL', async () => {
    const resources = await provision(clients, options);
    expect(resources.tables.images).toBe('run-images');
    expect(resources.tables.images).not.toBe(resources.tables.search);
    // Every declared table of the settings, no more (the policies keyed by owner alone).
    expect(dynamodb).toHaveReceivedCommandTimes(CreateTableCommand, declaredFor(options.settings).tables.length);
    expect(dynamodb).toHaveReceivedCommandWith(CreateTableCommand, {
      TableName: 'run-policies',
      KeySchema: [{ AttributeName: 'owner', KeyType: 'HASH' }],
    });
    expect(dynamodb).toHaveReceivedCommandWith(CreateTableCommand, {
      TableName: 'run-images',
      KeySchema: [{ AttributeName: TABLE_DESIGN.partitionKey, KeyType: 'HASH' }],
    });
    // TTL where a table declares it: the results table's (abandoned uploads) and the share links' (ended links,
    // wrong-password counters); postings are deleted with their image.
    expect(dynamodb).toHaveReceivedCommandTimes(UpdateTimeToLiveCommand, 2);
    expect(dynamodb).toHaveReceivedCommandWith(UpdateTimeToLiveCommand, { TableName: 'run-images' });
    expect(dynamodb).toHaveReceivedCommandWith(UpdateTimeToLiveCommand, {
      TableName: 'run-shares',
      TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true },
    });
  });

  it('uses a search table that already exists (a second run on the same emulator)', async () => {
    dynamodb.on(CreateTableCommand).rejects(new ResourceInUseException({ message: 'exists', $metadata: {} }));
    await expect(provision(clients, options)).resolves.toMatchObject({ tables: { search: 'run-search' } });
    expect(dynamodb).toHaveReceivedCommandWith(DescribeTableCommand, { TableName: 'run-search' });
  });
});

describe('provision, from the declared resources', () => {
  it("makes a feature's table and queue only with it on, and the wiring its functions read from them", async () => {
    const off = await provision(clients, options);
    const names = (declarations: readonly { name: string }[]) => declarations.map(({ name }) => name).sort();
    expect(Object.keys(off.tables).sort()).toEqual(names(declaredFor(options.settings).tables));
    expect(Object.keys(off.queues).sort()).toEqual(names(declaredFor(options.settings).queues));
    expect(Object.keys(off.tables)).not.toContain('webhooks');
    expect(off.wiring).not.toHaveProperty('webhooks');
    expect(off.wiring).not.toHaveProperty('people');

    const on = await provision(clients, {
      ...options,
      settings: parseDeploymentSettings({ webhooks: 'true', faceGrouping: 'true' }),
    });
    expect(Object.keys(on.tables)).toEqual(expect.arrayContaining(['people', 'webhooks']));
    expect(Object.keys(on.queues)).toContain('webhooks');
    // The webhooks' table and queue each give their part of one wiring object.
    expect(on.wiring.webhooks).toEqual({ tableName: 'run-webhooks', queueUrl: on.queues.webhooks?.url });
    expect(on.wiring).toMatchObject({
      tableName: 'run-images',
      searchTableName: 'run-search',
      policyTableName: 'run-policies',
      people: { tableName: 'run-people' },
      ingestQueueUrl: on.queues.ingest?.url,
      trashQueueUrl: on.queues.trash?.url,
      webhookQueueUrl: on.queues.webhooks?.url,
    });
    expect(on.outputs).toMatchObject({ TableName: 'run-images', PeopleTableName: 'run-people' });
  });

  it('gives each queue its declared visibility timeout, or the one it is told, and its DLQ the declared redrive', async () => {
    await provision(clients, options);
    const created = (name: string) =>
      sqs.commandCalls(CreateQueueCommand).find((call) => call.args[0].input.QueueName === name)?.args[0].input;
    expect(created('run-ingest')?.Attributes?.VisibilityTimeout).toBe('60');
    expect(created('run-trash')?.Attributes?.VisibilityTimeout).toBe(
      String(TRASH_QUEUE.consumer.visibilityTimeoutSeconds(options.settings)),
    );
    expect(JSON.parse(created('run-trash')?.Attributes?.RedrivePolicy ?? '{}')).toMatchObject({
      maxReceiveCount: TRASH_QUEUE.redrive.maxReceiveCount,
    });
  });
});

describe('provisionSigningSecret', () => {
  const client = new SecretsManagerClient({ region: 'us-east-1' });
  const secrets = mockClient(client);
  const ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:run-rendition-signing-AbCdEf';
  beforeEach(() => secrets.reset());

  /** The value the runner stored, as Secrets Manager would hand it to a function. */
  const storedValue = () => secrets.commandCalls(CreateSecretCommand)[0]?.args[0].input.SecretString as string;

  it('creates the secret as the stack generates it: 64 letters and digits, read as the one key `initial`', async () => {
    secrets.on(CreateSecretCommand).resolves({ ARN, Name: 'run-rendition-signing' });
    expect(await provisionSigningSecret(client, 'run')).toEqual({
      name: 'run-rendition-signing',
      arn: ARN,
    });
    const value = JSON.parse(storedValue());
    expect(value).toEqual({ secret: expect.stringMatching(/^[A-Za-z0-9]{64}$/) });
    expect(parseSigningKeySet(storedValue()).keys).toEqual([
      { id: 'initial', secret: value.secret, created: new Date(0).toISOString() },
    ]);
  });

  it('makes a new value for every new secret', async () => {
    secrets.on(CreateSecretCommand).resolves({ ARN });
    await provisionSigningSecret(client, 'run');
    await provisionSigningSecret(client, 'other');
    const [first, second] = secrets.commandCalls(CreateSecretCommand).map((call) => call.args[0].input.SecretString);
    expect(first).not.toBe(second);
  });

  it('keeps an existing secret and its value (a second run on the same prefix), so older URLs still verify', async () => {
    secrets
      .on(CreateSecretCommand)
      .rejects(new ResourceExistsException({ message: 'the secret already exists', $metadata: {} }))
      .on(DescribeSecretCommand, { SecretId: 'run-rendition-signing' })
      .resolves({ ARN, Name: 'run-rendition-signing' });
    expect(await provisionSigningSecret(client, 'run')).toEqual({
      name: 'run-rendition-signing',
      arn: ARN,
    });
    expect(secrets).not.toHaveReceivedCommand(PutSecretValueCommand);
  });

  it('fails on any other error', async () => {
    secrets.on(CreateSecretCommand).rejects(new Error('AccessDeniedException'));
    await expect(provisionSigningSecret(client, 'run')).rejects.toThrow('AccessDeniedException');
  });
});
