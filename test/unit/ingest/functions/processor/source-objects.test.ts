import { Readable } from 'node:stream';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import {
  DeleteObjectsCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import {
  BatchWriteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { sdkStreamMixin } from '@smithy/util-stream';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { runCounterKey, runShardOf } from '../../../../../lambdas/backfill/run-keys';
import { sourceImageId } from '../../../../../lambdas/backfill/source-object';
import { ANALYSIS_VERSION } from '../../../../../lambdas/core/record';
import { fixture } from '../../../../fixtures';
import { searchableItem } from '../../../../support/items';
import { loadProcessor } from '../../../../support/processor-harness';
import { sqsEvent, sqsRecord } from '../../../../support/sqs-events';

const invoke = loadProcessor({ thumbnailSizes: '64,256', maxUploadBytes: 2_000_000 });

const s3 = mockClient(S3Client);
const dynamo = mockClient(DynamoDBDocumentClient);
const events = mockClient(EventBridgeClient);

const KEY = 'holiday 2019/pier + sea 100%.jpg';
const MODIFIED = '2019-08-01T10:11:12.000Z';
const ID = sourceImageId('photos', KEY, new Date(MODIFIED));

/** What a backfill's batch sends for one listed object (backfill/source-object.ts). */
function message(overrides: { key?: string; size?: number; etag?: string; reprocess?: boolean; owner?: string } = {}) {
  return JSON.stringify({
    sourceObject: 1,
    run: 'run-1',
    bucket: 'photos',
    owner: overrides.owner ?? 'alice',
    reprocess: overrides.reprocess ?? false,
    object: {
      Key: overrides.key ?? KEY,
      Size: overrides.size ?? 1000,
      Etag: overrides.etag ?? '"etag-1"',
      LastModified: Date.parse(MODIFIED) / 1000,
      StorageClass: 'STANDARD',
    },
  });
}

function stored(bytes: Buffer, etag = '"etag-1"') {
  s3.on(GetObjectCommand, { Bucket: 'photos', Key: KEY }).callsFake(() => ({
    Body: sdkStreamMixin(Readable.from([bytes])),
    ETag: etag,
    ContentLength: bytes.length,
  }));
}

const finalWrite = () =>
  dynamo.commandCalls(UpdateCommand).find((call) => call.args[0].input.UpdateExpression?.startsWith('SET'))?.args[0]
    .input;

/** What the write set, by attribute name. */
function written(): Record<string, unknown> {
  const input = finalWrite();
  if (!input) throw new Error('no item was written');
  const item: Record<string, unknown> = { ...input.Key };
  for (const [alias, name] of Object.entries(input.ExpressionAttributeNames ?? {})) {
    const value = input.ExpressionAttributeValues?.[alias.replace('#', ':')];
    if (value !== undefined) item[name] = value;
  }
  return item;
}

/** The run counters the processor added to: `<key> <outcome>`. */
const counted = () =>
  dynamo
    .commandCalls(UpdateCommand)
    .filter((call) => call.args[0].input.UpdateExpression === 'ADD #outcome :one')
    .map((call) => `${call.args[0].input.Key?.imageId} ${call.args[0].input.ExpressionAttributeNames?.['#outcome']}`);

const finalRecord = (extra: Record<string, unknown> = {}) => ({
  imageId: ID,
  entity: 'IMAGE',
  status: 'PROCESSED',
  owner: 'alice',
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  bucket: 'images',
  sourceBucket: 'photos',
  key: KEY,
  etag: '"etag-1"',
  analysisVersion: ANALYSIS_VERSION,
  ...extra,
});

beforeEach(() => {
  s3.reset();
  dynamo.reset();
  events.reset();
  s3.on(PutObjectCommand).resolves({});
  dynamo.on(GetCommand).resolves({});
  dynamo.on(QueryCommand).resolves({ Items: [] });
  dynamo.on(UpdateCommand).resolves({});
  dynamo.on(BatchWriteCommand).resolves({});
  events.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] });
});

describe('processing an object a backfill sent', () => {
  it('reads it where it is, writes thumbnails to the pipeline bucket, and records it once under its derived id', async () => {
    stored(fixture('photos/pier.jpg'));
    expect(await invoke(sqsEvent(sqsRecord(message())))).toEqual({ batchItemFailures: [] });
    expect(s3).toHaveReceivedCommandWith(GetObjectCommand, { Bucket: 'photos', Key: KEY });
    const puts = s3
      .commandCalls(PutObjectCommand)
      .map((call) => `${call.args[0].input.Bucket}/${call.args[0].input.Key}`);
    expect(puts).toEqual(
      expect.arrayContaining([`images/thumbnails/${ID}/64.webp`, `images/thumbnails/${ID}/256.webp`]),
    );
    expect(puts.filter((put) => put.startsWith('photos/'))).toEqual([]);
    expect(written()).toMatchObject({
      imageId: ID,
      status: 'PROCESSED',
      bucket: 'images',
      sourceBucket: 'photos',
      key: KEY,
      owner: 'alice',
      filename: 'pier + sea 100%.jpg',
      analysisVersion: ANALYSIS_VERSION,
    });
    const detail = JSON.parse(events.commandCalls(PutEventsCommand)[0]?.args[0].input.Entries?.[0]?.Detail as string);
    expect(detail).toMatchObject({ imageId: ID, bucket: 'photos', key: KEY, status: 'PROCESSED' });
    expect(counted()).toEqual([`${runCounterKey('run-1', runShardOf(ID))} processed`]);
  });

  it('skips a folder placeholder without reading it or recording anything, and counts it', async () => {
    expect(await invoke(sqsEvent(sqsRecord(message({ key: 'holiday 2019/', size: 0 }))))).toEqual({
      batchItemFailures: [],
    });
    expect(s3).not.toHaveReceivedCommand(GetObjectCommand);
    expect(finalWrite()).toBeUndefined();
    expect(counted()).toEqual([`${runCounterKey('run-1', runShardOf('holiday 2019/'))} placeholders`]);
  });

  it('skips an object whose record is final for the same version, without reading it (a second run)', async () => {
    dynamo.on(GetCommand).resolves({ Item: finalRecord() });
    await invoke(sqsEvent(sqsRecord(message())));
    expect(s3).not.toHaveReceivedCommand(GetObjectCommand);
    expect(finalWrite()).toBeUndefined();
    expect(events).not.toHaveReceivedCommand(PutEventsCommand);
    expect(counted()).toEqual([expect.stringMatching(/ skipped$/)]);
  });

  it('skips it on --reprocess too when the record came from this analysis version', async () => {
    dynamo.on(GetCommand).resolves({ Item: finalRecord() });
    await invoke(sqsEvent(sqsRecord(message({ reprocess: true }))));
    expect(s3).not.toHaveReceivedCommand(GetObjectCommand);
    expect(counted()).toEqual([expect.stringMatching(/ skipped$/)]);
  });

  it('analyses it again on --reprocess when the record is older, keeping corrections, tags and owner', async () => {
    stored(fixture('photos/pier.jpg'));
    const labelCorrections = { added: [{ name: 'Harbour', at: '2026-11-22T10:00:00.000Z' }], removed: [] };
    dynamo.on(GetCommand).resolves({
      Item: finalRecord({ analysisVersion: '0.9.0', tags: ['sea'], labelCorrections, indexedTerms: ['all'] }),
    });
    await invoke(sqsEvent(sqsRecord(message({ reprocess: true, owner: 'someone-else' }))));
    const input = finalWrite();
    expect(input?.ConditionExpression).toContain('#analysisVersion <> :analysisVersion');
    expect(input?.UpdateExpression).toContain(
      '#labelCorrections = if_not_exists(#labelCorrections, :labelCorrections)',
    );
    expect(written()).toMatchObject({ owner: 'alice', analysisVersion: ANALYSIS_VERSION, tags: ['sea'] });
    expect(events).toHaveReceivedCommand(PutEventsCommand);
    expect(counted()).toEqual([expect.stringMatching(/ processed$/)]);
  });

  it('deletes the renditions of the older analysis once the new record is stored, and none it just made', async () => {
    stored(fixture('photos/pier.jpg'));
    const analysis = { ...searchableItem().analysis, analysisVersion: '0.9.0' };
    dynamo.on(GetCommand).resolves({ Item: finalRecord({ analysisVersion: '0.9.0', analysis }) });
    const prefix = `renditions/${ID}/`;
    s3.on(ListObjectsV2Command, { Bucket: 'images', Prefix: prefix }).callsFake(() => ({
      Contents: [
        { Key: `${prefix}0123456789abcdef.webp`, LastModified: new Date('2026-01-01T00:00:00Z') },
        ...Object.values(written()?.eagerRenditions ?? {}).map((Key) => ({ Key, LastModified: new Date(0) })),
      ],
      IsTruncated: false,
    }));
    s3.on(DeleteObjectsCommand).resolves({});
    await invoke(sqsEvent(sqsRecord(message({ reprocess: true }))));
    expect(written()?.eagerRenditions).toBeDefined();
    const deleted = s3.commandCalls(DeleteObjectsCommand).flatMap((call) => call.args[0].input.Delete?.Objects ?? []);
    expect(deleted).toEqual([{ Key: `${prefix}0123456789abcdef.webp` }]);
  });

  it('takes a regroupFaces message for a reprocess where face grouping is off: this analysis version is skipped', async () => {
    dynamo.on(GetCommand).resolves({ Item: finalRecord() });
    const body = JSON.parse(message());
    await invoke(sqsEvent(sqsRecord(JSON.stringify({ ...body, regroupFaces: true }))));
    expect(s3).not.toHaveReceivedCommand(GetObjectCommand);
    expect(counted()).toEqual([expect.stringMatching(/ skipped$/)]);
  });

  it('without --reprocess leaves a record of an older analysis as it is', async () => {
    dynamo.on(GetCommand).resolves({ Item: finalRecord({ analysisVersion: '0.9.0' }) });
    await invoke(sqsEvent(sqsRecord(message())));
    expect(s3).not.toHaveReceivedCommand(GetObjectCommand);
    expect(counted()).toEqual([expect.stringMatching(/ skipped$/)]);
  });

  it("re-analyses an API upload in the pipeline's own bucket under the id its key carries", async () => {
    const uploadId = '01JD3W7Q1ZK7Y6G5S4R3P2N1M0';
    const key = `uploads/${uploadId}.jpg`;
    s3.on(GetObjectCommand, { Bucket: 'images', Key: key }).callsFake(() => ({
      Body: sdkStreamMixin(Readable.from([fixture('photos/pier.jpg')])),
      ETag: '"etag-1"',
      ContentLength: fixture('photos/pier.jpg').length,
    }));
    const body = JSON.parse(message({ key, reprocess: true }));
    await invoke(sqsEvent(sqsRecord(JSON.stringify({ ...body, bucket: 'images' }))));
    expect(dynamo).toHaveReceivedCommandWith(GetCommand, { Key: { imageId: uploadId } });
    expect(written()).toMatchObject({ imageId: uploadId, bucket: 'images', key });
    expect(written()).not.toHaveProperty('sourceBucket');
  });

  it('records a non-image as REJECTED with its reason, and counts it', async () => {
    stored(Buffer.from('this is not an image at all'));
    await invoke(sqsEvent(sqsRecord(message())));
    expect(written()).toMatchObject({ status: 'REJECTED', sourceBucket: 'photos' });
    expect(counted()).toEqual([expect.stringMatching(/ rejected$/)]);
  });

  it('fails a malformed backfill message (to the DLQ after its retries) and counts nothing', async () => {
    const bad = sqsRecord(JSON.stringify({ sourceObject: 1, run: 'run-1', bucket: 'photos', object: { Key: KEY } }));
    expect(await invoke(sqsEvent(bad))).toEqual({ batchItemFailures: [{ itemIdentifier: bad.messageId }] });
    expect(counted()).toEqual([]);
  });
});
