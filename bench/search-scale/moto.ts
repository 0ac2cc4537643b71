/**
 * The emulator of the search-scale bench: the patched moto server (moto-patch.ts) on a port of its own,
 * with the tables made by the local runner's own code (lambdas/local/resources.ts `provision`), and a client
 * middleware that counts what each request reads.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { spawnMoto } from '../../lambdas/local/emulator';
import { type PipelineResources, provision } from '../../lambdas/local/resources';
import { parseDeploymentSettings } from '../../lambdas/settings';
import { PATCHED_MOTO } from './moto-patch';

export interface BenchEmulator {
  endpoint: string;
  pid: number;
  resources: BenchResources;
  stop(): Promise<void>;
}

const REGION = 'us-east-1';
const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

/** SDK clients for an endpoint, as the functions make them (the document client drops undefined values). */
export function clientsFor(endpoint: string) {
  const options = { endpoint, region: REGION, credentials: CREDENTIALS };
  const dynamodb = new DynamoDBClient({ ...options, maxAttempts: 8 });
  return {
    dynamodb,
    document: DynamoDBDocumentClient.from(dynamodb, { marshallOptions: { removeUndefinedValues: true } }),
    s3: new S3Client({ ...options, forcePathStyle: true }),
    sqs: new SQSClient(options),
    events: new EventBridgeClient(options),
  };
}

/** Start the patched moto on a free loopback port and create the pipeline's resources with the runner's code. */
export async function startBenchEmulator(prefix: string): Promise<BenchEmulator> {
  // A 100,000-image moto holds gigabytes: give it time to go.
  const moto = await spawnMoto('python3', PATCHED_MOTO, 5000);
  try {
    const resources = await provision(clientsFor(moto.endpoint), {
      prefix,
      settings: parseDeploymentSettings({}),
      visibilityTimeoutSeconds: { ingest: 60 },
    });
    return { ...moto, resources: withTableNames(resources) };
  } catch (error) {
    await moto.stop();
    throw error;
  }
}

/** What the requests of one measurement read. */
export interface ReadCount {
  requests: number;
  /**
   * Items DynamoDB evaluated: the ScannedCount of each Query and Scan, and each item a GetItem or BatchGetItem found.
   */
  items: number;
  /** Items returned after filters (Count), for Queries and Scans. */
  returned: number;
  byCommand: Record<string, number>;
}

export const emptyCount = (): ReadCount => ({ requests: 0, items: 0, returned: 0, byCommand: {} });

/**
 * Count every request a client sends and the items each read, into whatever `sink()` returns at the time (so one
 * client serves every measurement: swap the sink between them).
 */
export function countReads(client: DynamoDBClient | DynamoDBDocumentClient, sink: () => ReadCount): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      const output = result.output as {
        ScannedCount?: number;
        Count?: number;
        Item?: unknown;
        Responses?: Record<string, unknown[]>;
      };
      const count = sink();
      const command = context.commandName ?? 'unknown';
      count.requests += 1;
      count.byCommand[command] = (count.byCommand[command] ?? 0) + 1;
      if (command === 'GetItemCommand') count.items += output.Item === undefined ? 0 : 1;
      else if (command === 'BatchGetItemCommand') {
        for (const items of Object.values(output.Responses ?? {})) count.items += items.length;
      } else count.items += output.ScannedCount ?? 0;
      count.returned += output.Count ?? 0;
      return result;
    },
    { step: 'initialize', name: 'searchScaleReadCounter' },
  );
}

/** The runner's resources with the two tables the benchmark reads named as such. */
export type BenchResources = PipelineResources & { table: string; searchTable: string };

export function withTableNames(resources: PipelineResources): BenchResources {
  const { images, search } = resources.tables;
  if (!images || !search) throw new Error('the runner made no results table or search index');
  return { ...resources, table: images, searchTable: search };
}
