import { Readable } from 'node:stream';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { GetObjectCommand, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
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
import { fixture } from '../../../../fixtures';
import { schemaErrors } from '../../../../support/event-schemas';
import { loadProcessor } from '../../../../support/processor-harness';
import { s3Notification, sqsEvent, sqsRecord } from '../../../../support/sqs-events';

/** A write to the records table (the processor's steps write to their rooms' tables too). */
const onRecords = (call: { args: readonly [{ input: { TableName?: string } }, ...unknown[]] }) =>
  call.args[0].input.TableName === process.env.TABLE_NAME;

const invoke = loadProcessor({ thumbnailSizes: '64,256', maxUploadBytes: 2_000_000, maxRawUploadBytes: 2_000_000 });

const s3 = mockClient(S3Client);
const dynamo = mockClient(DynamoDBDocumentClient);
const events = mockClient(EventBridgeClient);

const ID = '01JD3W7Q1ZK7Y6G5S4R3P2N1M0';
const KEY = `uploads/${ID}.jpg`;
const body = (bytes: Buffer) => sdkStreamMixin(Readable.from([bytes]));

/** The object under `key` is these bytes, with this ETag. */
/** The record POST /uploads left for KEY, owned by `owner`. */
function pendingRecord(owner: string) {
  return {
    imageId: ID,
    entity: 'IMAGE',
    status: 'PENDING',
    owner,
    createdAt: '2025-01-02T03:04:05.000Z',
    updatedAt: '2025-01-02T03:04:05.000Z',
    bucket: 'images',
    key: KEY,
  };
}

function stored(bytes: Buffer, key = KEY, etag = '"etag-1"') {
  s3.on(GetObjectCommand, { Key: key }).callsFake(() => ({
    Body: body(bytes),
    ETag: etag,
    ContentLength: bytes.length,
  }));
}

/** The final write's item as it reads back: a Map (how the store hands metadata to the marshaller) is a map again. */
function finalItem() {
  const update = dynamo
    .commandCalls(UpdateCommand)
    .filter(onRecords)
    .find((call) => call.args[0].input.UpdateExpression?.startsWith('SET'));
  if (!update) throw new Error('no item was written');
  const { ExpressionAttributeNames: names = {}, ExpressionAttributeValues: values = {} } = update.args[0].input;
  const item: Record<string, unknown> = { ...update.args[0].input.Key };
  for (const [alias, name] of Object.entries(names)) {
    const value = values[alias.replace('#', ':')];
    if (value !== undefined) item[name] = value instanceof Map ? Object.fromEntries(value) : value;
  }
  return item;
}

/** The record reads back as `first`, then as the final write left it (the index checks its postings against it). */
function recordAsWritten(first: Record<string, unknown>) {
  dynamo.on(GetCommand).callsFake(() => {
    const written = dynamo
      .commandCalls(UpdateCommand)
      .filter(onRecords)
      .some((call) => call.args[0].input.UpdateExpression?.startsWith('SET'));
    return { Item: written ? { ...first, ...finalItem() } : first };
  });
}

function published() {
  return events.commandCalls(PutEventsCommand).flatMap((call) =>
    (call.args[0].input.Entries ?? []).map((entry) => ({
      detailType: entry.DetailType as string,
      detail: JSON.parse(entry.Detail as string),
      source: entry.Source,
      bus: entry.EventBusName,
    })),
  );
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

/** The search postings the processor put and deleted, by partition key. */
function postingWrites() {
  const requests = dynamo
    .commandCalls(BatchWriteCommand)
    .flatMap((call) => Object.values(call.args[0].input.RequestItems ?? {}).flat());
  return {
    put: requests.flatMap((r) => (r.PutRequest ? [r.PutRequest.Item as Record<string, unknown>] : [])),
    deleted: requests.flatMap((r) => (r.DeleteRequest ? [String(r.DeleteRequest.Key?.term)] : [])),
  };
}

describe('processor search indexing', () => {
  it("files a processed image's postings under its owner, after the final write, and records their terms", async () => {
    stored(fixture('photos/pier.jpg'));
    recordAsWritten(pendingRecord('alice'));
    await invoke(sqsEvent(sqsRecord(s3Notification({ key: KEY }))));
    const { put, deleted } = postingWrites();
    const terms = finalItem().indexedTerms as string[];
    expect(terms).toEqual(expect.arrayContaining(['all', 'status=PROCESSED', 'format=jpeg', 'orientation=landscape']));
    expect(put.map((p) => p.term)).toHaveLength(terms.length);
    expect(put.every((p) => String(p.term).startsWith('alice#') && p.imageId === ID)).toBe(true);
    expect(put.find((p) => String(p.term).startsWith('alice#phash0='))).toMatchObject({
      phash: expect.stringMatching(/^[0-9a-f]{16}$/),
    });
    expect(put.find((p) => String(p.term).startsWith('alice#all#'))?.facets).toEqual(
      expect.arrayContaining(['all', 'format=jpeg']),
    );
    expect(deleted).toEqual([]);
  });

  it('removes the postings of terms the earlier version had and this one has not, and says so until done', async () => {
    stored(fixture('photos/pier.jpg'));
    recordAsWritten({
      ...pendingRecord('alice'),
      status: 'PROCESSED',
      etag: '"old"',
      indexedTerms: ['all', 'word=gone'],
    });
    await invoke(sqsEvent(sqsRecord(s3Notification({ key: KEY }))));
    expect(finalItem().unindexTerms).toEqual(['word=gone']);
    expect(postingWrites().deleted).toEqual([expect.stringMatching(/^alice#word=gone#\d+$/)]);
    expect(dynamo).toHaveReceivedCommandWith(UpdateCommand, {
      UpdateExpression: 'REMOVE eventPending, eventPendingFrom, unindexTerms',
    });
  });

  it('writes the postings again from the record when a retry finds the final write done but the event not out', async () => {
    stored(fixture('photos/pier.jpg'));
    dynamo.on(GetCommand).resolves({
      Item: {
        ...finalRecord('PROCESSED'),
        owner: 'alice',
        eventPending: true,
        indexedTerms: ['all', 'status=PROCESSED'],
        unindexTerms: ['word=gone'],
      },
    });
    await invoke(sqsEvent(sqsRecord(s3Notification({ key: KEY }))));
    const { put, deleted } = postingWrites();
    expect(put.map((p) => String(p.term).replace(/#\d+$/, ''))).toEqual(['alice#all', 'alice#status=PROCESSED']);
    expect(deleted).toEqual([expect.stringMatching(/^alice#word=gone#/)]);
  });

  it("keeps a person's label corrections when the image is processed again, and indexes them", async () => {
    stored(fixture('photos/pier.jpg'));
    const labelCorrections = { added: [{ name: 'Harbour', at: '2026-11-22T10:00:00.000Z' }], removed: [] };
    dynamo.on(GetCommand).resolves({ Item: { ...pendingRecord('alice'), labelCorrections } });
    await invoke(sqsEvent(sqsRecord(s3Notification({ key: KEY }))));
    const update = dynamo
      .commandCalls(UpdateCommand)
      .filter(onRecords)
      .find((call) => call.args[0].input.UpdateExpression?.startsWith('SET'));
    expect(update?.args[0].input.UpdateExpression).toContain(
      '#labelCorrections = if_not_exists(#labelCorrections, :labelCorrections)',
    );
    expect(finalItem().indexedTerms).toEqual(expect.arrayContaining(['label=harbour', 'labelSource=user']));
  });

  it("keeps its owner's tags, date taken and favourite when the image is processed again: the timeline and terms follow them", async () => {
    stored(fixture('photos/pier.jpg'));
    const takenCorrection = { takenAt: '2001-02-03T04:05:06', offset: '+01:00', at: '2026-11-28T10:00:00.000Z' };
    const edits = { tags: ['Edited'], takenCorrection, favourite: true };
    dynamo.on(GetCommand).resolves({ Item: { ...pendingRecord('alice'), ...edits } });
    await invoke(sqsEvent(sqsRecord(s3Notification({ key: KEY }))));
    const update = dynamo
      .commandCalls(UpdateCommand)
      .filter(onRecords)
      .find((call) => call.args[0].input.UpdateExpression?.startsWith('SET'));
    expect(update?.args[0].input.UpdateExpression).toContain(
      '#takenCorrection = if_not_exists(#takenCorrection, :takenCorrection)',
    );
    expect(update?.args[0].input.ExpressionAttributeValues).toMatchObject({ ':takenCorrection': takenCorrection });
    expect(finalItem()).toMatchObject({ takenKey: expect.stringMatching(/^2001-02-03T04:05:06#/) });
    expect(finalItem().indexedTerms).toEqual(expect.arrayContaining(['tag=edited', 'taken=2001', 'favourite=true']));
  });

  it('indexes nothing for an image without an owner', async () => {
    stored(fixture('photos/pier.jpg'));
    await invoke(sqsEvent(sqsRecord(s3Notification({ key: KEY }))));
    expect(dynamo).not.toHaveReceivedCommand(BatchWriteCommand);
    expect(finalItem()).not.toHaveProperty('indexedTerms');
  });

  it('fails the message, to be retried, when the postings cannot be written, and publishes nothing', async () => {
    stored(fixture('photos/pier.jpg'));
    dynamo.on(GetCommand).resolves({ Item: pendingRecord('alice') });
    dynamo
      .on(BatchWriteCommand)
      .rejects(Object.assign(new Error('throttled'), { name: 'ProvisionedThroughputExceededException' }));
    const response = await invoke(sqsEvent(sqsRecord(s3Notification({ key: KEY }))));
    expect(response.batchItemFailures).toHaveLength(1);
    expect(published()).toEqual([]);
    expect(finalItem()).toMatchObject({ status: 'PROCESSED', eventPending: true });
  });
});

describe('processor handler', () => {
  it('analyses a photo, writes its thumbnails, its eager card and record, and publishes Image Processed', async () => {
    stored(fixture('photos/pier.jpg'));
    const response = await invoke(sqsEvent(sqsRecord(s3Notification({ key: KEY }))));

    expect(response.batchItemFailures).toEqual([]);
    const puts = s3.commandCalls(PutObjectCommand).map((call) => call.args[0].input);
    const [card, ...thumbnails] = puts.map((put) => put.Key).sort();
    expect(thumbnails).toEqual([`thumbnails/${ID}/256.webp`, `thumbnails/${ID}/64.webp`]);
    // The default settings' `card` preset is eager.
    expect(card).toMatch(new RegExp(`^renditions/${ID}/[0-9a-f]{16}\\.webp$`));
    expect(puts.every((put) => put.ContentType === 'image/webp')).toBe(true);
    const item = finalItem();
    expect(item).toMatchObject({ status: 'PROCESSED', etag: '"etag-1"', key: KEY, eventPending: true });
    // The message whose run stored it, so that message's own retry publishes without waiting (event-in-flight.ts).
    expect(item.eventPendingFrom).toEqual(expect.any(String));
    expect(item.eagerRenditions).toEqual({ card });
    expect(item.sha256).toMatch(/^[0-9a-f]{64}$/);
    const [event] = published();
    expect(event).toMatchObject({ detailType: 'Image Processed', source: 'image-intel', bus: 'image-events' });
    expect(event?.detail).toMatchObject({ version: 1, imageId: ID, status: 'PROCESSED', summary: { format: 'jpeg' } });
    expect(schemaErrors('Image Processed', event?.detail)).toEqual([]);
    // The flag that makes a crash between write and publish repairable is cleared once the event is out.
    expect(dynamo).toHaveReceivedCommandWith(UpdateCommand, {
      UpdateExpression: 'REMOVE eventPending, eventPendingFrom, unindexTerms',
    });
  });

  it.each([
    ['a photo', 'photos/pier.jpg', 'Image Processed'],
    ['a non-image', 'bad/text.jpg', 'Image Rejected'],
  ])(
    'keeps the owner, tags and metadata of the upload of %s and carries them in %s',
    async (_kind, file, detailType) => {
      const recorded = {
        owner: 'alice',
        tags: ['pier', 'sea'],
        metadata: { album: 'summer', 'camera.model': 'X100' },
      };
      dynamo.on(GetCommand).resolves({
        Item: {
          imageId: ID,
          entity: 'IMAGE',
          status: 'PENDING',
          createdAt: '2025-01-02T03:04:05.000Z',
          updatedAt: '2025-01-02T03:04:05.000Z',
          bucket: 'images',
          key: KEY,
          ...recorded,
        },
      });
      stored(fixture(file));
      await invoke(sqsEvent(sqsRecord(s3Notification({ key: KEY }))));
      expect(finalItem()).toMatchObject(recorded);
      const [event] = published();
      expect(event?.detailType).toBe(detailType);
      expect(event?.detail).toMatchObject(recorded);
      expect(schemaErrors(detailType, event?.detail)).toEqual([]);
    },
  );

  it('does not fail (and so republish) a message whose event went out but whose pending flag could not be cleared', async () => {
    stored(fixture('photos/pier.jpg'));
    dynamo
      .on(UpdateCommand, { UpdateExpression: 'REMOVE eventPending, eventPendingFrom, unindexTerms' })
      .rejects(slowDown());
    const response = await invoke(sqsEvent(sqsRecord(s3Notification({ key: KEY }))));
    expect(response.batchItemFailures).toEqual([]);
    expect(published().map((e) => e.detailType)).toEqual(['Image Processed']);
  });

  it('publishes the very same event, id and time, when a retry after the event went out publishes it again', async () => {
    stored(fixture('photos/pier.jpg'));
    dynamo.on(GetCommand).resolves({ Item: pendingRecord('alice') });
    await invoke(sqsEvent(sqsRecord(s3Notification({ key: KEY }))));
    // The event went out, but the run failed before its flag was cleared (a sink refused it, the process died):
    // the retry, later, finds the record stored and its event pending, and can only publish it again.
    const record = finalItem();
    dynamo.on(GetCommand).resolves({ Item: { ...record, eventPending: true } });
    await new Promise((resolve) => setTimeout(resolve, 5));
    const retry = await invoke(sqsEvent(sqsRecord(s3Notification({ key: KEY }), { receiveCount: 5 })));
    expect(retry.batchItemFailures).toEqual([]);
    const [first, again] = published();
    expect(again).toEqual(first);
    expect(first?.detail).toMatchObject({
      occurredAt: record.updatedAt,
      eventId: expect.stringMatching(/^msg_[0-9]{8}T[0-9]{9}Z_[0-9a-f]{20}$/),
    });
  });

  it('gives a new version of the image an event of its own id', async () => {
    stored(fixture('photos/pier.jpg'));
    dynamo.on(GetCommand).resolves({ Item: pendingRecord('alice') });
    await invoke(sqsEvent(sqsRecord(s3Notification({ key: KEY }))));
    dynamo.on(GetCommand).resolves({ Item: { ...finalItem(), eventPending: undefined } });
    stored(fixture('photos/pier.jpg'), KEY, '"etag-2"');
    await new Promise((resolve) => setTimeout(resolve, 5));
    await invoke(sqsEvent(sqsRecord(s3Notification({ key: KEY }))));
    const [first, second] = published();
    expect(second?.detail.eventId).toEqual(expect.any(String));
    expect(second?.detail.eventId).not.toBe(first?.detail.eventId);
  });

  it('skips the s3:TestEvent S3 sends when the notification is configured', async () => {
    const test = JSON.stringify({ Service: 'Amazon S3', Event: 's3:TestEvent', Bucket: 'images' });
    const response = await invoke(sqsEvent(sqsRecord(test)));
    expect(response.batchItemFailures).toEqual([]);
    expect(s3.calls()).toHaveLength(0);
    expect(dynamo.calls()).toHaveLength(0);
  });

  it('decodes + and %-escapes in the notification key before reading the object', async () => {
    stored(fixture('photos/pier.jpg'), 'uploads/my photo (1).jpg');
    const message = s3Notification({ key: 'uploads/my+photo+%281%29.jpg' });
    const response = await invoke(sqsEvent(sqsRecord(message)));
    expect(response.batchItemFailures).toEqual([]);
    expect(s3).toHaveReceivedCommandWith(GetObjectCommand, { Bucket: 'images', Key: 'uploads/my photo (1).jpg' });
    // Not an API upload: the image id is derived from the event, the same on every replay of it.
    const first = finalItem().imageId;
    expect(first).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    dynamo.resetHistory();
    await invoke(sqsEvent(sqsRecord(message)));
    expect(finalItem().imageId).toBe(first);
  });

  it('does nothing for a replayed event whose version is already final', async () => {
    stored(fixture('photos/pier.jpg'));
    dynamo.on(GetCommand).resolves({ Item: finalRecord('PROCESSED') });
    const response = await invoke(sqsEvent(sqsRecord(s3Notification({ key: KEY }))));
    expect(response.batchItemFailures).toEqual([]);
    expect(dynamo).not.toHaveReceivedCommand(UpdateCommand);
    expect(s3).not.toHaveReceivedCommand(PutObjectCommand);
    expect(published()).toEqual([]);
  });

  it('publishes once when a concurrent delivery of the same version wrote first', async () => {
    stored(fixture('photos/pier.jpg'));
    dynamo
      .on(UpdateCommand)
      .rejects(new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} }));
    const response = await invoke(sqsEvent(sqsRecord(s3Notification({ key: KEY }))));
    expect(response.batchItemFailures).toEqual([]);
    expect(published()).toEqual([]);
  });

  it('publishes the event a crashed run left pending, without analysing again', async () => {
    stored(fixture('photos/pier.jpg'));
    dynamo.on(GetCommand).resolves({ Item: { ...finalRecord('REJECTED'), eventPending: true } });
    await invoke(sqsEvent(sqsRecord(s3Notification({ key: KEY }))));
    expect(published().map((e) => e.detailType)).toEqual(['Image Rejected']);
    expect(s3).not.toHaveReceivedCommand(PutObjectCommand);
    expect(dynamo).toHaveReceivedCommandWith(UpdateCommand, {
      UpdateExpression: 'REMOVE eventPending, eventPendingFrom, unindexTerms',
    });
  });

  it('leaves the event to the delivery that stored the record moments ago: retried, nothing published twice', async () => {
    stored(fixture('photos/pier.jpg'));
    const justNow = new Date(Date.now() - 2_000).toISOString();
    dynamo.on(GetCommand).resolves({ Item: { ...finalRecord('REJECTED'), updatedAt: justNow, eventPending: true } });
    const message = sqsRecord(s3Notification({ key: KEY }));
    const response = await invoke(sqsEvent(message));
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: message.messageId }]);
    expect(published()).toEqual([]);
    expect(dynamo).not.toHaveReceivedCommandWith(UpdateCommand, {
      UpdateExpression: 'REMOVE eventPending, eventPendingFrom, unindexTerms',
    });
  });

  it("publishes at once a record its own message's earlier delivery stored: that run is over, whatever the time", async () => {
    // The local runner gives a failed message back within seconds: waiting on its own earlier run would spend its
    // receives, and the last would send the image to the DLQ with its event unpublished.
    stored(fixture('photos/pier.jpg'));
    const justNow = new Date(Date.now() - 2_000).toISOString();
    const pending = { ...finalRecord('REJECTED'), updatedAt: justNow, eventPending: true, eventPendingFrom: 'm-1' };
    dynamo.on(GetCommand).resolves({ Item: pending });
    const response = await invoke(
      sqsEvent(sqsRecord(s3Notification({ key: KEY }), { receiveCount: 2, messageId: 'm-1' })),
    );
    expect(response.batchItemFailures).toEqual([]);
    expect(published().map((e) => e.detailType)).toEqual(['Image Rejected']);
  });

  it('publishes a record pending for moments on the last attempt, rather than send the message to the DLQ', async () => {
    stored(fixture('photos/pier.jpg'));
    const justNow = new Date(Date.now() - 2_000).toISOString();
    dynamo.on(GetCommand).resolves({ Item: { ...finalRecord('REJECTED'), updatedAt: justNow, eventPending: true } });
    const response = await invoke(sqsEvent(sqsRecord(s3Notification({ key: KEY }), { receiveCount: 5 })));
    expect(response.batchItemFailures).toEqual([]);
    expect(published().map((e) => e.detailType)).toEqual(['Image Rejected']);
  });

  it('records a non-image as REJECTED with an Image Rejected event, and does not retry it', async () => {
    stored(fixture('bad/text.jpg'));
    const response = await invoke(sqsEvent(sqsRecord(s3Notification({ key: KEY }))));
    expect(response.batchItemFailures).toEqual([]);
    expect(finalItem()).toMatchObject({ status: 'REJECTED', rejection: { code: 'UNSUPPORTED_FORMAT' } });
    expect(s3).not.toHaveReceivedCommand(PutObjectCommand);
    const [event] = published();
    expect(event?.detailType).toBe('Image Rejected');
    expect(schemaErrors('Image Rejected', event?.detail)).toEqual([]);
  });

  it('rejects an object over the byte limit without reading its body', async () => {
    const destroy = jest.fn();
    s3.on(GetObjectCommand).resolves({ Body: { destroy } as never, ETag: '"big"', ContentLength: 3_000_000 });
    const response = await invoke(sqsEvent(sqsRecord(s3Notification({ key: KEY }))));
    expect(response.batchItemFailures).toEqual([]);
    expect(destroy).toHaveBeenCalled();
    expect(finalItem()).toMatchObject({ status: 'REJECTED', size: 3_000_000, rejection: { code: 'FILE_TOO_LARGE' } });
  });

  it('fails only the message whose object could not be read, so SQS retries just that one', async () => {
    const other = '01JD3W7Q1ZK7Y6G5S4R3P2N1M1';
    stored(fixture('photos/pier.jpg'));
    s3.on(GetObjectCommand, { Key: `uploads/${other}.jpg` }).rejects(slowDown());
    const response = await invoke(
      sqsEvent(
        sqsRecord(s3Notification({ key: KEY }), { messageId: 'good' }),
        sqsRecord(s3Notification({ key: `uploads/${other}.jpg` }), { messageId: 'bad' }),
      ),
    );
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'bad' }]);
    expect(published().map((e) => e.detail.imageId)).toEqual([ID]);
    // Not the last attempt: no FAILED record yet.
    expect(
      dynamo
        .commandCalls(UpdateCommand)
        .filter(onRecords)
        .filter((c) => c.args[0].input.Key?.imageId === other),
    ).toEqual([]);
  });

  it('records FAILED and publishes Image Failed on the last attempt, and still fails the message for the DLQ', async () => {
    s3.on(GetObjectCommand).rejects(slowDown());
    const response = await invoke(
      sqsEvent(sqsRecord(s3Notification({ key: KEY }), { receiveCount: 5, messageId: 'm' })),
    );
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'm' }]);
    expect(finalItem()).toMatchObject({ status: 'FAILED', attempts: 5, error: { code: 'SlowDown' } });
    const [event] = published();
    expect(event?.detailType).toBe('Image Failed');
    expect(schemaErrors('Image Failed', event?.detail)).toEqual([]);
  });

  it('fails a message that is not an S3 notification without touching anything', async () => {
    const response = await invoke(sqsEvent(sqsRecord('{"hello":', { messageId: 'poison' })));
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'poison' }]);
    expect(s3.calls()).toHaveLength(0);
    expect(dynamo.calls()).toHaveLength(0);
  });

  it('treats an object deleted before processing as done', async () => {
    s3.on(GetObjectCommand).rejects(Object.assign(new Error('gone'), { name: 'NoSuchKey' }));
    const response = await invoke(sqsEvent(sqsRecord(s3Notification({ key: KEY }))));
    expect(response.batchItemFailures).toEqual([]);
    expect(dynamo.calls()).toHaveLength(0);
  });

  it('marks an image whose bytes its owner uploaded before with duplicateOf the oldest one', async () => {
    const earlier = '01JD3W7Q1ZK7Y6G5S4R3P2N0AA';
    stored(fixture('photos/pier.jpg'));
    dynamo.on(GetCommand).resolves({ Item: pendingRecord('alice') });
    dynamo.on(QueryCommand).resolves({ Items: [{ imageId: earlier }] });
    await invoke(sqsEvent(sqsRecord(s3Notification({ key: KEY }))));
    expect(finalItem()).toMatchObject({ duplicateOf: earlier, owner: 'alice' });
    expect(published()[0]?.detail.summary.duplicateOf).toBe(earlier);
    const query = dynamo.commandCalls(QueryCommand)[0]?.args[0].input;
    expect(query).toMatchObject({ IndexName: 'byOwnerSha256' });
    expect(query?.ExpressionAttributeValues?.[':sha']).toMatch(/^alice#[0-9a-f]{64}$/);
  });

  it('looks for no duplicates of an image without an owner (no upload URL was issued for it)', async () => {
    stored(fixture('photos/pier.jpg'));
    await invoke(sqsEvent(sqsRecord(s3Notification({ key: KEY }))));
    expect(finalItem()).not.toHaveProperty('duplicateOf');
    expect(dynamo).not.toHaveReceivedCommand(QueryCommand);
  });

  it('records FAILED under the owner even when the object could not be read, reading the owner first', async () => {
    dynamo.on(GetCommand).resolves({ Item: pendingRecord('alice') });
    s3.on(GetObjectCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDenied' }));
    await invoke(sqsEvent(sqsRecord(s3Notification({ key: KEY }), { receiveCount: 5 })));
    expect(finalItem()).toMatchObject({
      status: 'FAILED',
      owner: 'alice',
      ownerStatusShard: expect.stringMatching(/^alice#FAILED#/),
    });
    expect(published()[0]?.detail).toMatchObject({ owner: 'alice', status: 'FAILED' });
  });

  it('ignores records outside uploads/ (its own thumbnails, if a notification were misconfigured)', async () => {
    const response = await invoke(sqsEvent(sqsRecord(s3Notification({ key: `thumbnails/${ID}/64.webp` }))));
    expect(response.batchItemFailures).toEqual([]);
    expect(s3.calls()).toHaveLength(0);
  });
});

function finalRecord(status: 'PROCESSED' | 'REJECTED') {
  return {
    imageId: ID,
    entity: 'IMAGE',
    status,
    createdAt: '2026-11-22T10:00:00.000Z',
    updatedAt: '2026-11-22T10:00:01.000Z',
    bucket: 'images',
    key: KEY,
    etag: '"etag-1"',
    size: 10,
    sha256: 'a'.repeat(64),
    rejection: status === 'REJECTED' ? { code: 'CORRUPT_IMAGE', message: 'broken' } : undefined,
  };
}

function slowDown() {
  return new S3ServiceException({ name: 'SlowDown', $fault: 'server', $metadata: { httpStatusCode: 503 } });
}
