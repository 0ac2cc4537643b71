import { randomBytes } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { sourceImageId } from '../../lambdas/backfill/source-object';
import { SearchIndex } from '../../lambdas/search/index-table';
import type { ImageItem } from '../../lambdas/store/image-item';
import { ImageStore } from '../../lambdas/store/image-store';
import { ownerSha256, shardAttributes } from '../../lambdas/store/list-shards';
import { fixture } from '../fixtures';
import { fileUser, profileRunner, type SharedRunner, TEAM_SOURCE } from '../support/runner-profiles';
import { clientsFor, eventually } from './support';
import { loadTarget } from './target';

/**
 * Issue 38 against the runner: with `sourceBuckets=<bucket>/team/=alice,<bucket>/team/bob/=bob`, the photos under
 * team/bob/ are bob's whichever path brings them in (a run over team/, the watched bucket's event, a re-analysis run
 * over team/bob/), a run over team/ asking for alice is a 400 naming bob's entry, and an image recorded under alice
 * (as the old planner left it) stays hers until a run with `reown` gives it, its postings with it, to bob.
 * The shared jwt runner has those entries (TEAM_SOURCE: alice and bob are this file's users), for this file alone.
 */
jest.setTimeout(300_000);

const target = loadTarget();
const BUCKET = TEAM_SOURCE.bucket;
const WAIT = 120_000;
let runner: SharedRunner;
let clients: ReturnType<typeof clientsFor>;
let index: SearchIndex;
const tokens: Record<'alice' | 'bob' | 'admin', string> = { alice: '', bob: '', admin: '' };

const clientConfig = () => ({
  endpoint: runner.ready.endpoint,
  region: process.env.AWS_REGION ?? 'us-east-1',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
});

async function call(method: string, path: string, as: keyof typeof tokens, body?: unknown) {
  const response = await fetch(`${runner.ready.apiUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${tokens[as]}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as Record<string, unknown> };
}

/** Put a photo of bytes no other test has under `key`; answers its image id (bucket, key, LastModified). */
async function put(key: string): Promise<string> {
  const body = Buffer.concat([fixture('photos/kite.jpg'), randomBytes(16)]);
  await clients.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body, ContentType: 'image/jpeg' }));
  const { LastModified } = await clients.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }));
  return sourceImageId(BUCKET, key, LastModified as Date);
}

async function record(id: string): Promise<ImageItem | undefined> {
  const { Item } = await clients.dynamodb.send(new GetCommand({ TableName: runner.ready.table, Key: { imageId: id } }));
  return Item as ImageItem | undefined;
}

const ownerOnceFinal = (id: string) =>
  eventually(`${id} to be final`, WAIT, async () => {
    const item = await record(id);
    return item?.status === 'PROCESSED' && !item.eventPending ? item.owner : undefined;
  });

/** Start a run as the admin and wait until every object has its outcome; answers the run. */
async function backfill(body: Record<string, unknown>): Promise<Record<string, unknown>> {
  const started = await call('POST', '/backfills', 'admin', { bucket: BUCKET, ...body });
  expect(started.status).toBe(202);
  return eventually(`backfill ${started.body.id} to be done`, WAIT, async () => {
    const { body: run } = await call('GET', `/backfills/${started.body.id}`, 'admin');
    if (run.status !== 'RUNNING' && run.status !== 'SUCCEEDED') throw new Error(`the run ${run.status}`);
    return run.done ? run : undefined;
  });
}

/** Whether `owner`'s search index has the image under its bytes' term. */
async function indexedFor(owner: string, item: ImageItem): Promise<boolean> {
  const postings = await index.postings(owner, `sha256=${item.sha256}`, 10);
  return postings.some((posting) => posting.imageId === item.imageId);
}

beforeAll(async () => {
  runner = await profileRunner('jwt');
  // The profile's entries name this file's alice and bob.
  expect([fileUser('alice'), fileUser('bob')]).toEqual([TEAM_SOURCE.alice, TEAM_SOURCE.bob]);
  clients = clientsFor({ ...target, endpoint: runner.ready.endpoint, apiUrl: runner.ready.apiUrl });
  // As the functions write it: a posting leaves out what the image does not have.
  const documents = DynamoDBDocumentClient.from(new DynamoDBClient(clientConfig()), {
    marshallOptions: { removeUndefinedValues: true },
  });
  index = new SearchIndex(documents, runner.ready.searchTable, {
    records: new ImageStore(documents, runner.ready.table),
  });
  tokens.alice = await runner.token({ user: TEAM_SOURCE.alice });
  tokens.bob = await runner.token({ user: TEAM_SOURCE.bob });
  tokens.admin = await runner.token({ user: fileUser('root'), admin: true });
  await clients.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
});

describe('nested sourceBuckets: team/=alice, team/bob/=bob', () => {
  const ids = { alices: '', bobs: '', watched: '' };

  it("refuses a run over team/ asking for alice, naming bob's entry, and starts nothing", async () => {
    const { status, body } = await call('POST', '/backfills', 'admin', {
      bucket: BUCKET,
      prefix: 'team/',
      owner: TEAM_SOURCE.alice,
    });
    expect(status).toBe(400);
    const { alice, bob } = TEAM_SOURCE;
    expect(body.message).toContain(`belong to ${bob} (sourceBuckets ${BUCKET}/team/bob/=${bob}), not ${alice}`);
    // Other files' runs are on the shared runner too: none is over this bucket.
    const runs = (await call('GET', '/backfills?limit=100', 'admin')).body.items as { bucket: string }[];
    expect(runs.filter((run) => run.bucket === BUCKET)).toEqual([]);
  });

  it('gives team/bob/* to bob and the rest to alice in a run over team/', async () => {
    ids.alices = await put('team/a.jpg');
    ids.bobs = await put('team/bob/private.jpg');
    const run = await backfill({ prefix: 'team/' });
    expect(run).toMatchObject({ owner: null, reown: false, processed: 2, failed: 0 });
    expect(await ownerOnceFinal(ids.alices)).toBe(TEAM_SOURCE.alice);
    expect(await ownerOnceFinal(ids.bobs)).toBe(TEAM_SOURCE.bob);
    expect((await call('GET', `/images/${ids.bobs}`, 'bob')).status).toBe(200);
    expect((await call('GET', `/images/${ids.bobs}`, 'alice')).status).toBe(404);
  });

  it("gives bob a photo the watched bucket reports under team/bob/, and a re-analysis run keeps bob's", async () => {
    ids.watched = await put('team/bob/new.jpg');
    const event = {
      version: '0',
      'detail-type': 'Object Created',
      source: 'aws.s3',
      time: new Date().toISOString(),
      detail: { bucket: { name: BUCKET }, object: { key: 'team/bob/new.jpg', size: 1000 } },
    };
    await clients.sqs.send(
      new SendMessageCommand({ QueueUrl: runner.ready.queueUrl, MessageBody: JSON.stringify(event) }),
    );
    expect(await ownerOnceFinal(ids.watched)).toBe(TEAM_SOURCE.bob);
    const run = await backfill({ prefix: 'team/bob/', reprocess: true });
    expect(run).toMatchObject({ listed: 2, skipped: 2, failed: 0 });
    expect((await record(ids.bobs))?.owner).toBe(TEAM_SOURCE.bob);
    expect((await record(ids.watched))?.owner).toBe(TEAM_SOURCE.bob);
  });

  it('keeps an image recorded under alice hers until a run re-owns it, its postings moving to bob', async () => {
    // What the planner before issue 38 left: team/bob/private.jpg recorded, and indexed, as alice's.
    const bobs = (await record(ids.bobs)) as ImageItem;
    await index.remove(bobs);
    const alices: ImageItem = { ...bobs, owner: TEAM_SOURCE.alice };
    await clients.dynamodb.send(
      new PutCommand({
        TableName: runner.ready.table,
        Item: {
          ...Object.fromEntries(Object.entries(alices).filter(([, value]) => value !== undefined)),
          ...shardAttributes(bobs.imageId, bobs.status, TEAM_SOURCE.alice),
          ownerSha256: ownerSha256(TEAM_SOURCE.alice, bobs.sha256 as string),
        },
      }),
    );
    await index.upsert(alices);

    expect(await backfill({ prefix: 'team/bob/' })).toMatchObject({ skipped: 2, reown: false });
    expect((await record(ids.bobs))?.owner).toBe(TEAM_SOURCE.alice);

    const reowned = await backfill({ prefix: 'team/bob/', reown: true });
    expect(reowned).toMatchObject({ reown: true, processed: 1, skipped: 1, failed: 0 });
    expect(await ownerOnceFinal(ids.bobs)).toBe(TEAM_SOURCE.bob);
    expect((await call('GET', `/images/${ids.bobs}`, 'bob')).status).toBe(200);
    expect((await call('GET', `/images/${ids.bobs}`, 'alice')).status).toBe(404);
    expect(await indexedFor(TEAM_SOURCE.bob, bobs)).toBe(true);
    expect(await indexedFor(TEAM_SOURCE.alice, bobs)).toBe(false);
  });
});
