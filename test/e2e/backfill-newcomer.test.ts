import { randomBytes } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { sourceImageId } from '../../lambdas/backfill/source-object';
import { SearchIndex } from '../../lambdas/search/index-table';
import type { ImageItem } from '../../lambdas/store/image-item';
import { shardAttributes } from '../../lambdas/store/list-shards';
import { fixture } from '../fixtures';
import { OPEN_SOURCE_BUCKET, profileRunner, type SharedRunner } from '../support/runner-profiles';
import { clientsFor, eventually } from './support';
import { loadTarget } from './target';

/**
 * Issue 43, the newcomer's recipe against the runner as `npm start` runs it (auth=none): `-c sourceBuckets=<bucket>`
 * with no `=owner`, a backfill with no owner, and every image is found by search (`format=jpeg`), since an entry
 * naming no owner is the local owner's. An image an older deployment recorded with no owner (what this recipe
 * left before) is skipped by a plain run and brought to the local owner, its postings with it, by a run with `reown`.
 * On the shared `open` runner (auth=none), whose source bucket is such an entry: the runs keep to a prefix of this
 * file's, and the searches to this file's images (every file there is `local`).
 */
jest.setTimeout(300_000);

const target = loadTarget();
const BUCKET = OPEN_SOURCE_BUCKET;
const PREFIX = `newcomer-${randomBytes(4).toString('hex')}/`;
const WAIT = 120_000;
const PHOTOS = ['kite.jpg', 'boats.jpg', 'pier.jpg'];
let runner: SharedRunner;
let clients: ReturnType<typeof clientsFor>;
let documents: DynamoDBDocumentClient;
let index: SearchIndex;
const ids = new Map<string, string>();

async function call(method: string, path: string, body?: unknown) {
  const response = await fetch(`${runner.ready.apiUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as Record<string, unknown> };
}

async function record(id: string): Promise<ImageItem | undefined> {
  const { Item } = await documents.send(new GetCommand({ TableName: runner.ready.table, Key: { imageId: id } }));
  return Item as ImageItem | undefined;
}

/** Start a run and wait until every object has its outcome; answers the run. */
async function backfill(body: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
  const started = await call('POST', '/backfills', { bucket: BUCKET, prefix: PREFIX, ...body });
  expect(started.status).toBe(202);
  return eventually(`backfill ${started.body.id} to be done`, WAIT, async () => {
    const { body: run } = await call('GET', `/backfills/${started.body.id}`);
    if (run.status !== 'RUNNING' && run.status !== 'SUCCEEDED') throw new Error(`the run ${run.status}`);
    return run.done ? run : undefined;
  });
}

/** The ids of this file's images that `GET /images?<query>` lists (the caller's own: local's). */
async function found(query: string): Promise<string[]> {
  const { status, body } = await call('GET', `/images?${query}&limit=100`);
  expect(status).toBe(200);
  const mine = new Set(ids.values());
  return (body.items as { imageId: string }[]).map((item) => item.imageId).filter((id) => mine.has(id));
}

beforeAll(async () => {
  runner = await profileRunner('open');
  clients = clientsFor({ ...target, endpoint: runner.ready.endpoint, apiUrl: runner.ready.apiUrl });
  documents = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: runner.ready.endpoint,
      region: process.env.AWS_REGION ?? 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    }),
    { marshallOptions: { removeUndefinedValues: true } },
  );
  index = new SearchIndex(documents, runner.ready.searchTable);
  await clients.s3.send(new CreateBucketCommand({ Bucket: BUCKET })).catch((error: Error) => {
    if (!/BucketAlready(OwnedByYou|Exists)/.test(error.name)) throw error;
  });
  for (const name of PHOTOS) {
    const key = `${PREFIX}2019/${name}`;
    // Bytes no other test has.
    const body = Buffer.concat([fixture(`photos/${name}`), randomBytes(16)]);
    await clients.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body, ContentType: 'image/jpeg' }));
    const { LastModified } = await clients.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }));
    ids.set(name, sourceImageId(BUCKET, key, LastModified as Date));
  }
});

describe("the newcomer's recipe: sourceBuckets=<bucket>, no owner, auth=none", () => {
  it('gives every image the local owner, and search by format finds them all', async () => {
    const run = await backfill();
    expect(run).toMatchObject({ owner: null, processed: PHOTOS.length, failed: 0 });
    for (const id of ids.values()) expect((await record(id))?.owner).toBe('local');
    expect((await found('format=jpeg')).sort()).toEqual([...ids.values()].sort());
  });

  it('skips an image recorded with no owner, and a run with reown gives it to local, its postings with it', async () => {
    // What the recipe left before issue 43: the kite recorded with no owner, in no one's search.
    const kite = (await record(ids.get('kite.jpg') as string)) as ImageItem;
    await index.remove(kite);
    const owned = new Set(['owner', 'ownerSha256', 'ownerShard', 'ownerStatusShard']);
    const ownerless = Object.fromEntries(Object.entries(kite).filter(([name]) => !owned.has(name)));
    await documents.send(
      new PutCommand({
        TableName: runner.ready.table,
        Item: { ...ownerless, ...shardAttributes(kite.imageId, kite.status) },
      }),
    );
    expect(await found('format=jpeg')).not.toContain(kite.imageId);

    expect(await backfill()).toMatchObject({ skipped: PHOTOS.length, processed: 0 });
    expect((await record(kite.imageId))?.owner).toBeUndefined();

    expect(await backfill({ reown: true })).toMatchObject({ reown: true, processed: 1, skipped: PHOTOS.length - 1 });
    await eventually('the kite to be local and final', WAIT, async () => {
      const item = await record(kite.imageId);
      return item?.owner === 'local' && item.status === 'PROCESSED' && !item.eventPending ? true : undefined;
    });
    expect((await found('format=jpeg')).sort()).toEqual([...ids.values()].sort());
  });
});
