import {
  type AttributeValue,
  BatchWriteItemCommand,
  DescribeTableCommand,
  DynamoDBClient,
  paginateListTables,
  paginateScan,
} from '@aws-sdk/client-dynamodb';
import {
  DeleteBucketCommand,
  DeleteObjectsCommand,
  paginateListObjectsV2,
  S3Client,
  type S3ServiceException,
} from '@aws-sdk/client-s3';
import { ListQueuesCommand, PurgeQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { queueDrained } from '../../e2e/support';
import {
  type RunnerProcess,
  type RunnerProcessOptions,
  type RunnerReady,
  startRunner,
} from '../../support/runner-process';
import { type ProfileName, profileRunner } from '../../support/runner-profiles';
import type { Session } from './sessions';

/*
 * The sessions' runners: one per runner configuration, kept while the next session wants the same one. Every runner
 * has the prefix the docs show (image-intel-local) on the run's one moto, so two never run at once (they would share
 * the ingest queue), and after each session the prefix's tables, queues and images bucket are emptied and the
 * runner's source buckets removed: each session starts as on the fresh emulator its doc describes. A session on a
 * shared profile (test/support/runner-profiles.ts) is given the run's runner of that profile as it is, never emptied
 * (other files' images are on it): its commands look only at users or images of their own, which a fresh runner
 * would show the same.
 */

export const PREFIX = 'image-intel-local';

/** What a session uses of its runner: its resources, and its log for a failure's message. */
export type SessionRunner = Pick<RunnerProcess, 'ready' | 'log'>;

export interface Runners {
  /**
   * The session's runner: its profile's shared one, or one of its configuration, its resources emptied (the one
   * running if it has that configuration).
   */
  runnerFor(session: Session): Promise<SessionRunner | undefined>;
  /** How many runners were started for the sessions (the shared profiles' are not). */
  readonly started: number;
  /** The shared profiles the sessions used (whoever started their runners). */
  readonly profiles: ProfileName[];
  stop(): Promise<void>;
}

/** `realModels`: run the offline models on every image, not their recorded answers (runner-process.ts). */
export function sessionRunners(options: Pick<RunnerProcessOptions, 'realModels'> = {}): Runners {
  let current: { key: string; runner: RunnerProcess } | undefined;
  let started = 0;
  const profiles = new Set<ProfileName>();
  const stop = async () => {
    const stopping = current;
    current = undefined;
    if (!stopping) return;
    await stopping.runner.stop();
    await empty(stopping.runner.ready);
  };
  return {
    async runnerFor(session) {
      if (session.profile) {
        profiles.add(session.profile);
        return profileRunner(session.profile);
      }
      if (!session.runner) return undefined;
      const key = JSON.stringify(session.runner);
      if (current?.key === key && !session.ownRunner) {
        // The processor publishes an image's event after its record says PROCESSED: let it finish first.
        if (!session.runner.args?.includes('--no-processor')) await settled(current.runner.ready);
        await empty(current.runner.ready);
        return current.runner;
      }
      // Emptied once stopped, before the next starts: a runner reads the backfill runs in its table as it starts,
      // and the ingest queue then holds the s3:TestEvent of its bucket notification (local-smoke-pending shows it).
      await stop();
      current = { key, runner: await startRunner({ prefix: PREFIX, ...options, ...session.runner }) };
      started += 1;
      return current.runner;
    },
    get started() {
      return started;
    },
    get profiles() {
      return [...profiles];
    },
    stop,
  };
}

/** Wait until the ingest queue holds no message, visible or in flight: the processor is done with every one. */
async function settled(ready: RunnerReady): Promise<void> {
  const sqs = new SQSClient(clientConfig(ready));
  await queueDrained(sqs, ready.queueUrl, 60_000).finally(() => sqs.destroy());
}

function clientConfig(ready: RunnerReady) {
  return {
    endpoint: ready.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  };
}

/** Empty what a session left: items, messages, images; the source buckets go (a session makes its own). */
async function empty(ready: RunnerReady): Promise<void> {
  const config = clientConfig(ready);
  const dynamodb = new DynamoDBClient(config);
  const sqs = new SQSClient(config);
  const s3 = new S3Client({ ...config, forcePathStyle: true });
  try {
    for await (const page of paginateListTables({ client: dynamodb }, {})) {
      for (const table of page.TableNames ?? []) if (table.startsWith(`${PREFIX}-`)) await emptyTable(dynamodb, table);
    }
    const { QueueUrls = [] } = await sqs.send(new ListQueuesCommand({ QueueNamePrefix: `${PREFIX}-` }));
    for (const url of QueueUrls) await sqs.send(new PurgeQueueCommand({ QueueUrl: url }));
    await emptyBucket(s3, ready.bucket);
    for (const { bucket } of ready.settings.sourceBuckets) {
      if (await emptyBucket(s3, bucket)) await s3.send(new DeleteBucketCommand({ Bucket: bucket }));
    }
  } finally {
    dynamodb.destroy();
    sqs.destroy();
    s3.destroy();
  }
}

async function emptyTable(dynamodb: DynamoDBClient, table: string): Promise<void> {
  const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: table }));
  const names = (Table?.KeySchema ?? []).map((key) => key.AttributeName as string);
  const keys: Array<Record<string, AttributeValue>> = [];
  for await (const page of paginateScan({ client: dynamodb }, { TableName: table, ConsistentRead: true })) {
    for (const item of page.Items ?? []) {
      keys.push(Object.fromEntries(names.map((name) => [name, item[name] as AttributeValue])));
    }
  }
  for (let at = 0; at < keys.length; at += 25) {
    const requests = keys.slice(at, at + 25).map((Key) => ({ DeleteRequest: { Key } }));
    await dynamodb.send(new BatchWriteItemCommand({ RequestItems: { [table]: requests } }));
  }
}

/** Delete every object of the bucket; false if there is no such bucket. */
async function emptyBucket(s3: S3Client, bucket: string): Promise<boolean> {
  try {
    for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: bucket })) {
      const objects = (page.Contents ?? []).map(({ Key }) => ({ Key }));
      if (objects.length > 0) await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: objects } }));
    }
    return true;
  } catch (error) {
    if ((error as S3ServiceException).name === 'NoSuchBucket') return false;
    throw error;
  }
}
