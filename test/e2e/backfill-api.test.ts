import { randomBytes } from 'node:crypto';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { fixture } from '../fixtures';
import { clientsFor, eventually } from './support';
import { E2E_SOURCE_BUCKET, loadTarget, usersOf } from './target';

/**
 * The backfill routes (issue 23) against the target: an admin starts a backfill of photos put straight into a
 * source bucket (not through the API) and follows `GET /backfills/{id}` until every object has its outcome.
 */
const target = loadTarget();
const { s3 } = clientsFor(target);
const SOURCE = target.sourceBucket ?? E2E_SOURCE_BUCKET;
const WAIT = target.timeoutSeconds * 1000;
jest.setTimeout(WAIT * 3);

const users = usersOf(target);

async function call(method: string, path: string, token: string, body?: unknown) {
  const response = await fetch(`${target.apiUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as Record<string, unknown> };
}
const admin = (method: string, path: string, body?: unknown) => call(method, path, users.admin.token, body);

/** A prefix of this run's own in the shared source bucket. */
const prefix = `backfill-api-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}/`;

beforeAll(async () => {
  // The runner's emulator starts empty; a deployed stack's source bucket is there already.
  if (target.endpoint) {
    await s3.send(new CreateBucketCommand({ Bucket: SOURCE })).catch((error: Error) => {
      if (!/BucketAlready(OwnedByYou|Exists)/.test(error.name)) throw error;
    });
  }
  const put = (key: string, body: Buffer, contentType: string) =>
    s3.send(
      new PutObjectCommand({
        Bucket: SOURCE,
        Key: `${prefix}${key}`,
        Body: body,
        ContentType: contentType,
      }),
    );
  // Bytes no other test has: the photos' records are new, whatever ran before.
  const unique = (name: string) => Buffer.concat([fixture(name), randomBytes(16)]);
  await Promise.all([
    put('2019/kite.jpg', unique('photos/kite.jpg'), 'image/jpeg'),
    put('2019/boats & sea.jpg', unique('photos/boats.jpg'), 'image/jpeg'),
    put('2019/notes.jpg', Buffer.from('not an image'), 'image/jpeg'),
    put('2019/', Buffer.alloc(0), 'application/x-directory'),
  ]);
});

describe('POST /backfills and GET /backfills/{id}', () => {
  it('start a backfill of a source prefix and follow it until every object has its outcome', async () => {
    const owner = users.alice.owner;
    const started = await admin('POST', '/backfills', { bucket: SOURCE, prefix, owner });
    expect(started).toMatchObject({
      status: 202,
      body: { status: 'RUNNING', bucket: SOURCE, prefix, owner, reprocess: false },
    });
    const id = started.body.id as string;
    expect(started.body.location).toBe(`/backfills/${id}`);

    const run = await eventually(`backfill ${id} to be done`, WAIT * 2, async () => {
      const { status, body } = await admin('GET', `/backfills/${id}`);
      expect(status).toBe(200);
      if (body.status !== 'RUNNING' && body.status !== 'SUCCEEDED') throw new Error(`the run ${body.status}`);
      return body.done ? body : undefined;
    });
    expect(run).toMatchObject({
      id,
      status: 'SUCCEEDED',
      bucket: SOURCE,
      prefix,
      listed: 4,
      queued: 4,
      processed: 2,
      rejected: 1,
      skipped: 0,
      placeholders: 1,
      missing: 0,
      failed: 0,
      inFlight: 0,
      done: true,
    });
    expect(run.stoppedAt).toEqual(expect.any(String));

    const { body: page } = await admin('GET', '/backfills?limit=100');
    expect(page.items).toEqual(expect.arrayContaining([expect.objectContaining({ id, status: 'SUCCEEDED' })]));
  });

  it('refuse a bucket the deployment may not read with what to deploy, and start nothing', async () => {
    const { status, body } = await admin('POST', '/backfills', { bucket: 'not-a-source-of-this-stack' });
    expect(status).toBe(400);
    expect(body.message).toMatch(/not a source bucket of this deployment.*sourceBuckets=not-a-source-of-this-stack/);
  });

  it('refuse a run whose images would have no owner, naming the entry, and start nothing', async () => {
    const { status, body } = await admin('POST', '/backfills', { bucket: SOURCE, prefix });
    expect(status).toBe(400);
    expect(body.message).toMatch(/would have no owner.*give an owner, or deploy the entry as .*=<owner>/);
  });

  it('answer 403 to a caller who is not an admin, on every backfill route', async () => {
    const alice = (method: string, path: string, body?: unknown) => call(method, path, users.alice.token, body);
    expect((await alice('POST', '/backfills', { bucket: SOURCE, prefix })).status).toBe(403);
    expect((await alice('GET', '/backfills')).status).toBe(403);
    expect((await alice('GET', '/backfills/01JD5Y4ZQK8V3N2M1B0C9X8W7V')).status).toBe(403);
  });

  it('answer 404 for a run that does not exist', async () => {
    expect((await admin('GET', '/backfills/01JD5Y4ZQK8V3N2M1B0C9X8W7V')).status).toBe(404);
  });
});
