import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import type { SourceObject } from '../../../../../lambdas/backfill/source-object';
import { ANALYSIS_VERSION } from '../../../../../lambdas/core/record';
import type { Vision } from '../../../../../lambdas/core/vision-schema';
import { processSourceObject } from '../../../../../lambdas/ingest/functions/processor/process-source';
import { PROCESSOR_STEP_LIST, type ProcessorDeps } from '../../../../../lambdas/manifest/step-runners';
import { ImageStore } from '../../../../../lambdas/store/image-store';
import { fixture } from '../../../../fixtures';
import { PeopleFake } from '../../../../support/people-fake';

/**
 * A regroup (or reprocess) run marks each image it re-analysed with its run id (`reprocessedBy`), so a duplicated
 * or retried message of the same run skips it rather than analysing it, and grouping its faces, again.
 */
const dynamo = mockClient(DynamoDBDocumentClient);
const ID = '01JD3W7Q1ZK7Y6G5S4R3P2N1M0';
const OWNER = 'alice';
const VISION: Vision = {
  labels: [],
  objects: [],
  text: { fullText: '', lines: [] },
  faces: [],
  moderation: { checked: false, flagged: false, threshold: 0.8, labels: [] },
  inference: { provider: 'onnx', models: {}, durationMs: 1 },
};

/** One object of a re-cluster's run over the pipeline's uploads/, as its message gives it. */
const regroupOf = (run: string): SourceObject => ({
  run,
  bucket: 'images',
  key: `uploads/${ID}.jpg`,
  size: 1000,
  etag: '"e"',
  lastModified: new Date('2026-11-22T10:00:00Z'),
  reprocess: true,
  regroupFaces: true,
  reown: false,
});

/** The image as the store holds it: final for this version and analysis, marked by `by` when given. */
let record: Record<string, unknown>;
const final = (by?: string) => ({
  ...{ imageId: ID, entity: 'IMAGE', status: 'PROCESSED', etag: '"e"', owner: OWNER, bucket: 'images' },
  ...{ key: `uploads/${ID}.jpg`, analysisVersion: ANALYSIS_VERSION },
  ...{ createdAt: '2026-11-22T09:59:00.000Z', updatedAt: '2026-11-22T10:00:00.000Z' },
  ...(by && { reprocessedBy: by }),
});

/** The processor's adapters, with the analyses it made counted: one read of the original each. */
function deps() {
  const analysed = { reads: 0, vision: 0 };
  const value: ProcessorDeps = {
    steps: PROCESSOR_STEP_LIST,
    objects: {
      read: async () => {
        analysed.reads++;
        return { kind: 'object', bytes: fixture('photos/boats.jpg'), etag: '"e"' };
      },
      write: async () => undefined,
    },
    store: new ImageStore(DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' })), 'table'),
    index: { upsert: async () => undefined, remove: async () => undefined },
    events: { publish: async () => undefined },
    vision: {
      wantsRaster: false,
      analyze: async () => {
        analysed.vision++;
        return VISION;
      },
    },
    people: new PeopleFake(),
    options: { thumbnailSizes: [64], maxPixels: 100_000_000, maxBytes: 10_000_000, bucket: 'images' },
  };
  return { deps: value, analysed };
}

/** The final write's SET, applied to the record (and its pending flag cleared), as DynamoDB would. */
function storeWrites(): void {
  dynamo.on(GetCommand).callsFake(() => ({ Item: record }));
  dynamo.on(UpdateCommand).callsFake(({ UpdateExpression, ExpressionAttributeNames, ExpressionAttributeValues }) => {
    if (!UpdateExpression?.startsWith('SET')) {
      const { eventPending: _pending, ...rest } = record;
      record = rest;
      return {};
    }
    for (const [alias, name] of Object.entries(ExpressionAttributeNames ?? {})) {
      const value = ExpressionAttributeValues?.[(alias as string).replace('#', ':')];
      if (value !== undefined && /^#f\d+$/.test(alias as string)) record[name as string] = value;
    }
    return {};
  });
}

const finalWrite = () =>
  dynamo.commandCalls(UpdateCommand).find((call) => call.args[0].input.UpdateExpression?.startsWith('SET'))?.args[0]
    .input;

beforeEach(() => {
  dynamo.reset();
  dynamo.on(QueryCommand).resolves({ Items: [] });
  record = final();
  storeWrites();
});

describe('a re-cluster run marks what it did', () => {
  it('records the run on the image it regrouped, and writes only if that run has not', async () => {
    const { deps: d } = deps();
    await expect(processSourceObject(regroupOf('run-1'), { count: 1, last: false }, d)).resolves.toEqual({
      imageId: ID,
      outcome: 'PROCESSED',
    });
    expect(record.reprocessedBy).toBe('run-1');
    const write = finalWrite();
    expect(write?.ConditionExpression).toMatch(
      / OR \(attribute_exists\(#status\) AND \(attribute_not_exists\(#by\) OR #by <> :run\)\)\) AND /,
    );
    expect(write?.ExpressionAttributeValues?.[':run']).toBe('run-1');
  });

  it('skips the image when a message of the same run comes again: no read, no vision, no faces touched', async () => {
    record = final('run-1');
    const { deps: d, analysed } = deps();
    await expect(processSourceObject(regroupOf('run-1'), { count: 2, last: false }, d)).resolves.toEqual({
      imageId: ID,
      outcome: 'SKIPPED',
    });
    expect(analysed).toEqual({ reads: 0, vision: 0 });
    expect((d.people as PeopleFake).calls).toEqual([]);
    expect(finalWrite()).toBeUndefined();
  });

  it('analyses once when the same message is delivered twice, one after the other', async () => {
    const { deps: d, analysed } = deps();
    const outcomes = [];
    for (const count of [1, 2])
      outcomes.push((await processSourceObject(regroupOf('run-1'), { count, last: false }, d)).outcome);
    expect(outcomes).toEqual(['PROCESSED', 'SKIPPED']);
    expect(analysed).toEqual({ reads: 1, vision: 1 });
  });

  it('regroups an image an earlier run marked: another run is another request', async () => {
    record = final('run-0');
    const { deps: d, analysed } = deps();
    await expect(processSourceObject(regroupOf('run-1'), { count: 1, last: false }, d)).resolves.toMatchObject({
      outcome: 'PROCESSED',
    });
    expect(analysed.vision).toBe(1);
    expect(record.reprocessedBy).toBe('run-1');
  });

  it('marks a reprocess run too, and leaves a backfill that does not re-analyse unmarked', async () => {
    record = { ...final(), analysisVersion: '0.9.0' };
    const { deps: d } = deps();
    await processSourceObject({ ...regroupOf('run-2'), regroupFaces: false }, { count: 1, last: false }, d);
    expect(record.reprocessedBy).toBe('run-2');
    record = { ...final(), status: 'FAILED' };
    dynamo.resetHistory();
    await processSourceObject(
      { ...regroupOf('run-3'), regroupFaces: false, reprocess: false },
      { count: 1, last: false },
      d,
    );
    expect(record.status).toBe('PROCESSED');
    expect(finalWrite()?.UpdateExpression).toMatch(/ REMOVE .*#r_reprocessedBy/);
  });
});
