import { randomInt } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  CreateArchiveCommand,
  CreateEventBusCommand,
  type EventBridgeClient,
  PutRuleCommand,
  PutTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import {
  CreateBucketCommand,
  PutBucketCorsCommand,
  PutBucketNotificationConfigurationCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { CreateSecretCommand, DescribeSecretCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { PutParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { EVENT_SOURCE } from '../events/vocabulary';
import { INGEST_QUEUE_DESIGN } from '../ingest/functions/processor/contract';
import type { MeaningWiring } from '../search/meaning/contract';
import { UPLOAD_PREFIX } from '../store/keys';
import { TRASH_QUEUE_DESIGN } from '../trash/functions/purge-trash/contract';
import { WEBHOOK_QUEUE_DESIGN } from '../webhooks/functions/deliver-webhooks/contract';
import type { WebhooksWiring } from '../webhooks/wiring';
import {
  createPeopleTable,
  createPolicyTable,
  createSearchTable,
  createTable,
  createWebhooksTable,
  ignoreExisting,
} from './tables';

export interface Clients {
  s3: S3Client;
  sqs: SQSClient;
  dynamodb: DynamoDBClient;
  events: EventBridgeClient;
}

/** Everything the runner created, by name and address. */
export interface PipelineResources {
  bucket: string;
  table: string;
  /** The search index (SEARCH_TABLE_DESIGN). */
  searchTable: string;
  /** The owners' moderation policies (POLICY_TABLE_DESIGN). */
  policyTable: string;
  /** The people table (PEOPLE_TABLE_DESIGN), with `faceGrouping` on. */
  peopleTable?: string;
  /** Search by meaning's vector index and model, with `--embeddings` (meaning.ts). */
  meaning?: MeaningWiring;
  /** The webhooks table and queue (with its ARN and DLQ), with `webhooks` on. */
  webhooks?: WebhooksWiring & { queueArn: string; dlqUrl: string };
  /** The trash queue (its sweeps, pages and purges) and its DLQ. */
  trash: { queueUrl: string; queueArn: string; dlqUrl: string };
  queueUrl: string;
  queueArn: string;
  dlqUrl: string;
  eventBus: string;
  archive: string;
  /** An example subscriber: a rule delivering every pipeline event to this queue. */
  subscriberQueueUrl: string;
  subscriberRule: string;
}

export interface ProvisionOptions {
  /** Prefix of every name, so several runs can share one emulator. */
  prefix: string;
  /** Visibility timeout of the ingest queue (the stack uses 6x the processor timeout). */
  visibilityTimeoutSeconds: number;
  corsOrigins?: string[];
  /** Create the people table, as the stack does with `faceGrouping` on. */
  faceGrouping?: boolean;
  /** With `webhooks` on: the table, and the queue with this visibility timeout (the stack's: 6 x the function's). */
  webhooks?: { visibilityTimeoutSeconds: number };
}

/**
 * Create the resources the CDK stack defines, from the same design constants (table keys and indexes, queue
 * redrive, notification prefix, event source), so the runner cannot drift from the stack. Safe to run twice.
 */
export async function provision(clients: Clients, options: ProvisionOptions): Promise<PipelineResources> {
  const { prefix } = options;
  const bucket = `${prefix}-images`.toLowerCase();
  const table = `${prefix}-images`;
  const searchTable = `${prefix}-search`;
  const policyTable = `${prefix}-policies`;
  const eventBus = `${prefix}-events`;

  const { queue, dlq } = await createQueueWithDlq(
    clients.sqs,
    `${prefix}-ingest`,
    INGEST_QUEUE_DESIGN,
    options.visibilityTimeoutSeconds,
  );

  await ignoreExisting(clients.s3.send(new CreateBucketCommand({ Bucket: bucket })), ['BucketAlreadyOwnedByYou']);
  if (options.corsOrigins?.length) {
    await clients.s3.send(
      new PutBucketCorsCommand({
        Bucket: bucket,
        CORSConfiguration: {
          CORSRules: [{ AllowedMethods: ['POST', 'GET'], AllowedOrigins: options.corsOrigins, AllowedHeaders: ['*'] }],
        },
      }),
    );
  }
  await clients.s3.send(
    new PutBucketNotificationConfigurationCommand({
      Bucket: bucket,
      NotificationConfiguration: {
        QueueConfigurations: [
          {
            QueueArn: queue.arn,
            Events: ['s3:ObjectCreated:*'],
            Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: UPLOAD_PREFIX }] } },
          },
        ],
      },
    }),
  );

  await createTable(clients.dynamodb, table);
  await createSearchTable(clients.dynamodb, searchTable);
  await createPolicyTable(clients.dynamodb, policyTable);
  const peopleTable = options.faceGrouping ? `${prefix}-people` : undefined;
  if (peopleTable) await createPeopleTable(clients.dynamodb, peopleTable);
  const webhooks = options.webhooks && (await provisionWebhooks(clients, prefix, options.webhooks));
  const trash = await createQueueWithDlq(
    clients.sqs,
    `${prefix}-trash`,
    TRASH_QUEUE_DESIGN,
    TRASH_QUEUE_DESIGN.visibilityTimeoutFactor * TRASH_QUEUE_DESIGN.timeoutSeconds,
  );

  const busArn = await ignoreExisting(
    clients.events.send(new CreateEventBusCommand({ Name: eventBus })).then((out) => out.EventBusArn),
    ['ResourceAlreadyExistsException'],
  );
  const pattern = JSON.stringify({ source: [EVENT_SOURCE] });
  const archive = `${prefix}-archive`.slice(0, 48);
  if (busArn) {
    await ignoreExisting(
      clients.events.send(
        new CreateArchiveCommand({
          ArchiveName: archive,
          EventSourceArn: busArn,
          EventPattern: pattern,
          RetentionDays: 90,
        }),
      ),
      ['ResourceAlreadyExistsException'],
    );
  }
  const subscriber = await createQueue(clients.sqs, `${prefix}-subscriber`, {});
  const subscriberRule = `${prefix}-all-events`;
  await clients.events.send(
    new PutRuleCommand({ Name: subscriberRule, EventBusName: eventBus, EventPattern: pattern }),
  );
  await clients.events.send(
    new PutTargetsCommand({
      Rule: subscriberRule,
      EventBusName: eventBus,
      Targets: [{ Id: 'subscriber-queue', Arn: subscriber.arn }],
    }),
  );

  return {
    bucket,
    table,
    searchTable,
    policyTable,
    ...(peopleTable && { peopleTable }),
    ...(webhooks && { webhooks }),
    trash: { queueUrl: trash.queue.url, queueArn: trash.queue.arn, dlqUrl: trash.dlq.url },
    queueUrl: queue.url,
    queueArn: queue.arn,
    dlqUrl: dlq.url,
    eventBus,
    archive,
    subscriberQueueUrl: subscriber.url,
    subscriberRule,
  };
}

/** The webhooks table, and its queue with the stack's redrive (WEBHOOK_QUEUE_DESIGN). */
async function provisionWebhooks(clients: Clients, prefix: string, options: { visibilityTimeoutSeconds: number }) {
  const tableName = `${prefix}-webhooks`;
  await createWebhooksTable(clients.dynamodb, tableName);
  const { queue, dlq } = await createQueueWithDlq(
    clients.sqs,
    `${prefix}-webhooks`,
    WEBHOOK_QUEUE_DESIGN,
    options.visibilityTimeoutSeconds,
  );
  return { tableName, queueUrl: queue.url, queueArn: queue.arn, dlqUrl: dlq.url };
}

/** A queue and its DLQ (`<name>-dlq`) with a design's redrive and retention, as the stack makes each. */
async function createQueueWithDlq(
  sqs: SQSClient,
  name: string,
  design: { maxReceiveCount: number; dlqRetentionDays: number },
  visibilityTimeoutSeconds: number,
) {
  const dlq = await createQueue(sqs, `${name}-dlq`, {
    MessageRetentionPeriod: String(design.dlqRetentionDays * 24 * 3600),
  });
  const queue = await createQueue(sqs, name, {
    VisibilityTimeout: String(visibilityTimeoutSeconds),
    RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: design.maxReceiveCount }),
  });
  return { queue, dlq };
}

/** Create (or find) a queue and return its URL and ARN. */
export async function createQueue(
  sqs: SQSClient,
  name: string,
  attributes: Record<string, string>,
): Promise<{ url: string; arn: string }> {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  if (!QueueUrl) throw new Error(`creating queue ${name} returned no URL`);
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  const arn = Attributes?.QueueArn;
  if (!arn) throw new Error(`queue ${name} has no ARN`);
  return { url: QueueUrl, arn };
}

export interface SigningSecret {
  name: string;
  arn: string;
}

export function signingSecretName(prefix: string): string {
  return `${prefix}-rendition-signing`;
}

/** Letters and digits, as Secrets Manager generates them with `excludePunctuation`. */
const SECRET_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const SECRET_CHARS = 64;

/**
 * The secret rendition URLs are signed with, made as the stack's is: Secrets Manager generates
 * `{"secret":"<64 letters and digits>"}` (here the runner does, as moto's CreateSecret cannot), read as the key
 * `initial` (renditions/signing-keys.ts). An existing one is kept with its value, so URLs a previous run on the same prefix
 * signed still verify.
 */
export async function provisionSigningSecret(secrets: SecretsManagerClient, prefix: string): Promise<SigningSecret> {
  const name = signingSecretName(prefix);
  const secret = Array.from({ length: SECRET_CHARS }, () => SECRET_ALPHABET[randomInt(SECRET_ALPHABET.length)]).join(
    '',
  );
  try {
    const created = await secrets.send(
      new CreateSecretCommand({
        Name: name,
        Description: 'image-intel local runner: the keys rendition URLs are signed with',
        SecretString: JSON.stringify({ secret }),
      }),
    );
    if (!created.ARN) throw new Error(`creating secret ${name} returned no ARN`);
    return { name, arn: created.ARN };
  } catch (error) {
    if ((error as Error).name !== 'ResourceExistsException') throw error;
    const existing = await secrets.send(new DescribeSecretCommand({ SecretId: name }));
    if (!existing.ARN) throw new Error(`secret ${name} has no ARN`);
    return { name, arn: existing.ARN };
  }
}

/**
 * With `auth=apikey`, the API clients' directory in an SSM parameter, as the stack writes it (ApiAuth): the functions
 * read it from there. Returns the parameter's name, or '' without clients.
 */
export async function provisionApiClients(ssm: SSMClient, prefix: string, directory: object): Promise<string> {
  if (Object.keys(directory).length === 0) return '';
  // No leading slash, as CloudFormation names the stack's: the role's grant is `parameter/<name>`.
  const name = `${prefix}-api-clients`;
  await ssm.send(
    new PutParameterCommand({ Name: name, Type: 'String', Value: JSON.stringify(directory), Overwrite: true }),
  );
  return name;
}
