/**
 * The capacity model: from per-image figures measured in a local run, what a sustained rate of images needs from
 * each service, which limit is reached first, and what 1,000 images cost. Pure functions: no I/O, no clock.
 *
 * 1. Lambda: execution-seconds per image (the larger of the latency bound and the CPU bound, below), times the rate,
 *    is the concurrency needed; compared with the event source's maximum concurrency and the account's quota.
 * 2. DynamoDB, S3, SQS, EventBridge, API Gateway: requests (or write units) per image times the rate, against each
 *    quota, per partition key value or per key prefix where the limit is per partition.
 * 3. Every limit gives the rate at which it is reached; the lowest is the one that binds first.
 * 4. Cost: every request, GB-second and byte per image at list prices, times 1,000.
 */

import { SEARCH_SHARDS } from '../../lambdas/search/postings-design';
import type { DeploymentSettings } from '../../lambdas/settings';
import { imagesInFlight, processorConcurrency, REKOGNITION_SECONDS_PER_IMAGE } from '../../lambdas/settings/processing';
import { THUMBNAIL_PREFIX } from '../../lambdas/store/keys';
import type { Assumptions, Prices, Quotas } from '../support/aws-assumptions';
import { type DynamoFigures, type IndexFigures, type PostingFigures, valuesPerGroup } from '../support/dynamodb';
import { costPer1000, sumRequests } from './cost';

/** What one image of a class costs the pipeline, from the local run (means over the class). */
export interface MeasuredImage {
  label: string;
  /** The processor's wall time for one image alone: its GetObject to its last write (both cores free). */
  processorAloneS: number;
  /** CPU seconds per image under load, in the runner, less the API's share. */
  processorCpuS: number;
  /** Requests per image per API (`dynamodb.UpdateItem`, `s3.PutObject`): upload and processing. */
  requests: Record<string, number>;
  /** S3 requests per image by key prefix. */
  s3ByPrefix: Record<string, { writes: number; reads: number }>;
  originalBytes: number;
  thumbnailBytes: number;
  /** Bytes of the PutEvents entry (source, detail type, detail). */
  eventBytes: number;
  dynamodb: DynamoFigures;
  /** The search table's postings, written by the processor's last step. */
  postings: PostingFigures;
}

/** The API functions, measured locally. */
export interface MeasuredApi {
  /** Seconds one POST /uploads takes, one at a time (client side). */
  createUploadS: number;
  createUploadCpuS: number;
  getImageS: number;
  getImageCpuS: number;
  /** Read units of the GetItem behind GET /images/{id}. */
  getImageReadUnits: number;
}

/** What the synthesized stack says (the deployed configuration). */
export interface Deployed {
  processorMemoryMb: number;
  apiMemoryMb: number;
  batchSize: number;
  maxConcurrency: number;
  stageRateLimit: number;
  stageBurstLimit: number;
}

export interface ModelInput {
  rate: number;
  /** The settings the model reads `imagesInFlight()` and `processorConcurrency()` from (inference none). */
  settings: DeploymentSettings;
  deployed: Deployed;
  image: MeasuredImage;
  api: MeasuredApi;
  quotas: Quotas;
  prices: Prices;
  assumptions: Assumptions;
}

/** One limit: what the rate needs of it, the limit, and the rate at which it is reached. */
export interface LimitRow {
  area: string;
  what: string;
  needed: number;
  limit: number;
  unit: string;
  /** needed / limit. */
  use: number;
  /** Images a second at which this limit is reached (Infinity: none in sight). */
  maxRate: number;
  /** `ramp`: a new resource's starting capacity, which grows with traffic or is raised ahead (not a ceiling). */
  kind: 'hard' | 'ramp';
  /** The setting (or quota) that moves it. */
  moves: string;
}

export interface PartitionRow {
  indexName: string;
  current: boolean;
  group: string;
  valuesPerGroup: number;
  /** WCU a second on one key value of the group, as designed, and if the group were one constant value. */
  perValue: number;
  ifConstant: number;
}

/** vCPUs a function gets: memory / 1,769 MB, at most 6. */
export function lambdaVcpus(memoryMb: number, quotas: Pick<Quotas, 'lambdaMbPerVcpu' | 'lambdaMaxVcpus'>): number {
  return Math.min(quotas.lambdaMaxVcpus, memoryMb / quotas.lambdaMbPerVcpu);
}

/**
 * Execution-seconds one image keeps a processor busy, the larger of two bounds:
 * - latency: `imagesInFlight` images run at once, each taking its measured time alone (I/O overlaps): alone / k;
 * - CPU: the images' CPU seconds shared by the function's vCPUs: cpu / (vCPUs x relative core speed).
 */
export function processorSeconds(input: {
  aloneS: number;
  cpuS: number;
  imagesInFlight: number;
  vcpus: number;
  coreSpeed: number;
}): { latencyBound: number; cpuBound: number; perImage: number } {
  const latencyBound = input.aloneS / Math.max(1, input.imagesInFlight);
  const cpuBound = input.cpuS / (input.vcpus * input.coreSpeed);
  return { latencyBound, cpuBound, perImage: Math.max(latencyBound, cpuBound) };
}

/** A limit row, with its use and the rate at which it is reached (needed grows in proportion to the rate). */
export function limitRow(row: Omit<LimitRow, 'use' | 'maxRate'>, rate: number): LimitRow {
  const use = row.limit === Number.POSITIVE_INFINITY ? 0 : row.needed / row.limit;
  return { ...row, use, maxRate: use === 0 ? Number.POSITIVE_INFINITY : rate / use };
}

/** Per key value load of every index group, as designed and with one constant value instead. */
export function partitionRows(indexes: IndexFigures[], rate: number): PartitionRow[] {
  return indexes.flatMap((index) =>
    index.groups.map((group) => {
      const values = valuesPerGroup(index.spread);
      return {
        indexName: index.indexName,
        current: index.current,
        group: group.group,
        valuesPerGroup: values,
        perValue: (rate * group.unitsPerImage) / values,
        ifConstant: rate * group.unitsPerImage,
      };
    }),
  );
}

/** The hard limits in the order the rate meets them: the first binds; the next ones bind once it is moved. */
export function bindingLimits(rows: LimitRow[]): { first: LimitRow; then: LimitRow[] } {
  const [first, ...then] = rows.filter((row) => row.kind === 'hard').sort((a, b) => a.maxRate - b.maxRate);
  if (!first) throw new Error('no hard limit to compare');
  return { first, then };
}

/** S3 requests per image by prefix: the pipeline's, measured, and the client's assumed thumbnail downloads. */
export function s3Traffic(
  image: Pick<MeasuredImage, 's3ByPrefix'>,
  assumptions: Pick<Assumptions, 'clientFetches'>,
): Record<string, { writes: number; reads: number }> {
  const traffic = Object.fromEntries(Object.entries(image.s3ByPrefix).map(([prefix, c]) => [prefix, { ...c }]));
  const thumbnails = traffic[THUMBNAIL_PREFIX] ?? { writes: 0, reads: 0 };
  traffic[THUMBNAIL_PREFIX] = { ...thumbnails, reads: thumbnails.reads + assumptions.clientFetches.s3Gets };
  return traffic;
}

/** The whole model at `input.rate`. */
export function capacityModel(input: ModelInput) {
  const { rate, settings, deployed, image, api, quotas, assumptions } = input;
  const inFlight = imagesInFlight(settings);
  const vcpus = lambdaVcpus(deployed.processorMemoryMb, quotas);
  const processor = processorSeconds({
    aloneS: image.processorAloneS,
    cpuS: image.processorCpuS,
    imagesInFlight: inFlight,
    vcpus,
    coreSpeed: assumptions.lambdaCoreSpeed,
  });
  const apiVcpus = lambdaVcpus(deployed.apiMemoryMb, quotas);
  const createS = Math.max(api.createUploadS, api.createUploadCpuS / (apiVcpus * assumptions.lambdaCoreSpeed));
  const getS = Math.max(api.getImageS, api.getImageCpuS / (apiVcpus * assumptions.lambdaCoreSpeed));
  const concurrency = {
    processor: rate * processor.perImage,
    createUpload: rate * createS,
    getImage: rate * getS * assumptions.clientFetches.apiGets,
  };
  const accountConcurrency = concurrency.processor + concurrency.createUpload + concurrency.getImage;
  const d = image.dynamodb;
  const tableWcu = d.writes.reduce((sum, w) => sum + w.units, 0);
  const tableRcu = d.reads.reduce((sum, r) => sum + r.units, 0);
  const current = d.indexes.filter((index) => index.current);
  const partitions = partitionRows(d.indexes, rate);
  const hottest = partitions
    .filter((p) => p.current && Number.isFinite(p.valuesPerGroup))
    .sort((a, b) => b.perValue - a.perValue)[0];
  const putEvents = sumRequests(image.requests, 'events', ['PutEvents']);
  const sqsPerImage = 1 + 2 / deployed.batchSize;
  const row = (r: Omit<LimitRow, 'use' | 'maxRate'>) => limitRow(r, rate);

  const rows: LimitRow[] = [
    row({
      area: 'API Gateway',
      what: 'POST /uploads (the stage throttle, per method)',
      needed: rate,
      limit: deployed.stageRateLimit,
      unit: 'req/s',
      kind: 'hard',
      moves: "`apiRateLimit` (and `apiBurstLimit` for bursts), up to the account's 10,000 req/s",
    }),
    row({
      area: 'API Gateway',
      what: 'all APIs of the account (Region quota)',
      needed: rate * (1 + assumptions.clientFetches.apiGets),
      limit: quotas.apiGatewayAccountRps,
      unit: 'req/s',
      kind: 'hard',
      moves: 'a Service Quotas increase',
    }),
    row({
      area: 'Lambda',
      what: 'processor concurrency (event source maximum)',
      needed: concurrency.processor,
      limit: deployed.maxConcurrency,
      unit: 'executions',
      kind: 'hard',
      moves: '`processorMaxConcurrency` (2-1,000); `processorMemoryMb` while CPU-bound',
    }),
    row({
      area: 'Lambda',
      what: 'account concurrency (processor + create-upload + get-image)',
      needed: accountConcurrency,
      limit: quotas.lambdaAccountConcurrency,
      unit: 'executions',
      kind: 'hard',
      moves: 'a Service Quotas increase of concurrent executions',
    }),
    row({
      area: 'DynamoDB',
      what: `hottest partition key value (${hottest ? `${hottest.indexName} ${hottest.group}#n` : 'none'})`,
      needed: hottest?.perValue ?? 0,
      limit: quotas.partitionWcu,
      unit: 'WCU/s',
      kind: 'hard',
      moves: 'LIST_SHARDS (lambdas/store/table-design.ts)',
    }),
    row({
      area: 'DynamoDB',
      what: `hottest search posting key value (one owner's \`all\`, 1 of ${SEARCH_SHARDS} shards)`,
      needed: (rate * image.postings.everyImageUnits) / SEARCH_SHARDS,
      limit: quotas.partitionWcu,
      unit: 'WCU/s',
      kind: 'hard',
      moves: 'SEARCH_SHARDS; every owner has keys of their own, so this is one owner uploading at the whole rate',
    }),
    row({
      area: 'DynamoDB',
      what: 'search table writes (default per-table maximum, on demand)',
      needed: rate * image.postings.units,
      limit: quotas.onDemandTableMaxWcu,
      unit: 'WCU/s',
      kind: 'hard',
      moves: 'a Service Quotas increase; fewer OCR words indexed (MAX_TEXT_WORDS)',
    }),
    row({
      area: 'DynamoDB',
      what: 'search table writes (a new on-demand table)',
      needed: rate * image.postings.units,
      limit: quotas.onDemandNewTableWcu,
      unit: 'WCU/s',
      kind: 'ramp',
      moves: 'warm throughput (pre-warm), or ramp up: on demand absorbs 2x the previous peak',
    }),
    row({
      area: 'DynamoDB',
      what: 'table writes (default per-table maximum, on demand)',
      needed: rate * tableWcu,
      limit: quotas.onDemandTableMaxWcu,
      unit: 'WCU/s',
      kind: 'hard',
      moves: 'a Service Quotas increase',
    }),
    row({
      area: 'DynamoDB',
      what: 'table writes (a new on-demand table)',
      needed: rate * tableWcu,
      limit: quotas.onDemandNewTableWcu,
      unit: 'WCU/s',
      kind: 'ramp',
      moves: 'warm throughput (pre-warm), or ramp up: on demand absorbs 2x the previous peak',
    }),
    ...current.map((index) =>
      row({
        area: 'DynamoDB',
        what: `GSI ${index.indexName} writes (a new on-demand index)`,
        needed: rate * index.unitsPerImage,
        limit: quotas.onDemandNewTableWcu,
        unit: 'WCU/s',
        kind: 'ramp',
        moves: 'warm throughput of the index, or ramp up',
      }),
    ),
    ...Object.entries(s3Traffic(image, assumptions)).flatMap(([prefix, counts]) => [
      row({
        area: 'S3',
        what: `PUT/POST under ${prefix} (one partition: ULID keys grow at the end)`,
        needed: rate * counts.writes,
        limit: quotas.s3WritesPerPrefix,
        unit: 'req/s',
        kind: 'hard',
        moves: prefix.startsWith('thumbnails') ? '`thumbnailSizes` (fewer sizes); a hashed key prefix' : 'key layout',
      }),
      row({
        area: 'S3',
        what: `GET under ${prefix}`,
        needed: rate * counts.reads,
        limit: quotas.s3ReadsPerPrefix,
        unit: 'req/s',
        kind: 'hard',
        moves: 'key layout; a CDN in front of reads',
      }),
    ]),
    row({
      area: 'SQS',
      what: 'standard queue API calls (send, receive, delete)',
      needed: rate * sqsPerImage,
      limit: Number.POSITIVE_INFINITY,
      unit: 'req/s',
      kind: 'hard',
      moves: 'none needed: nearly unlimited',
    }),
    row({
      area: 'SQS',
      what: 'messages in flight (processor executions x batch size)',
      needed: concurrency.processor * deployed.batchSize,
      limit: quotas.sqsInFlightMessages,
      unit: 'messages',
      kind: 'hard',
      moves: '`processorBatchSize`',
    }),
    row({
      area: 'EventBridge',
      what: 'PutEvents (us-east-1 quota, assumed)',
      needed: rate * putEvents,
      limit: quotas.eventBridgePutEventsTps,
      unit: 'TPS',
      kind: 'hard',
      moves: 'a Service Quotas increase',
    }),
  ];

  // With Rekognition the event source's concurrency is sized from `rekognitionTps` (processing.ts).
  const rekSettings: DeploymentSettings = { ...settings, inference: 'rekognition', processorMaxConcurrency: undefined };
  const rekConcurrency = processorConcurrency(rekSettings);
  const rekognition = {
    tps: settings.rekognitionTps,
    concurrency: rekConcurrency,
    rateBoundByConcurrency: (rekConcurrency * imagesInFlight(rekSettings)) / REKOGNITION_SECONDS_PER_IMAGE,
    callsPerApiPerSecond: rate,
    maxRate: settings.rekognitionTps,
  };

  return {
    rate,
    inFlight,
    vcpus,
    processor,
    apiSeconds: { createUpload: createS, getImage: getS },
    concurrency,
    accountConcurrency,
    scaling: {
      lambdaSeconds: Math.ceil(accountConcurrency / quotas.lambdaScalingPer10s) * 10,
      sqsPollerSeconds: Math.max(
        0,
        ((concurrency.processor - quotas.sqsPollerStart) / quotas.sqsPollerAddedPerMinute) * 60,
      ),
    },
    dynamodb: {
      tableWcuPerImage: tableWcu,
      tableRcuPerImage: tableRcu,
      indexWcuPerImage: current.reduce((sum, index) => sum + index.unitsPerImage, 0),
      postingWcuPerImage: image.postings.units,
    },
    sqsPerImage,
    partitions,
    rows,
    binding: bindingLimits(rows),
    rekognition,
    cost: costPer1000(input, { processorS: processor.perImage, createS, getS }),
  };
}

export type CapacityResult = ReturnType<typeof capacityModel>;
