import { Readable } from 'node:stream';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
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
import { sourceImageId } from '../../../../../lambdas/backfill/source-object';
import { ANALYSIS_VERSION } from '../../../../../lambdas/core/record';
import { reownMessage } from '../../../../../lambdas/images/functions/reown-image/reown-image';
import { postingKey } from '../../../../../lambdas/search/postings-design';
import type { ImageItem } from '../../../../../lambdas/store/image-item';
import { fixture } from '../../../../fixtures';
import { setFields } from '../../../../support/items';
import { loadProcessor } from '../../../../support/processor-harness';
import { sqsEvent, sqsRecord } from '../../../../support/sqs-events';

/** A write to the records table (the processor's steps write to their rooms' tables too). */
const onRecords = (call: { args: readonly [{ input: { TableName?: string } }, ...unknown[]] }) =>
  call.args[0].input.TableName === process.env.TABLE_NAME;

/*
 * Issue 38: with nested sources, team/bob/* is bob's whichever path sees it first (a run over team/, a run over
 * team/bob/, the watched bucket's event, a re-analysis), and an image recorded under another owner keeps it unless
 * the run re-owns.
 */
const invoke = loadProcessor({
  thumbnailSizes: '64',
  sourceBuckets: 'shared/team/=alice,shared/team/bob/=bob',
  watchSourceBuckets: 'true',
});

const s3 = mockClient(S3Client);
const dynamo = mockClient(DynamoDBDocumentClient);
const events = mockClient(EventBridgeClient);

const BOBS = 'team/bob/private.jpg';
const ALICES = 'team/a.jpg';
const MODIFIED = '2019-08-01T10:11:12.000Z';
const idOf = (key: string) => sourceImageId('shared', key, new Date(MODIFIED));

/** The records the processor wrote, by image id: each SET update's attributes over what was there. */
let records: Map<string, Record<string, unknown>>;

function attributesOf(input: NonNullable<UpdateCommand['input']>): Record<string, unknown> {
  return setFields(input);
}

const finalWrites = () =>
  dynamo
    .commandCalls(UpdateCommand)
    .filter(onRecords)
    .map((call) => call.args[0].input)
    .filter((input) => input.UpdateExpression?.startsWith('SET'));

/** A backfill's message for one listed object of `shared` (backfill/source-object.ts). */
function listed(key: string, run: { owner?: string | null; reprocess?: boolean; reown?: boolean } = {}) {
  return JSON.stringify({
    sourceObject: 1,
    run: 'run-1',
    bucket: 'shared',
    owner: run.owner ?? null,
    reprocess: run.reprocess ?? false,
    regroupFaces: false,
    reown: run.reown ?? false,
    object: { Key: key, Size: 1000, Etag: '"etag-1"', LastModified: Date.parse(MODIFIED) / 1000 },
  });
}

/** S3's Object Created event for `shared/<key>`, as a watched bucket's rule sends it. */
function watched(key: string) {
  return JSON.stringify({
    version: '0',
    'detail-type': 'Object Created',
    source: 'aws.s3',
    time: '2019-08-01T10:11:13Z',
    detail: { bucket: { name: 'shared' }, object: { key, size: 1000, etag: 'etag-1' } },
  });
}

/** The four ways an object of team/bob/ reaches the processor. */
const PATHS: Record<string, (key: string) => string> = {
  'a run over team/': (key) => listed(key),
  'a run over team/bob/ asking for bob': (key) => listed(key, { owner: 'bob' }),
  'the watched bucket': (key) => watched(key),
  'a re-analysis run': (key) => listed(key, { reprocess: true }),
};

async function deliver(body: string): Promise<void> {
  expect(await invoke(sqsEvent(sqsRecord(body)))).toEqual({ batchItemFailures: [] });
}

function record(key: string, owner: string, extra: Record<string, unknown> = {}) {
  records.set(idOf(key), {
    ...{ imageId: idOf(key), entity: 'IMAGE', status: 'PROCESSED', owner, etag: '"etag-1"' },
    ...{ createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z', bucket: 'images' },
    ...{ sourceBucket: 'shared', key, analysisVersion: ANALYSIS_VERSION, indexedTerms: ['type=jpeg', 'year=2019'] },
    ...extra,
  });
}

beforeEach(() => {
  records = new Map();
  s3.reset();
  dynamo.reset();
  events.reset();
  const bytes = fixture('photos/pier.jpg');
  s3.on(HeadObjectCommand).resolves({ LastModified: new Date(MODIFIED), ETag: '"etag-1"', ContentLength: 1000 });
  s3.on(GetObjectCommand).callsFake(() => ({
    Body: sdkStreamMixin(Readable.from([bytes])),
    ETag: '"etag-1"',
    ContentLength: bytes.length,
  }));
  s3.on(PutObjectCommand).resolves({});
  dynamo.on(GetCommand).callsFake((input: { Key: { imageId: string } }) => ({ Item: records.get(input.Key.imageId) }));
  dynamo.on(QueryCommand).resolves({ Items: [] });
  dynamo.on(UpdateCommand).callsFake((input: NonNullable<UpdateCommand['input']>) => {
    // The record as the writes leave it: what a SET sets, less what it or a plain REMOVE removes.
    const id = (input.Key as { imageId: string }).imageId;
    const [set = '', remove = ''] = (input.UpdateExpression ?? '').split(/ ?REMOVE /);
    const next = { ...records.get(id), ...(set.startsWith('SET') ? attributesOf(input) : {}) };
    for (const name of remove.split(', ').filter(Boolean)) delete next[input.ExpressionAttributeNames?.[name] ?? name];
    if (records.has(id) || set.startsWith('SET')) records.set(id, { ...next, imageId: id });
    return {};
  });
  dynamo.on(BatchWriteCommand).resolves({});
  events.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] });
});

describe("an object's owner, decided per key by the most specific sourceBuckets entry", () => {
  it("makes team/bob/* bob's and the rest of team/ alice's in a run over team/", async () => {
    await deliver(listed(BOBS));
    await deliver(listed(ALICES));
    expect(records.get(idOf(BOBS))?.owner).toBe('bob');
    expect(records.get(idOf(ALICES))?.owner).toBe('alice');
    expect(records.get(idOf(BOBS))?.ownerShard).toMatch(/^bob#/);
  });

  it("gives an entry's owner over the one a message asks for (a run started before the fix, or by hand)", async () => {
    await deliver(listed(BOBS, { owner: 'alice' }));
    expect(records.get(idOf(BOBS))?.owner).toBe('bob');
  });

  it.each(Object.keys(PATHS))(
    "leaves team/bob/private.jpg bob's when %s sees it first, then the others",
    async (first) => {
      const order = [first, ...Object.keys(PATHS).filter((path) => path !== first)];
      for (const path of order) {
        await deliver((PATHS[path] as (key: string) => string)(BOBS));
        expect([path, records.get(idOf(BOBS))?.owner]).toEqual([path, 'bob']);
      }
      // Every write named bob: none could have given it to anyone else.
      const owners = finalWrites().map((input) => input.ExpressionAttributeValues?.[':owner']);
      expect(owners.length).toBeGreaterThan(0);
      expect(new Set(owners)).toEqual(new Set(['bob']));
    },
  );
});

describe('an image recorded under another owner', () => {
  it('keeps it: a run skips its final record, and a re-analysis writes it under the owner it has', async () => {
    record(BOBS, 'alice');
    await deliver(listed(BOBS));
    expect(finalWrites()).toEqual([]);
    record(BOBS, 'alice', { analysisVersion: '0.9.0' });
    await deliver(listed(BOBS, { reprocess: true }));
    const [write] = finalWrites();
    expect(write?.ExpressionAttributeValues?.[':owner']).toBe('alice');
    expect(write?.ConditionExpression).toMatch(
      /^\(attribute_exists\(#status\) AND #status <> :trashed\) AND \(attribute_not_exists\(#owner\) OR #owner = :owner\) AND /,
    );
    expect(records.get(idOf(BOBS))?.owner).toBe('alice');
  });

  it('keeps it when the watched bucket reports the object again', async () => {
    record(BOBS, 'alice', { status: 'FAILED', etag: undefined });
    await deliver(watched(BOBS));
    expect(finalWrites().map((input) => input.ExpressionAttributeValues?.[':owner'])).toEqual(['alice']);
  });

  it("moves to the key's owner with reown: its old postings removed first, then written and indexed as bob's", async () => {
    record(BOBS, 'alice');
    await deliver(listed(BOBS, { reown: true }));
    const [write] = finalWrites();
    expect(write?.ExpressionAttributeValues?.[':owner']).toBe('bob');
    expect(write?.ConditionExpression).toMatch(
      / OR attribute_not_exists\(#owner\) OR #owner <> :owner\) AND \(attribute_not_exists\(#archived\)/,
    );
    expect(records.get(idOf(BOBS))).toMatchObject({ owner: 'bob', ownerShard: expect.stringMatching(/^bob#/) });
    const batches = dynamo.commandCalls(BatchWriteCommand).map((call) => call.args[0].input.RequestItems ?? {});
    const requests = batches.flatMap((items) => Object.values(items).flat());
    const deleted = requests.flatMap((request) => (request.DeleteRequest ? [request.DeleteRequest.Key?.term] : []));
    const put = requests.flatMap((request) => (request.PutRequest ? [request.PutRequest.Item?.term] : []));
    const terms = ['type=jpeg', 'year=2019'];
    expect(deleted.sort()).toEqual(terms.map((term) => postingKey('alice', term, idOf(BOBS))).sort());
    expect(put.length).toBeGreaterThan(0);
    expect(put.every((term) => String(term).startsWith('bob#'))).toBe(true);
    // The old owner's postings went before the record changed hands (a crash in between leaves it to the retry).
    const inputs = dynamo.calls().map((call) => call.args[0].input as Record<string, unknown>);
    const removal = inputs.findIndex((input) => JSON.stringify(input.RequestItems ?? {}).includes('DeleteRequest'));
    const written = inputs.findIndex((input) => String(input.UpdateExpression ?? '').startsWith('SET'));
    expect(removal).toBeGreaterThanOrEqual(0);
    expect(removal).toBeLessThan(written);
    // Once bob's, a second delivery of the same re-own finds it done.
    dynamo.resetHistory();
    await deliver(listed(BOBS, { reown: true }));
    expect(finalWrites()).toEqual([]);
  });

  it("moves an image with no owner to its key's owner on PUT /images/{id}/owner's message, counted in no run", async () => {
    record(ALICES, 'alice');
    const { owner: _none, ...ownerless } = records.get(idOf(ALICES)) as Record<string, unknown>;
    records.set(idOf(ALICES), ownerless);
    await deliver(JSON.stringify(reownMessage({ ...(ownerless as ImageItem), size: 1000 }, 'alice')));
    expect(records.get(idOf(ALICES))).toMatchObject({ owner: 'alice', ownerShard: expect.stringMatching(/^alice#/) });
    const keys = dynamo
      .commandCalls(UpdateCommand)
      .filter(onRecords)
      .map((call) => String(call.args[0].input.Key?.imageId));
    expect(keys.filter((key) => key.startsWith('backfill#'))).toEqual([]);
  });

  it('is not re-owned where its key gets the owner it has', async () => {
    record(BOBS, 'bob');
    await deliver(listed(BOBS, { reown: true }));
    expect(finalWrites()).toEqual([]);
    expect(dynamo).not.toHaveReceivedCommand(BatchWriteCommand);
  });
});

describe('a locked image analysed again', () => {
  it('stays in the locked folder, on the condition that it still is, and gets no search posting', async () => {
    record(BOBS, 'bob', { analysisVersion: '0.9.0', locked: true });
    await deliver(listed(BOBS, { reprocess: true }));
    const [write] = finalWrites();
    expect(write?.ConditionExpression).toContain('#locked = :lockedTrue');
    expect(records.get(idOf(BOBS))).toMatchObject({
      locked: true,
      ownerShard: expect.stringMatching(/^bob#LOCKED#\d+$/),
      ownerStatusShard: expect.stringMatching(/^bob#LOCKED#PROCESSED#\d+$/),
    });
    expect(records.get(idOf(BOBS))).not.toHaveProperty('listShard');
    const requests = dynamo
      .commandCalls(BatchWriteCommand)
      .flatMap((call) => Object.values(call.args[0].input.RequestItems ?? {}).flat());
    expect(requests.filter((request) => request.PutRequest)).toEqual([]);
  });
});
