import { Readable } from 'node:stream';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import {
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
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
import {
  SourceObjectMessageSchema,
  sourceImageId,
  toSourceObject,
} from '../../../../../lambdas/backfill/source-object';
import { fixture } from '../../../../fixtures';
import { loadProcessor } from '../../../../support/processor-harness';
import { sqsEvent, sqsRecord } from '../../../../support/sqs-events';

const invoke = loadProcessor({
  thumbnailSizes: '64',
  sourceBuckets: 'photos/2019/=studio,photos/2019/private/=alice,archive=archivist',
  watchSourceBuckets: 'true',
});

const s3 = mockClient(S3Client);
const dynamo = mockClient(DynamoDBDocumentClient);
const events = mockClient(EventBridgeClient);

const KEY = '2019/pier + sea 100%.jpg';
/** When a multipart upload began (LastModified), an hour before it completed and S3 sent its event. */
const MODIFIED = '2019-08-01T10:11:12.000Z';
const COMPLETED = '2019-08-01T11:11:13Z';

/** S3's Object Created event as EventBridge delivers it to the queue (AWS's example, our bucket and key). */
function objectCreated(key = KEY, bucket = 'photos', size = 1000) {
  return JSON.stringify({
    version: '0',
    id: '17793124-05d4-b198-2fde-7ededc63b103',
    'detail-type': 'Object Created',
    source: 'aws.s3',
    account: '123456789012',
    time: COMPLETED,
    region: 'us-east-1',
    resources: [`arn:aws:s3:::${bucket}`],
    detail: {
      version: '0',
      bucket: { name: bucket },
      object: { key, size, etag: 'etag-1', sequencer: '617f08299329d189' },
      'request-id': 'N4N7GDK58NMKJ12R',
      requester: '123456789012',
      reason: 'CompleteMultipartUpload',
    },
  });
}

function stored(bytes: Buffer, key = KEY) {
  s3.on(HeadObjectCommand, { Bucket: 'photos', Key: key }).resolves({
    LastModified: new Date(MODIFIED),
    ETag: '"etag-1"',
    ContentLength: bytes.length,
  });
  s3.on(GetObjectCommand, { Bucket: 'photos', Key: key }).callsFake(() => ({
    Body: sdkStreamMixin(Readable.from([bytes])),
    ETag: '"etag-1"',
    ContentLength: bytes.length,
  }));
}

const finalWrite = () =>
  dynamo.commandCalls(UpdateCommand).find((call) => call.args[0].input.UpdateExpression?.startsWith('SET'))?.args[0]
    .input;

/** The image id a backfill's listing of the same object gives: its SourceObjectMessage, as the map sends it. */
function listedId(lastModified: number | string): string {
  const message = SourceObjectMessageSchema.parse({
    sourceObject: 1,
    run: 'run-1',
    bucket: 'photos',
    owner: 'studio',
    object: { Key: KEY, Size: 1000, Etag: '"etag-1"', LastModified: lastModified, StorageClass: 'STANDARD' },
  });
  const source = toSourceObject(message);
  if (typeof source === 'string') throw new Error(source);
  return sourceImageId(source.bucket, source.key, source.lastModified);
}

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

describe('processing an object a watched source bucket reported', () => {
  it("records it under the id a backfill's listing gives, from its LastModified, not the event's time", async () => {
    stored(fixture('photos/pier.jpg'));
    expect(await invoke(sqsEvent(sqsRecord(objectCreated())))).toEqual({ batchItemFailures: [] });
    // AWS's ItemReader gives epoch seconds, moto an ISO date: the same id either way.
    const id = listedId(Date.parse(MODIFIED) / 1000);
    expect(listedId(MODIFIED)).toBe(id);
    expect(id).not.toBe(sourceImageId('photos', KEY, new Date(COMPLETED)));
    expect(s3).toHaveReceivedCommandWith(HeadObjectCommand, { Bucket: 'photos', Key: KEY });
    expect(finalWrite()?.Key).toEqual({ imageId: id });
    const detail = JSON.parse(events.commandCalls(PutEventsCommand)[0]?.args[0].input.Entries?.[0]?.Detail as string);
    expect(detail).toMatchObject({ imageId: id, bucket: 'photos', key: KEY, status: 'PROCESSED', owner: 'studio' });
  });

  it('reads the key as written: a + and a % in it are not decoded, as a notification would need', async () => {
    stored(fixture('photos/pier.jpg'));
    await invoke(sqsEvent(sqsRecord(objectCreated())));
    expect(s3).toHaveReceivedCommandWith(GetObjectCommand, { Bucket: 'photos', Key: KEY });
  });

  it('gives it the owner of the longest source prefix it falls under', async () => {
    const key = '2019/private/me.jpg';
    stored(fixture('photos/pier.jpg'), key);
    await invoke(sqsEvent(sqsRecord(objectCreated(key))));
    const values = Object.values(finalWrite()?.ExpressionAttributeValues ?? {});
    expect(values).toContain('alice');
    expect(values).not.toContain('studio');
  });

  it('counts it in no backfill run', async () => {
    stored(fixture('photos/pier.jpg'));
    await invoke(sqsEvent(sqsRecord(objectCreated())));
    const counters = dynamo
      .commandCalls(UpdateCommand)
      .filter((call) => String(call.args[0].input.Key?.imageId).startsWith('backfill#'));
    expect(counters).toEqual([]);
  });

  it('keeps a record final for the same version without reading the object (it was backfilled first)', async () => {
    stored(fixture('photos/pier.jpg'));
    dynamo.on(GetCommand).resolves({
      Item: { imageId: listedId(MODIFIED), status: 'PROCESSED', etag: '"etag-1"', analysisVersion: 999 },
    });
    await invoke(sqsEvent(sqsRecord(objectCreated())));
    expect(s3).not.toHaveReceivedCommand(GetObjectCommand);
    expect(finalWrite()).toBeUndefined();
  });

  it('skips a folder placeholder without asking S3', async () => {
    expect(await invoke(sqsEvent(sqsRecord(objectCreated('2019/new folder/', 'photos', 0))))).toEqual({
      batchItemFailures: [],
    });
    expect(s3).not.toHaveReceivedCommand(HeadObjectCommand);
    expect(finalWrite()).toBeUndefined();
  });

  it('does nothing for an object deleted before it was processed', async () => {
    s3.on(HeadObjectCommand).rejects(
      new S3ServiceException({ name: 'NotFound', $fault: 'client', $metadata: { httpStatusCode: 404 } }),
    );
    expect(await invoke(sqsEvent(sqsRecord(objectCreated())))).toEqual({ batchItemFailures: [] });
    expect(s3).not.toHaveReceivedCommand(GetObjectCommand);
    expect(finalWrite()).toBeUndefined();
  });

  it('drops, without retrying, an event of a bucket or prefix that is no source of this deployment', async () => {
    for (const body of [objectCreated(KEY, 'elsewhere'), objectCreated('2018/old.jpg')]) {
      expect(await invoke(sqsEvent(sqsRecord(body)))).toEqual({ batchItemFailures: [] });
    }
    expect(s3).not.toHaveReceivedCommand(HeadObjectCommand);
  });

  it('fails an S3 event without an object key (to the DLQ after its retries)', async () => {
    const bad = sqsRecord(JSON.stringify({ ...JSON.parse(objectCreated()), detail: { bucket: { name: 'photos' } } }));
    expect(await invoke(sqsEvent(bad))).toEqual({ batchItemFailures: [{ itemIdentifier: bad.messageId }] });
  });
});
