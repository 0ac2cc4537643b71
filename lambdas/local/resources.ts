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
import { INGEST_QUEUE } from '../ingest/functions/processor/contract';
import { declaredFor } from '../manifest/resources';
import type { DeploymentSettings } from '../settings';
import { mergeWiring, type QueueDeclaration, type WiringPart } from '../settings/resources';
import { UPLOAD_PREFIX } from '../store/keys';
import { createDeclaredTable, ignoreExisting } from './tables';

export interface Clients {
  s3: S3Client;
  sqs: SQSClient;
  dynamodb: DynamoDBClient;
  events: EventBridgeClient;
}

/** A declared queue as the runner made it. */
export interface LocalQueue {
  url: string;
  arn: string;
  dlqUrl: string;
}

/** Everything the runner created, by name and address. */
export interface PipelineResources {
  bucket: string;
  /** Every table the settings declare (lambdas/manifest/resources.ts), by its declaration's name. */
  tables: Record<string, string>;
  /** Every queue the settings declare, by its declaration's name. */
  queues: Record<string, LocalQueue>;
  /** The functions' wiring as the declared tables and queues make it (each declaration's part). */
  wiring: Record<string, unknown>;
  /** The stack outputs the declared tables and queues name, by output key. */
  outputs: Record<string, string>;
  eventBus: string;
  archive: string;
  /** An example subscriber: a rule delivering every pipeline event to this queue. */
  subscriberQueueUrl: string;
  subscriberRule: string;
}

export interface ProvisionOptions {
  /** Prefix of every name, so several runs can share one emulator. */
  prefix: string;
  /** Which resources exist (some only with their feature on), and the queues' visibility timeouts. */
  settings: DeploymentSettings;
  /** A visibility timeout other than the declared one, by queue name (a test's short retries). */
  visibilityTimeoutSeconds?: Readonly<Record<string, number>>;
  corsOrigins?: string[];
}

/**
 * Create the resources the CDK stack defines, from the same declarations (every declared table with its keys and
 * indexes, every declared queue with its redrive, the notification prefix, the event source), so the runner cannot
 * drift from the stack. Safe to run twice.
 */
export async function provision(clients: Clients, options: ProvisionOptions): Promise<PipelineResources> {
  const { prefix, settings } = options;
  const bucket = `${prefix}-images`.toLowerCase();
  const eventBus = `${prefix}-events`;
  const declared = declaredFor(settings);

  const tables: Record<string, string> = {};
  const queues: Record<string, LocalQueue> = {};
  const parts: WiringPart[] = [];
  const outputs: Record<string, string> = {};
  for (const table of declared.tables) {
    const name = `${prefix}-${table.name}`;
    await createDeclaredTable(clients.dynamodb, name, table.design);
    tables[table.name] = name;
    parts.push(table.wiring(name));
    if (table.output) outputs[table.output.name] = name;
  }
  for (const declaration of declared.queues) {
    const visibility =
      options.visibilityTimeoutSeconds?.[declaration.name] ?? declaration.consumer.visibilityTimeoutSeconds(settings);
    const queue = await createQueueWithDlq(clients.sqs, `${prefix}-${declaration.name}`, declaration, visibility);
    queues[declaration.name] = queue;
    parts.push(declaration.wiring(queue.url));
    if (declaration.outputs?.queue) outputs[declaration.outputs.queue.name] = queue.url;
    if (declaration.outputs?.deadLetterQueue) outputs[declaration.outputs.deadLetterQueue.name] = queue.dlqUrl;
  }
  const ingest = queues[INGEST_QUEUE.name] as LocalQueue;

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
            QueueArn: ingest.arn,
            Events: ['s3:ObjectCreated:*'],
            Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: UPLOAD_PREFIX }] } },
          },
        ],
      },
    }),
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
    tables,
    queues,
    wiring: mergeWiring(parts),
    outputs,
    eventBus,
    archive,
    subscriberQueueUrl: subscriber.url,
    subscriberRule,
  };
}

/** A queue and its DLQ (`<name>-dlq`) with a declaration's redrive and retention, as the stack makes each. */
async function createQueueWithDlq(
  sqs: SQSClient,
  name: string,
  { redrive }: Pick<QueueDeclaration, 'redrive'>,
  visibilityTimeoutSeconds: number,
): Promise<LocalQueue> {
  const dlq = await createQueue(sqs, `${name}-dlq`, {
    MessageRetentionPeriod: String(redrive.dlqRetentionDays * 24 * 3600),
  });
  const queue = await createQueue(sqs, name, {
    VisibilityTimeout: String(visibilityTimeoutSeconds),
    RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: redrive.maxReceiveCount }),
  });
  return { ...queue, dlqUrl: dlq.url };
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
