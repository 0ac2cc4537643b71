import { execFile } from 'node:child_process';
import path from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, GetCommand, PutCommand, paginateScan } from '@aws-sdk/lib-dynamodb';
import { MAX_ITEMS_PER_BATCH } from '../../lambdas/backfill/definition';
import { sourceImageId } from '../../lambdas/backfill/source-object';
import { ANALYSIS_VERSION } from '../../lambdas/core/record';
import { SearchIndex } from '../../lambdas/search/index-table';
import { syncIndex, withTerms } from '../../lambdas/search/postings';
import type { ImageItem } from '../../lambdas/store/image-item';
import { IMAGE_ENTITY } from '../../lambdas/store/table-design';
import { searchableItem } from '../support/items';
import { type RunnerProcess, startRunner } from '../support/runner-process';
import { type SourceObject, sourceObjects } from './backfill-objects';
import { clientsFor, EventCollector, eventually } from './support';
import { loadTarget } from './target';

/**
 * `image-intel backfill` as an operator runs it against the local runner, over 500 objects put straight into a
 * bucket the pipeline never saw (photos, byte-identical copies, non-images, empty, truncated, oversized and bomb
 * files, folder placeholders, odd keys): two runs started at once, then a second run, then a re-analysis after the
 * records were made to look like an older ANALYSIS_VERSION's. Each object must end with exactly one record and one
 * event per analysis, and search must find each image by its current analysis only.
 */
jest.setTimeout(600_000);

const BIN = path.join(__dirname, '../../bin/image-intel.js');
const BUCKET = 'e2e-backfill-library';
const PREFIX = 'library/';
const OBJECTS = 500;
const MAX_BYTES = 2_000_000;
const OLD_VERSION = '0.9.0';

function imageIntel(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

let runner: RunnerProcess;
let clients: ReturnType<typeof clientsFor>;
let collector: EventCollector;
let objects: (SourceObject & { id: string })[];
/** The runner's emulator, for a client of our own. */
const clientConfig = () => ({
  endpoint: runner.ready.endpoint,
  region: process.env.AWS_REGION ?? 'us-east-1',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
});

const backfill = (...extra: string[]) =>
  imageIntel(['backfill', '--api', runner.ready.apiUrl, '--bucket', BUCKET, '--prefix', PREFIX, ...extra]);
const recorded = () => objects.filter((object) => object.expect !== 'PLACEHOLDER');

/** Every image item in the runner's table (its own table: nothing else writes there). */
async function imageItems(): Promise<ImageItem[]> {
  const items: ImageItem[] = [];
  for await (const page of paginateScan({ client: clients.dynamodb }, { TableName: runner.ready.table })) {
    items.push(...((page.Items ?? []) as ImageItem[]).filter((item) => item.entity === IMAGE_ENTITY));
  }
  return items;
}

/** What processing published: an image's Processed, Rejected or Failed events (not the corrections'). */
const outcomes = () => collector.events.filter((event) => /^Image (Processed|Rejected|Failed)$/.test(event.detailType));

/** The outcome events each image got so far, once `total` have arrived and a moment has passed for any extra. */
async function eventsPerImage(total: number): Promise<Map<string, string[]>> {
  await eventually(`${total} events`, 120_000, async () => (outcomes().length >= total ? true : undefined));
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  const per = new Map<string, string[]>();
  for (const { detail, detailType } of outcomes())
    per.set(detail.imageId, [...(per.get(detail.imageId) ?? []), detailType]);
  return per;
}

beforeAll(async () => {
  const target = loadTarget();
  // On an emulator of its own: 500 objects, three times over, would slow every other suite's runner on the shared one.
  // One thumbnail size: the objects are small, and what is under test is the backfill, not the thumbnails.
  runner = await startRunner({
    args: ['-c', `sourceBuckets=${BUCKET}`, '-c', `maxUploadBytes=${MAX_BYTES}`, '-c', 'thumbnailSizes=128'],
  });
  clients = clientsFor({
    ...target,
    endpoint: runner.ready.endpoint,
    apiUrl: runner.ready.apiUrl,
    bearerToken: undefined,
  });
  await clients.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  const made = await sourceObjects(PREFIX, OBJECTS, MAX_BYTES);
  for (let i = 0; i < made.length; i += 25) {
    await Promise.all(
      made
        .slice(i, i + 25)
        .map(({ key, body, contentType }) =>
          clients.s3.send(
            new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body, ContentType: contentType || undefined }),
          ),
        ),
    );
  }
  // The ids the pipeline derives: bucket, key and the modification time S3 keeps.
  const modified = new Map<string, Date>();
  let next: string | undefined;
  do {
    const page = await clients.s3.send(
      new ListObjectsV2Command({ Bucket: BUCKET, Prefix: PREFIX, ContinuationToken: next }),
    );
    for (const { Key, LastModified } of page.Contents ?? []) modified.set(Key as string, LastModified as Date);
    next = page.NextContinuationToken;
  } while (next);
  objects = made.map((object) => ({
    ...object,
    id: sourceImageId(BUCKET, object.key, modified.get(object.key) as Date),
  }));
  collector = new EventCollector(clients.sqs, clients.events, runner.ready.eventBus);
  await collector.start();
});

afterAll(async () => {
  await collector?.stop();
  await runner?.stop();
});

/**
 * The run's final counts against what each object should come to. Counts are at least once (docs/api.md): a batch
 * sent again after its answer was lost (Step Functions retries the send) delivers its objects twice, and the
 * second delivery of each is counted too, as skipped (or a placeholder again). So each count is at least what is
 * expected, and together they are over by at most one batch; the records and events, which must be exact, are
 * checked exactly.
 */
function expectCounts(stdout: string, expected: Record<'processed' | 'rejected' | 'skipped' | 'placeholders', number>) {
  const final = /backfill finished in [^:]*: (.*)$/m.exec(stdout)?.[1] ?? '';
  const counts = Object.fromEntries([...final.matchAll(/(\d+) (\w+)/g)].map(([, n, name]) => [name, Number(n)]));
  const over = (Object.keys(expected) as (keyof typeof expected)[]).map(
    (name) => (counts[name] ?? -1) - expected[name],
  );
  expect({ final, short: over.filter((n) => n < 0) }).toEqual({ final, short: [] });
  expect({ final, over: over.reduce((a, b) => a + b, 0) <= MAX_ITEMS_PER_BATCH }).toEqual({ final, over: true });
  expect({ final, processedExactly: counts.processed }).toEqual({ final, processedExactly: expected.processed });
}

describe('image-intel backfill over a bucket the pipeline never saw', () => {
  it('gives every object one record and one event, even with two runs started at once', async () => {
    expect(objects).toHaveLength(OBJECTS);
    // --force: the second would be refused while the first is not done (docs/api.md#backfills); here both must run.
    const [first, second] = await Promise.all([
      backfill('--owner', 'local', '--force'),
      backfill('--owner', 'local', '--force'),
    ]);
    expect([first, second].map(({ code, stderr }) => ({ code, stderr }))).toEqual([
      { code: 0, stderr: expect.any(String) },
      { code: 0, stderr: expect.any(String) },
    ]);
    expect(first.stdout).toMatch(/backfill finished in .*: 500 listed, 500 queued/);

    const items = await imageItems();
    expect(items.map((item) => item.imageId).sort()).toEqual(
      recorded()
        .map((object) => object.id)
        .sort(),
    );
    for (const object of recorded()) {
      const item = items.find((candidate) => candidate.imageId === object.id) as ImageItem;
      expect({ key: item.key, status: item.status }).toEqual({ key: object.key, status: object.expect });
      expect(item).toMatchObject({ owner: 'local', sourceBucket: BUCKET, analysisVersion: ANALYSIS_VERSION });
    }

    const events = await eventsPerImage(recorded().length);
    expect(events.size).toBe(recorded().length);
    for (const object of recorded()) {
      expect(events.get(object.id)).toEqual([object.expect === 'PROCESSED' ? 'Image Processed' : 'Image Rejected']);
    }
  });

  it('creates nothing on a second run: every object is skipped', async () => {
    const before = outcomes().length;
    const again = await backfill('--owner', 'local');
    expect(again.code).toBe(0);
    expectCounts(again.stdout, { processed: 0, rejected: 0, skipped: recorded().length, placeholders: 3 });
    expect(await imageItems()).toHaveLength(recorded().length);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(outcomes().length).toBe(before);
  });

  it('with --reprocess re-analyses each object of an older analysis once, keeping corrections', async () => {
    const photos = objects.filter((object) => object.expect === 'PROCESSED');
    const corrected = photos.slice(0, 5);
    for (const { id } of corrected) {
      await clients.api.call('PATCH', `/images/${id}/labels`, { add: ['Harbour Crane'] });
    }
    // What an older analysis left: its version on every record, and on some a label this one does not find, with
    // the postings the older processor wrote for it.
    const writer = DynamoDBDocumentClient.from(new DynamoDBClient(clientConfig()), {
      marshallOptions: { removeUndefinedValues: true },
    });
    const index = new SearchIndex(writer, runner.ready.searchTable);
    const stale = photos.slice(0, 10).map((object) => object.id);
    for (const item of await imageItems()) {
      let older: ImageItem = { ...item, analysisVersion: OLD_VERSION };
      if (older.analysis?.status === 'PROCESSED') older.analysis = { ...older.analysis, analysisVersion: OLD_VERSION };
      if (stale.includes(item.imageId)) {
        const vision = searchableItem().vision as NonNullable<ImageItem['vision']>;
        older = withTerms(
          {
            ...older,
            vision: { ...vision, labels: [{ name: 'Obsolete Widget', confidence: 0.9, source: 'objects' }] },
          },
          item,
        );
        await syncIndex(older, index);
      }
      await writer.send(new PutCommand({ TableName: runner.ready.table, Item: older }));
    }
    const search = async (query: string) =>
      ((await clients.api.call('GET', `/images?${query}&limit=100`)) as { items: { imageId: string }[] }).items.map(
        (item) => item.imageId,
      );
    expect((await search('label=obsolete%20widget')).sort()).toEqual([...stale].sort());

    const before = outcomes().length;
    const run = await backfill('--owner', 'local', '--reprocess');
    expect(run.code).toBe(0);
    const rejected = recorded().length - photos.length;
    expectCounts(run.stdout, { processed: photos.length, rejected, skipped: 0, placeholders: 3 });

    const items = await imageItems();
    expect(items).toHaveLength(recorded().length);
    expect(items.filter((item) => item.analysisVersion !== ANALYSIS_VERSION)).toEqual([]);
    const events = await eventsPerImage(before + recorded().length);
    for (const object of recorded()) expect(events.get(object.id)).toHaveLength(2);
    expect(outcomes()).toHaveLength(2 * recorded().length);
    for (const { id } of corrected) {
      const item = (
        await clients.dynamodb.send(new GetCommand({ TableName: runner.ready.table, Key: { imageId: id } }))
      ).Item as ImageItem;
      expect(item.labelCorrections?.added.map((label) => label.name)).toEqual(['Harbour Crane']);
    }
    expect(await search('label=obsolete%20widget')).toEqual([]);
    expect((await search('label=harbour%20crane')).sort()).toEqual(corrected.map((object) => object.id).sort());
  });
});
