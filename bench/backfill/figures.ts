/** The per-photo figures of a measured backfill run, as the model and the cost take them (pure). */
import * as tableDesign from '../../lambdas/store/table-design';
import { median } from '../../test/support/stats';
import {
  type IndexShape,
  type Item,
  indexEntry,
  indexWrites,
  itemSize,
  postingFigures,
  tableWriteUnits,
} from '../support/dynamodb';
import type { BackfillMeasureRun } from './measure';

/** The results table's current indexes, as the design has them. */
const INDEXES = Object.values(tableDesign.TABLE_DESIGN.indexes) as unknown as IndexShape[];
const TABLE_KEY = tableDesign.TABLE_DESIGN.partitionKey;
/** DynamoDB's storage overhead per item and per index entry. */
const ITEM_OVERHEAD = 100;

/**
 * A backfilled record's writes, from its final item: the processor's finalise creates it with `eventPending` (no
 * PENDING item comes before: there was no upload), then the clear after the event removes the flag.
 */
export function recordWrites(finals: Item[]): {
  tableWru: number;
  indexWru: number;
  itemBytes: number;
  indexBytes: number;
} {
  const per = finals.map((final) => {
    const finalised: Item = { ...final, eventPending: { BOOL: true } };
    const steps: [Item | undefined, Item][] = [
      [undefined, finalised],
      [finalised, final],
    ];
    return {
      table: steps.reduce((sum, [before, after]) => sum + tableWriteUnits(before, after), 0),
      index: INDEXES.reduce(
        (sum, index) =>
          sum +
          steps.reduce(
            (s, [before, after]) => s + indexWrites(before, after, index, TABLE_KEY).reduce((u, w) => u + w.units, 0),
            0,
          ),
        0,
      ),
      itemBytes: itemSize(final),
      indexBytes: INDEXES.reduce((sum, index) => {
        const entry = indexEntry(final, index, TABLE_KEY);
        return sum + (entry ? itemSize(entry) + ITEM_OVERHEAD : 0);
      }, 0),
    };
  });
  const mean = (pick: (x: (typeof per)[number]) => number) =>
    per.reduce((s, x) => s + pick(x), 0) / Math.max(1, per.length);
  return {
    tableWru: mean((x) => x.table),
    indexWru: mean((x) => x.index),
    itemBytes: mean((x) => x.itemBytes),
    indexBytes: mean((x) => x.indexBytes),
  };
}

/** Calls per object of a phase, per `service.api`; the runner's Step Functions calls (its map polling moto) apart. */
export function perObject(calls: Record<string, number>, objects: number) {
  const pipeline: Record<string, number> = {};
  const stepFunctions: Record<string, number> = {};
  for (const [wire, count] of Object.entries(calls)) {
    // The proxy names S3's list by its query (`GET ?prefix`); it is the map's ListObjectsV2 (the ItemReader).
    const api = wire === 's3.GET ?prefix' ? 's3.ListObjectsV2' : wire;
    (api.startsWith('states.') ? stepFunctions : pipeline)[api] = count / objects;
  }
  return { pipeline, stepFunctions };
}

/** Everything the model and the cost take from the run, per photo. */
export function backfillFigures(run: BackfillMeasureRun) {
  const n = run.images.objects;
  const { pipeline, stepFunctions } = perObject(run.images.calls, n);
  const record = recordWrites(run.finals);
  const postings = postingFigures(run.postings);
  const reads = (pipeline['dynamodb.GetItem'] ?? 0) * 1 + (pipeline['dynamodb.Query'] ?? 0) * 0.5;
  return {
    requests: pipeline,
    stepFunctions,
    cpuS: run.images.cpuS / n,
    childS: median(run.children.durationsMs) / 1000,
    s3WritesByPrefix: run.s3WritesByPrefix,
    s3Puts: pipeline['s3.PutObject'] ?? 0,
    s3Gets: pipeline['s3.GetObject'] ?? 0,
    record,
    postings,
    // GetItem: consistent, of a missing or small item, 1 RRU; the duplicate Query eventually consistent, 0.5.
    rru: reads,
    putEvents: pipeline['events.PutEvents'] ?? 0,
    dynamoBytes: record.itemBytes + ITEM_OVERHEAD + record.indexBytes + postings.bytes + postings.count * ITEM_OVERHEAD,
  };
}
