/** What 1,000 images cost at list prices, line by line with the arithmetic (pure; part of the capacity model). */
import type { ModelInput } from './model';

export const GIB = 1024 ** 3;

/** Requests per image to `service` (all its APIs, or only `apis`). */
export const sumRequests = (requests: Record<string, number>, service: string, apis?: string[]) =>
  Object.entries(requests)
    .filter(([key]) => key.startsWith(`${service}.`) && (!apis || apis.some((api) => key === `${service}.${api}`)))
    .reduce((sum, [, count]) => sum + count, 0);

export interface CostRow {
  item: string;
  arithmetic: string;
  usd: number;
  /** Per month of storage, not per image processed. */
  monthly?: boolean;
}

/** What 1,000 images cost, line by line, with the arithmetic spelled out. */
export function costPer1000(
  input: ModelInput,
  seconds: { processorS: number; createS: number; getS: number },
): { rows: CostRow[]; pipeline: number; monthly: number; rekognition: number } {
  const { image, api, prices: p, assumptions: a, deployed } = input;
  const d = image.dynamodb;
  const fetches = a.clientFetches;
  const n = 1000;
  const N = n.toLocaleString('en-US');
  const apiGb = deployed.apiMemoryMb / 1024;
  const procGb = deployed.processorMemoryMb / 1024;
  const s3Writes = Object.values(image.s3ByPrefix).reduce((sum, c) => sum + c.writes, 0);
  const s3Reads = Object.values(image.s3ByPrefix).reduce((sum, c) => sum + c.reads, 0) + fetches.s3Gets;
  const tableWru = d.writes.reduce((sum, w) => sum + w.units, 0);
  const indexWru = d.indexes.filter((i) => i.current).reduce((sum, i) => sum + i.unitsPerImage, 0);
  const postingWru = image.postings.units;
  const wru = tableWru + indexWru + postingWru;
  const processorRru = d.reads.reduce((sum, r) => sum + r.units, 0);
  const rru = processorRru + fetches.apiGets * api.getImageReadUnits;
  const storedBytes = image.originalBytes + image.thumbnailBytes;
  const dynamoBytes =
    d.itemBytes +
    a.dynamoItemOverheadBytes +
    d.indexes.filter((i) => i.current).reduce((sum, i) => sum + i.entryBytes + a.dynamoItemOverheadBytes, 0) +
    image.postings.bytes +
    image.postings.count * a.dynamoItemOverheadBytes;
  const putEvents = sumRequests(image.requests, 'events', ['PutEvents']);
  const invocations = 1 + fetches.apiGets + 1 / deployed.batchSize;
  const sqs = 1 + 2 / deployed.batchSize;
  const rows: CostRow[] = [
    {
      item: 'API Gateway REST',
      arithmetic: `${1 + fetches.apiGets} requests (POST /uploads, GET /images/{id}) x ${N} x $${p.apiGatewayRestPerMillion}/M`,
      usd: ((1 + fetches.apiGets) * n * p.apiGatewayRestPerMillion) / 1e6,
    },
    {
      item: 'Lambda requests',
      arithmetic: `${invocations.toFixed(2)} invocations (create-upload, get-image, 1/${deployed.batchSize} of a processor batch) x ${N} x $${p.lambdaRequestsPerMillion}/M`,
      usd: (invocations * n * p.lambdaRequestsPerMillion) / 1e6,
    },
    {
      item: 'Lambda compute, API functions',
      arithmetic: `(${seconds.createS.toFixed(3)} + ${fetches.apiGets} x ${seconds.getS.toFixed(3)}) s x ${apiGb} GB x ${N} x $${p.lambdaArmGbSecond}/GB-s`,
      usd: (seconds.createS + fetches.apiGets * seconds.getS) * apiGb * n * p.lambdaArmGbSecond,
    },
    {
      item: 'Lambda compute, processor',
      arithmetic: `${seconds.processorS.toFixed(3)} s x ${procGb.toFixed(3)} GB x ${N} x $${p.lambdaArmGbSecond}/GB-s`,
      usd: seconds.processorS * procGb * n * p.lambdaArmGbSecond,
    },
    {
      item: 'S3 requests',
      arithmetic: `(${s3Writes.toFixed(2)} PUT/POST x $${p.s3WritePer1000} + ${s3Reads.toFixed(2)} GET x $${p.s3ReadPer1000}) / 1,000 x ${N}`,
      usd: ((s3Writes * p.s3WritePer1000 + s3Reads * p.s3ReadPer1000) / 1000) * n,
    },
    {
      item: 'SQS',
      arithmetic: `${sqs.toFixed(2)} requests (S3's send, 1/${deployed.batchSize} receive, 1/${deployed.batchSize} batch delete) x ${N} x $${p.sqsPerMillion}/M`,
      usd: (sqs * n * p.sqsPerMillion) / 1e6,
    },
    {
      item: 'DynamoDB on demand',
      arithmetic: `${wru} WRU (table ${tableWru}, indexes ${indexWru}, search postings ${postingWru.toFixed(1)}) x ${N} x $${p.dynamoWritePerMillion}/M + ${rru} RRU (processor ${processorRru}, GET ${fetches.apiGets * api.getImageReadUnits}) x ${N} x $${p.dynamoReadPerMillion}/M`,
      usd: (wru * n * p.dynamoWritePerMillion + rru * n * p.dynamoReadPerMillion) / 1e6,
    },
    {
      item: 'EventBridge',
      arithmetic: `${putEvents} event x ${N} x $${p.eventBridgeEventsPerMillion}/M + archive ${Math.round(image.eventBytes)} B x ${N} x $${p.eventBridgeArchivePerGb}/GB`,
      usd:
        (putEvents * n * p.eventBridgeEventsPerMillion) / 1e6 +
        ((image.eventBytes * n) / GIB) * p.eventBridgeArchivePerGb,
    },
    {
      item: 'CloudWatch Logs, X-Ray (assumed, as before)',
      arithmetic: `${a.logBytesPerImage.toLocaleString('en-US')} B x ${N} x $${p.cloudWatchLogsPerGb}/GB + ${a.tracesPerImage} traces x ${N} x $${p.xRayTracesPerMillion}/M`,
      usd:
        ((a.logBytesPerImage * n) / GIB) * p.cloudWatchLogsPerGb +
        (a.tracesPerImage * n * p.xRayTracesPerMillion) / 1e6,
    },
  ];
  const pipeline = rows.reduce((sum, r) => sum + r.usd, 0);
  const monthlyRows: CostRow[] = [
    {
      item: 'S3 storage',
      arithmetic: `${(storedBytes / 1e6).toFixed(2)} MB (original + thumbnails) x ${N} = ${((storedBytes * n) / GIB).toFixed(2)} GiB x $${p.s3GbMonth}/GB-month`,
      usd: ((storedBytes * n) / GIB) * p.s3GbMonth,
      monthly: true,
    },
    {
      item: 'DynamoDB storage',
      arithmetic: `${Math.round(dynamoBytes).toLocaleString('en-US')} B (item + index entries + search postings + 100 B each) x ${N} x $${p.dynamoGbMonth}/GB-month`,
      usd: ((dynamoBytes * n) / GIB) * p.dynamoGbMonth,
      monthly: true,
    },
  ];
  const rekognition = a.rekognitionApisPerImage * n * p.rekognitionPerImagePerApi;
  return {
    rows: [...rows, ...monthlyRows],
    pipeline,
    monthly: monthlyRows.reduce((sum, r) => sum + r.usd, 0),
    rekognition,
  };
}
