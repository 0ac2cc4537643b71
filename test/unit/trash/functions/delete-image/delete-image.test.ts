import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { DeleteObjectsCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import {
  BatchWriteCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { TRASH_EVENTS } from '../../../../../lambdas/trash/events';
import {
  ADMIN_USER,
  type ApiHandler,
  deleteImageEvent,
  invoke,
  OTHER_USER,
  TEST_USER,
  type TestIdentity,
  useApiEnv,
} from '../../../../support/api-events';
import { schemaErrors } from '../../../../support/event-schemas';
import { IDS, imageItem, pendingItem } from '../../../../support/items';

// With no trash (`trashDays` 0) a DELETE deletes for good, as every DELETE did before the trash: what the purge and
// `?permanently=true` do too. The move to the trash is trash.test.ts's.
useApiEnv({ TRASH_DAYS: '0' });
const { handler } = require('../../../../../lambdas/trash/functions/delete-image/handler') as { handler: ApiHandler };

const dynamo = mockClient(DynamoDBDocumentClient);
const s3 = mockClient(S3Client);
const events = mockClient(EventBridgeClient);

const THUMBNAILS = [`thumbnails/${IDS.newer}/128.webp`, `thumbnails/${IDS.newer}/512.webp`];

async function remove(id: string, as?: TestIdentity | null) {
  return invoke(handler, deleteImageEvent(id, undefined, as));
}

/** The item is there and deleting it answers what it held (the results table's: no other table holds it). */
function stored(item = imageItem()) {
  dynamo.on(GetCommand, { TableName: 'images-table' }).resolves({ Item: item });
  dynamo.on(DeleteCommand, { TableName: 'images-table' }).resolves({ Attributes: item });
}

function deletedKeys(call = 0): string[] {
  const input = s3.commandCalls(DeleteObjectsCommand)[call]?.args[0].input;
  return (input?.Delete?.Objects ?? []).map((object) => object.Key as string);
}

describe('DELETE /images/{id}', () => {
  let errors: jest.SpyInstance;
  beforeEach(() => {
    dynamo.reset();
    s3.reset();
    events.reset();
    s3.on(DeleteObjectsCommand).resolves({});
    s3.on(ListObjectsV2Command).resolves({ KeyCount: 0, IsTruncated: false });
    dynamo.on(BatchWriteCommand).resolves({});
    // The image is in no album (its albums are found by a Query of the albums table's byImageAlbums).
    dynamo.on(QueryCommand).resolves({ Items: [] });
    events.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] });
    errors = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => errors.mockRestore());

  it('answers 204 with an empty body', async () => {
    stored();
    const response = await remove(IDS.newer);
    expect(response.statusCode).toBe(204);
    expect(response.body).toBe('');
  });

  it('deletes the original and every thumbnail', async () => {
    stored();
    await remove(IDS.newer);
    expect(s3).toHaveReceivedCommandWith(DeleteObjectsCommand, { Bucket: 'images-bucket' });
    expect(deletedKeys().sort()).toEqual([`uploads/${IDS.newer}.jpg`, ...THUMBNAILS].sort());
  });

  it("deletes the image's stored renditions, listed under renditions/<id>/", async () => {
    stored();
    const renditions = [
      `renditions/${IDS.newer}/0845fa9df28ad45d.avif`,
      `renditions/${IDS.newer}/e284f89a4ad1f9ea.webp`,
    ];
    s3.on(ListObjectsV2Command).resolves({ Contents: renditions.map((Key) => ({ Key })), IsTruncated: false });
    expect((await remove(IDS.newer)).statusCode).toBe(204);
    expect(s3).toHaveReceivedCommandWith(ListObjectsV2Command, {
      Bucket: 'images-bucket',
      Prefix: `renditions/${IDS.newer}/`,
    });
    expect(deletedKeys(1)).toEqual(renditions);
  });

  it('lists and deletes renditions a page at a time, following the continuation token', async () => {
    stored();
    const page = (n: number) => Array.from({ length: n }, (_, i) => ({ Key: `renditions/${IDS.newer}/${i}.webp` }));
    s3.on(ListObjectsV2Command)
      .resolvesOnce({ Contents: page(1000), IsTruncated: true, NextContinuationToken: 'page-2' })
      .resolvesOnce({ Contents: page(3), IsTruncated: false });
    expect((await remove(IDS.newer)).statusCode).toBe(204);
    const lists = s3.commandCalls(ListObjectsV2Command).map((call) => call.args[0].input);
    expect(lists).toEqual([
      expect.objectContaining({ MaxKeys: 1000, ContinuationToken: undefined }),
      expect.objectContaining({ MaxKeys: 1000, ContinuationToken: 'page-2' }),
    ]);
    // The original and thumbnails, then one delete per page.
    expect([deletedKeys(1).length, deletedKeys(2).length]).toEqual([1000, 3]);
  });

  it('sends no delete for an image without renditions', async () => {
    stored();
    await remove(IDS.newer);
    expect(s3).toHaveReceivedCommandTimes(DeleteObjectsCommand, 1);
  });

  it('keeps the item when S3 refuses to delete a rendition, so a retried DELETE finishes the job', async () => {
    stored();
    s3.on(ListObjectsV2Command).resolves({ Contents: [{ Key: `renditions/${IDS.newer}/a.webp` }] });
    s3.on(DeleteObjectsCommand)
      .resolvesOnce({})
      .resolvesOnce({ Errors: [{ Key: `renditions/${IDS.newer}/a.webp`, Code: 'AccessDenied' }] });
    expect((await remove(IDS.newer)).statusCode).toBe(500);
    expect(dynamo).not.toHaveReceivedCommand(DeleteCommand);
  });

  it('deletes the item', async () => {
    stored();
    await remove(IDS.newer);
    expect(dynamo).toHaveReceivedCommandWith(DeleteCommand, {
      TableName: 'images-table',
      Key: { imageId: IDS.newer },
      ReturnValues: 'ALL_OLD',
    });
  });

  it('publishes Image Deleted with the status the image had', async () => {
    stored();
    await remove(IDS.newer);
    expect(events).toHaveReceivedCommandTimes(PutEventsCommand, 1);
    const [entry] = events.commandCalls(PutEventsCommand)[0]?.args[0].input.Entries ?? [];
    expect(entry).toMatchObject({ EventBusName: 'images-bus', Source: 'image-intel', DetailType: 'Image Deleted' });
    const detail = TRASH_EVENTS.deleted.detail.parse(JSON.parse(entry?.Detail as string));
    expect(detail).toMatchObject({
      version: 1,
      imageId: IDS.newer,
      bucket: 'images-bucket',
      key: `uploads/${IDS.newer}.jpg`,
      status: 'PROCESSED',
    });
    expect(Date.now() - Date.parse(detail.occurredAt)).toBeLessThan(5000);
  });

  it('carries the tags and metadata the upload recorded in Image Deleted', async () => {
    stored(imageItem({ tags: ['pier', 'sea'], metadata: { album: 'summer' } }));
    await remove(IDS.newer);
    const [entry] = events.commandCalls(PutEventsCommand)[0]?.args[0].input.Entries ?? [];
    const detail = JSON.parse(entry?.Detail as string);
    expect(detail).toMatchObject({ tags: ['pier', 'sea'], metadata: { album: 'summer' } });
    expect(schemaErrors('Image Deleted', detail)).toEqual([]);
  });

  it('removes the objects, then the item, then publishes', async () => {
    const order: string[] = [];
    dynamo.on(GetCommand, { TableName: 'images-table' }).resolves({ Item: imageItem() });
    s3.on(DeleteObjectsCommand).callsFake(async () => order.push('objects') && {});
    // The image's record (the images table's); a room's cleanup may delete items of its own tables first.
    dynamo
      .on(DeleteCommand)
      .callsFake(
        async (input) =>
          order.push(input.TableName === 'images-table' ? 'item' : 'room') && { Attributes: imageItem() },
      );
    events.on(PutEventsCommand).callsFake(async () => order.push('event') && { FailedEntryCount: 0 });
    await remove(IDS.newer);
    expect(order.filter((step) => step !== 'room')).toEqual(['objects', 'item', 'event']);
  });

  it('deletes a PENDING image whose upload never arrived', async () => {
    stored(pendingItem());
    const response = await remove(IDS.newer);
    expect(response.statusCode).toBe(204);
    expect(deletedKeys()).toEqual([`uploads/${IDS.newer}.jpg`]);
    const [entry] = events.commandCalls(PutEventsCommand)[0]?.args[0].input.Entries ?? [];
    expect(JSON.parse(entry?.Detail as string)).toMatchObject({ status: 'PENDING' });
  });

  it('also removes thumbnails the processor recorded while the delete was under way', async () => {
    const late = `thumbnails/${IDS.newer}/1024.webp`;
    dynamo.on(GetCommand, { TableName: 'images-table' }).resolves({ Item: imageItem() });
    const thumbnails = { ...imageItem().thumbnails, '1024': late };
    dynamo.on(DeleteCommand, { TableName: 'images-table' }).resolves({ Attributes: imageItem({ thumbnails }) });
    await remove(IDS.newer);
    expect(s3).toHaveReceivedCommandTimes(DeleteObjectsCommand, 2);
    expect(deletedKeys(1)).toEqual([late]);
  });

  it('also removes an eager rendition the processor stored and recorded while the delete was under way', async () => {
    const card = `renditions/${IDS.newer}/0123456789abcdef.webp`;
    dynamo.on(GetCommand, { TableName: 'images-table' }).resolves({ Item: imageItem() });
    dynamo
      .on(DeleteCommand, { TableName: 'images-table' })
      .resolves({ Attributes: imageItem({ eagerRenditions: { card } }) });
    await remove(IDS.newer);
    expect(deletedKeys(1)).toEqual([card]);
  });

  it("removes the image's search postings, those of an earlier version not yet removed too, before the record and again after it", async () => {
    stored(imageItem({ indexedTerms: ['all', 'label=cat'], unindexTerms: ['word=old'] }));
    expect((await remove(IDS.newer)).statusCode).toBe(204);
    const requests = dynamo
      .commandCalls(BatchWriteCommand)
      .flatMap((call) => Object.values(call.args[0].input.RequestItems ?? {}).flat());
    // Again after the record, from what its delete answered: a writer's puts may have landed in between.
    const terms = [`${TEST_USER.sub}#all`, `${TEST_USER.sub}#label=cat`, `${TEST_USER.sub}#word=old`];
    expect(requests.map((r) => String(r.DeleteRequest?.Key?.term).replace(/#\d+$/, ''))).toEqual([...terms, ...terms]);
    expect(requests.every((r) => r.DeleteRequest?.Key?.imageId === IDS.newer)).toBe(true);
    const order = dynamo.calls().map((call) => call.args[0].constructor.name);
    expect(order.indexOf('BatchWriteCommand')).toBeLessThan(order.indexOf('DeleteCommand'));
  });

  it('returns 404 for an unknown id and touches nothing', async () => {
    dynamo.on(GetCommand, { TableName: 'images-table' }).resolves({});
    const response = await remove(IDS.unknown);
    expect(response.statusCode).toBe(404);
    expect(response.json).toEqual({ message: `image ${IDS.unknown} not found` });
    expect(s3).not.toHaveReceivedCommand(DeleteObjectsCommand);
    expect(dynamo).not.toHaveReceivedCommand(DeleteCommand);
    expect(events).not.toHaveReceivedCommand(PutEventsCommand);
  });

  it("answers another owner's image 404 exactly as an unknown one, and touches nothing", async () => {
    stored(imageItem({ owner: OTHER_USER.sub }));
    const response = await remove(IDS.newer);
    expect(response.statusCode).toBe(404);
    expect(response.json).toEqual({ message: `image ${IDS.newer} not found` });
    expect(s3).not.toHaveReceivedCommand(DeleteObjectsCommand);
    expect(dynamo).not.toHaveReceivedCommand(DeleteCommand);
    expect(events).not.toHaveReceivedCommand(PutEventsCommand);
  });

  it("deletes any owner's image for an admin, and the event names the image's owner", async () => {
    stored(imageItem({ owner: OTHER_USER.sub }));
    expect((await remove(IDS.newer, ADMIN_USER)).statusCode).toBe(204);
    const entry = events.commandCalls(PutEventsCommand)[0]?.args[0].input.Entries?.[0];
    expect(JSON.parse(entry?.Detail ?? '{}')).toMatchObject({ owner: OTHER_USER.sub });
  });

  it('answers 401 and touches nothing without a verified caller', async () => {
    stored();
    expect((await remove(IDS.newer, null)).statusCode).toBe(401);
    expect(dynamo).not.toHaveReceivedCommand(GetCommand);
  });

  it('returns 404 without publishing when another request deleted the item first', async () => {
    dynamo.on(GetCommand, { TableName: 'images-table' }).resolves({ Item: imageItem() });
    dynamo.on(DeleteCommand, { TableName: 'images-table' }).resolves({});
    expect((await remove(IDS.newer)).statusCode).toBe(404);
    expect(events).not.toHaveReceivedCommand(PutEventsCommand);
  });

  it('returns 400 for a malformed id and touches nothing', async () => {
    const response = await remove('not-an-id');
    expect(response.statusCode).toBe(400);
    expect(response.json).toEqual({ message: expect.stringMatching(/^id: /) });
    expect(dynamo).not.toHaveReceivedAnyCommand();
    expect(s3).not.toHaveReceivedAnyCommand();
  });

  it('keeps the item and publishes nothing when S3 refuses to delete an object', async () => {
    stored();
    s3.on(DeleteObjectsCommand).resolves({
      Errors: [{ Key: THUMBNAILS[0], Code: 'AccessDenied', Message: 'Access Denied' }],
    });
    const response = await remove(IDS.newer);
    expect(response.statusCode).toBe(500);
    expect(response.json).toEqual({ message: 'internal error' });
    expect(dynamo).not.toHaveReceivedCommand(DeleteCommand);
    expect(events).not.toHaveReceivedCommand(PutEventsCommand);
    expect(JSON.stringify(errors.mock.calls)).toContain('AccessDenied');
  });
});
