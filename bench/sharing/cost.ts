/** What 1,000 requests of an operation cost at list prices, from its measured figures (pure). */
import { PRICES, type Prices, QUOTAS } from '../support/aws-assumptions';

/** The measured figures of one request that the price depends on (means over the run's requests). */
export interface RequestFigures {
  /** AWS calls per `service.api`. */
  calls: Record<string, number>;
  /** The runner's CPU for the request, ms. */
  cpuMs: number;
  /** Time the request waited on its AWS calls (moto here: an upper bound of DynamoDB's in-Region latency), ms. */
  awsMs: number;
  writeUnits: number;
  readUnits: number;
}

export interface CostLine {
  item: string;
  arithmetic: string;
  usd: number;
}

/**
 * The memory of every API route's function: NodeFunction's default (lib/constructs/node-function.ts), which no
 * route changes. CPU comes in proportion: 256 MB is 256 / 1,769 of a vCPU.
 */
export const API_MEMORY_MB = 256;

/** Secrets Manager: $0.05 per 10,000 API calls (us-east-1 list price). */
export const SECRETS_PER_10000 = 0.05;

const N = 1000;
const S3_WRITES = ['PutObject', 'PostObject', 'CopyObject', 'DeleteObject', 'ListObjectsV2'];

/**
 * A function's billed seconds for one request: its CPU stretched by its share of a vCPU at `memoryMb`, plus the time
 * it waits on AWS (the two are taken as not overlapping: an upper bound).
 */
export function billedSeconds(cpuMs: number, awsMs: number, memoryMb: number): number {
  const vcpus = Math.min(QUOTAS.lambdaMaxVcpus, memoryMb / QUOTAS.lambdaMbPerVcpu);
  return (cpuMs / vcpus + awsMs) / 1000;
}

/** Calls to `service` in `calls`, all of its APIs or only `apis`. */
export const callsTo = (calls: Record<string, number>, service: string, apis?: readonly string[]) =>
  Object.entries(calls)
    .filter(([key]) => key.startsWith(`${service}.`) && (!apis || apis.includes(key.slice(service.length + 1))))
    .reduce((sum, [, count]) => sum + count, 0);

/** 1,000 requests of one operation, line by line, with the arithmetic spelled out. */
export function costPer1000(
  figures: RequestFigures,
  prices: Prices = PRICES,
  memoryMb = API_MEMORY_MB,
): { lines: CostLine[]; usd: number } {
  const seconds = billedSeconds(figures.cpuMs, figures.awsMs, memoryMb);
  const gb = memoryMb / 1024;
  const events = callsTo(figures.calls, 'events', ['PutEvents']);
  const s3Writes = callsTo(figures.calls, 's3', S3_WRITES);
  const s3Reads = callsTo(figures.calls, 's3') - s3Writes;
  const sqs = callsTo(figures.calls, 'sqs');
  const secrets = callsTo(figures.calls, 'secretsmanager');
  const fixed = (value: number, digits = 2) => value.toFixed(digits);
  const lines: CostLine[] = [
    {
      item: 'API Gateway REST',
      arithmetic: `1 request x 1,000 x $${prices.apiGatewayRestPerMillion}/M`,
      usd: (N * prices.apiGatewayRestPerMillion) / 1e6,
    },
    {
      item: 'Lambda requests',
      arithmetic: `1 invocation x 1,000 x $${prices.lambdaRequestsPerMillion}/M`,
      usd: (N * prices.lambdaRequestsPerMillion) / 1e6,
    },
    {
      item: 'Lambda compute',
      arithmetic:
        `(${fixed(figures.cpuMs, 1)} ms CPU / ${fixed(memoryMb / QUOTAS.lambdaMbPerVcpu, 3)} vCPU + ` +
        `${fixed(figures.awsMs, 1)} ms on AWS) = ${fixed(seconds, 3)} s x ${fixed(gb, 2)} GB x 1,000 x $${prices.lambdaArmGbSecond}/GB-s`,
      usd: seconds * gb * N * prices.lambdaArmGbSecond,
    },
    {
      item: 'DynamoDB on demand',
      arithmetic:
        `${fixed(figures.writeUnits)} WRU x 1,000 x $${prices.dynamoWritePerMillion}/M + ` +
        `${fixed(figures.readUnits)} RRU x 1,000 x $${prices.dynamoReadPerMillion}/M`,
      usd:
        (N * (figures.writeUnits * prices.dynamoWritePerMillion + figures.readUnits * prices.dynamoReadPerMillion)) /
        1e6,
    },
  ];
  if (events > 0) {
    lines.push({
      item: 'EventBridge',
      arithmetic: `${fixed(events)} event x 1,000 x $${prices.eventBridgeEventsPerMillion}/M`,
      usd: (events * N * prices.eventBridgeEventsPerMillion) / 1e6,
    });
  }
  if (s3Writes + s3Reads > 0) {
    lines.push({
      item: 'S3 requests',
      arithmetic: `(${fixed(s3Writes)} PUT/LIST x $${prices.s3WritePer1000} + ${fixed(s3Reads)} GET x $${prices.s3ReadPer1000}) / 1,000 x 1,000`,
      usd: s3Writes * prices.s3WritePer1000 + s3Reads * prices.s3ReadPer1000,
    });
  }
  if (sqs > 0) {
    lines.push({
      item: 'SQS',
      arithmetic: `${fixed(sqs)} requests x 1,000 x $${prices.sqsPerMillion}/M`,
      usd: (sqs * N * prices.sqsPerMillion) / 1e6,
    });
  }
  if (secrets > 0) {
    lines.push({
      item: 'Secrets Manager',
      arithmetic: `${fixed(secrets)} calls x 1,000 x $${SECRETS_PER_10000}/10,000`,
      usd: (secrets * N * SECRETS_PER_10000) / 10_000,
    });
  }
  return { lines, usd: lines.reduce((sum, line) => sum + line.usd, 0) };
}
