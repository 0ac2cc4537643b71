/** What a backfill of `objects` photos costs at list prices, line by line with the arithmetic (pure). */
import { MAX_ITEMS_PER_BATCH } from '../../lambdas/backfill/definition';
import type { CostRow } from '../capacity/cost';
import { GIB } from '../capacity/cost';
import type { Assumptions, Prices } from '../support/aws-assumptions';

/** Per photo, from the local run (requests through the proxy; the child's two calls from the definition). */
export interface BackfillPerImage {
  /** Execution-seconds of the processor per image, and its memory. */
  processorS: number;
  processorGb: number;
  /** Seconds one child execution takes, billed rounded up to 100 ms. */
  childS: number;
  s3Puts: number;
  s3Gets: number;
  /** Write units: the record (table and indexes), the search postings; read units of the processor's reads. */
  recordWru: number;
  postingWru: number;
  rru: number;
  putEvents: number;
  eventBytes: number;
  /** Bytes stored per image: in the pipeline's bucket (thumbnails, renditions), in DynamoDB (with overheads). */
  derivedBytes: number;
  dynamoBytes: number;
}

/** The parent's transitions besides one per child: its start, the map's, its end (a few; 4 assumed). */
export const PARENT_FIXED_TRANSITIONS = 4;
/** An EXPRESS child is billed in 64 MB chunks; this small definition and its ten-object payload fit one. */
const CHILD_GB = 64 / 1024;

export function backfillCost(
  objects: number,
  batchSize: number,
  x: BackfillPerImage,
  p: Prices,
  a: Pick<Assumptions, 'logBytesPerImage' | 'tracesPerImage' | 'rekognitionApisPerImage'>,
): { rows: CostRow[]; total: number; monthly: number; rekognition: number } {
  const n = objects;
  const N = n.toLocaleString('en-US');
  const fmt = (value: number) => value.toLocaleString('en-US', { maximumFractionDigits: 2 });
  const children = Math.ceil(n / MAX_ITEMS_PER_BATCH);
  const lists = Math.ceil(n / 1000);
  const invocations = Math.ceil(n / batchSize);
  const billedChildS = Math.ceil(x.childS * 10) / 10;
  const sqs = children + 2 * invocations;
  const counterWru = 1 + 1 / MAX_ITEMS_PER_BATCH;
  const wru = x.recordWru + x.postingWru + counterWru;
  const rows: CostRow[] = [
    {
      item: 'Step Functions STANDARD (the parent)',
      arithmetic: `(${fmt(children)} children + ${PARENT_FIXED_TRANSITIONS}) transitions x $${p.stepFunctionsTransitionPer1000}/1,000`,
      usd: ((children + PARENT_FIXED_TRANSITIONS) * p.stepFunctionsTransitionPer1000) / 1000,
    },
    {
      item: 'Step Functions EXPRESS (the children)',
      arithmetic: `${fmt(children)} requests x $${p.stepFunctionsExpressRequestsPerMillion}/M + ${fmt(children)} x ${billedChildS.toFixed(1)} s (${x.childS.toFixed(2)} s, billed in 100 ms steps) x 64 MB x $${p.stepFunctionsExpressGbSecond}/GB-s`,
      usd:
        (children * p.stepFunctionsExpressRequestsPerMillion) / 1e6 +
        children * billedChildS * CHILD_GB * p.stepFunctionsExpressGbSecond,
    },
    {
      item: 'SQS',
      arithmetic: `${fmt(children)} SendMessageBatch + ${fmt(invocations)} ReceiveMessage + ${fmt(invocations)} DeleteMessageBatch = ${fmt(sqs)} x $${p.sqsPerMillion}/M`,
      usd: (sqs * p.sqsPerMillion) / 1e6,
    },
    {
      item: 'Lambda requests',
      arithmetic: `${fmt(invocations)} processor batches of ${batchSize} x $${p.lambdaRequestsPerMillion}/M`,
      usd: (invocations * p.lambdaRequestsPerMillion) / 1e6,
    },
    {
      item: 'Lambda compute, processor',
      arithmetic: `${N} x ${x.processorS.toFixed(3)} s x ${x.processorGb.toFixed(3)} GB x $${p.lambdaArmGbSecond}/GB-s`,
      usd: n * x.processorS * x.processorGb * p.lambdaArmGbSecond,
    },
    {
      item: 'DynamoDB on demand',
      arithmetic: `${fmt(wru)} WRU (record ${fmt(x.recordWru)}, search postings ${fmt(x.postingWru)}, run counters ${fmt(counterWru)}) x ${N} x $${p.dynamoWritePerMillion}/M + ${fmt(x.rru)} RRU x ${N} x $${p.dynamoReadPerMillion}/M`,
      usd: (wru * n * p.dynamoWritePerMillion + x.rru * n * p.dynamoReadPerMillion) / 1e6,
    },
    {
      item: 'S3 requests',
      arithmetic: `(${fmt(lists)} LIST + ${fmt(x.s3Puts)} PUT x ${N}) x $${p.s3WritePer1000}/1,000 + ${fmt(x.s3Gets)} GET x ${N} x $${p.s3ReadPer1000}/1,000`,
      usd: ((lists + x.s3Puts * n) * p.s3WritePer1000 + x.s3Gets * n * p.s3ReadPer1000) / 1000,
    },
    {
      item: 'EventBridge',
      arithmetic: `${fmt(x.putEvents)} event x ${N} x $${p.eventBridgeEventsPerMillion}/M + archive ${Math.round(x.eventBytes)} B x ${N} x $${p.eventBridgeArchivePerGb}/GB`,
      usd:
        (x.putEvents * n * p.eventBridgeEventsPerMillion) / 1e6 +
        ((x.eventBytes * n) / GIB) * p.eventBridgeArchivePerGb,
    },
    {
      item: 'CloudWatch Logs, X-Ray (assumed, as per 1,000 images)',
      arithmetic: `${a.logBytesPerImage.toLocaleString('en-US')} B x ${N} x $${p.cloudWatchLogsPerGb}/GB + ${a.tracesPerImage} traces x ${N} x $${p.xRayTracesPerMillion}/M`,
      usd:
        ((a.logBytesPerImage * n) / GIB) * p.cloudWatchLogsPerGb +
        (a.tracesPerImage * n * p.xRayTracesPerMillion) / 1e6,
    },
  ];
  const monthlyRows: CostRow[] = [
    {
      item: 'S3 storage (the originals stay in their bucket)',
      arithmetic: `${Math.round(x.derivedBytes).toLocaleString('en-US')} B of thumbnails and renditions x ${N} = ${((x.derivedBytes * n) / GIB).toFixed(0)} GiB x $${p.s3GbMonth}/GB-month`,
      usd: ((x.derivedBytes * n) / GIB) * p.s3GbMonth,
      monthly: true,
    },
    {
      item: 'DynamoDB storage',
      arithmetic: `${Math.round(x.dynamoBytes).toLocaleString('en-US')} B (record, index entries, postings, 100 B each) x ${N} x $${p.dynamoGbMonth}/GB-month`,
      usd: ((x.dynamoBytes * n) / GIB) * p.dynamoGbMonth,
      monthly: true,
    },
  ];
  return {
    rows: [...rows, ...monthlyRows],
    total: rows.reduce((sum, row) => sum + row.usd, 0),
    monthly: monthlyRows.reduce((sum, row) => sum + row.usd, 0),
    rekognition: a.rekognitionApisPerImage * n * p.rekognitionPerImagePerApi,
  };
}
