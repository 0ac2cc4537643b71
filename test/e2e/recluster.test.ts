import { execFile } from 'node:child_process';
import path from 'node:path';
import { CreateBucketCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import sharp from 'sharp';
import { sourceImageId } from '../../lambdas/backfill/source-object';
import { ImageApiClient } from '../../lambdas/cli/api-client';
import { fixture } from '../fixtures';
import { fileUser, profileRunner, RECLUSTER_SOURCE, type SharedRunner } from '../support/runner-profiles';

/**
 * A re-cluster (issue 25, docs/people.md#re-clustering) on the shared `offline-faces` runner, with face grouping and
 * the offline models: two photos of one person (the astronaut and a cropped, resized, re-encoded copy) are one
 * person; after a run that re-analyses every image of the library and deletes each one's faces and groups them
 * again, they are still that one person, under the same id and with the name it was given, with two faces, not four,
 * and `person=` finds both.
 *
 * The library is the profile's source bucket of this file's alice (RECLUSTER_SOURCE), not the runner's uploads/:
 * uploads are keyed by image id alone (`uploads/<imageId>.<ext>`), no owner's under a prefix of their own, so a run
 * over uploads/ would regroup every other file's faces under them. `image-intel people recluster` is that run over
 * uploads/ (what it starts, test/integration/cli/backfill/backfill.test.ts); here the CLI starts the same regrouping
 * run as `image-intel backfill --regroup-faces` over the library, which the processor takes the same way
 * (process-source.ts: only the image id comes from the key otherwise).
 */
jest.setTimeout(300_000);

const BIN = path.join(__dirname, '../../bin/image-intel.js');
const BUCKET = RECLUSTER_SOURCE.bucket;

/** What the checks read of `GET /images/{id}` and `GET /people` with grouping on. */
interface WithPeople {
  people?: { faces: Array<{ face: number; personId: string }> };
}
interface PeoplePage {
  items: Array<{ personId: string; name: string | null; faceCount: number }>;
}

function imageIntel(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { maxBuffer: 4 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

let runner: SharedRunner;
/** Alice, whose photos the library's are. */
let api: ImageApiClient;
/** Backfills are an admin's. */
let admin: ImageApiClient;
let adminToken: string;
const ids: string[] = [];

const personIds = async (id: string) =>
  ((await api.call('GET', `/images/${id}`)) as WithPeople).people?.faces.map((face) => face.personId) ?? [];

beforeAll(async () => {
  // At the runner's default concurrency, so the re-cluster may regroup the two photos at the same moment: both leave
  // the person before either joins it again, and it must still come back with its name (docs/people.md#re-clustering).
  runner = await profileRunner('offline-faces');
  // The profile's entry gives the library's photos to this file's alice.
  expect(fileUser('alice')).toBe(RECLUSTER_SOURCE.owner);
  api = new ImageApiClient(runner.ready.apiUrl, { bearerToken: await runner.token({ user: fileUser('alice') }) });
  adminToken = await runner.token({ user: fileUser('root'), admin: true });
  admin = new ImageApiClient(runner.ready.apiUrl, { bearerToken: adminToken });
  const s3 = new S3Client({
    endpoint: runner.ready.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    forcePathStyle: true,
  });
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  const astronaut = fixture('vision/person-astronaut.jpg');
  const { width = 0, height = 0 } = await sharp(astronaut).metadata();
  const copy = await sharp(astronaut)
    .extract({ left: 0, top: 0, width: Math.round(width * 0.8), height: Math.round(height * 0.8) })
    .resize(400)
    .jpeg({ quality: 80 })
    .toBuffer();
  // One after the other (a run each): two photos of a new person processed at the same moment may found two people.
  for (const [folder, bytes] of [
    ['first/', astronaut],
    ['second/', copy],
  ] as const) {
    const key = `${folder}astronaut.jpg`;
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: bytes, ContentType: 'image/jpeg' }));
    const { LastModified } = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }));
    const id = sourceImageId(BUCKET, key, LastModified as Date);
    const started = await startBackfill({ bucket: BUCKET, prefix: folder });
    expect(started.status).toBe(202);
    expect(await doneRun(started.json.id as string)).toMatchObject({ processed: 1, failed: 0 });
    expect((await api.waitForFinal(id, 180_000)).status).toBe('PROCESSED');
    ids.push(id);
  }
  s3.destroy();
});

/** `POST /backfills` as it answers, 2xx or not. */
async function startBackfill(body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${runner.ready.apiUrl}/backfills`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

describe('a re-cluster of the library (image-intel backfill --regroup-faces)', () => {
  it('regroups every face, leaving one person with its id, its name and two faces', async () => {
    const [before] = await personIds(ids[0] as string);
    expect(before).toBeDefined();
    expect(await personIds(ids[1] as string)).toEqual([before]);
    await api.call('PATCH', `/people/${before}`, { name: 'Eileen Collins' });

    const { apiUrl } = runner.ready;
    const args = ['backfill', '--api', apiUrl, '--token', adminToken, '--bucket', BUCKET, '--regroup-faces'];
    const { code, stdout, stderr } = await imageIntel(args);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toMatch(
      new RegExp(`run \\w{26} started: ${BUCKET}/ \\(owner none, re-analysing every image and grouping`),
    );
    expect(stdout).toMatch(/backfill finished in [\d.]+ s: 2 listed, 2 queued, 2 processed/);

    for (const id of ids) expect(await personIds(id)).toEqual([before]);
    const people = (await api.call('GET', '/people')) as PeoplePage;
    expect(people.items).toEqual([expect.objectContaining({ personId: before, name: 'Eileen Collins', faceCount: 2 })]);
    const found = (await api.call('GET', `/images?person=${before}`)) as { items: Array<{ imageId: string }> };
    expect(found.items.map((item) => item.imageId).sort()).toEqual([...ids].sort());
  });

  it('three regroup requests in a row: the first runs, the other two are 409s naming it; each image analysed once', async () => {
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await startBackfill({ bucket: BUCKET, regroupFaces: true }));
    const [first, ...others] = answers;
    expect(first?.status).toBe(202);
    const run = first?.json.id as string;
    for (const refused of others) {
      expect(refused.status).toBe(409);
      expect(refused.json.message).toMatch(new RegExp(`^${BUCKET}/ overlaps backfill ${run} over ${BUCKET}/`));
    }

    const done = await doneRun(run);
    // Two images, two analyses: no other run started, no message of this one analysed an image twice.
    expect(done).toMatchObject({ queued: 2, processed: 2, skipped: 0, failed: 0 });
    for (const id of ids) expect(await api.call('GET', `/images/${id}`)).toMatchObject({ reprocessedBy: run });
    // Other files' runs are on the shared runner too: of those started since, none is over this bucket.
    const runs = (await admin.call('GET', '/backfills?limit=100')) as { items: Array<{ id: string }> };
    const since = runs.items.filter((item) => item.id >= run);
    const buckets = await Promise.all(
      since.map(async (item) => ((await admin.call('GET', `/backfills/${item.id}`)) as { bucket: string }).bucket),
    );
    expect(since.filter((_, n) => buckets[n] === BUCKET).map((item) => item.id)).toEqual([run]);
  });
});

describe('regroup requests at the same instant', () => {
  it('start one run: the others are 409s', async () => {
    // Sent together; the runner may still answer them in turn. The race itself, two checks at once that the start
    // lease keeps apart, is test/unit/backfill/functions/start-backfill/overlap.test.ts's: this is the whole path on moto.
    const answers = await Promise.all([0, 1, 2].map(() => startBackfill({ bucket: BUCKET, regroupFaces: true })));
    expect(answers.map((answer) => answer.status).sort()).toEqual([202, 409, 409]);
    const run = answers.find((answer) => answer.status === 202)?.json.id as string;
    expect(await doneRun(run)).toMatchObject({ queued: 2, processed: 2, skipped: 0 });
  });
});

/** The run once done (`GET /backfills/{id}`). */
const doneRun = (run: string) =>
  waitFor(async () => {
    const state = (await admin.call('GET', `/backfills/${run}`)) as Record<string, unknown>;
    return state.done ? state : undefined;
  });

/** `probe`'s first answer that is not undefined, asked every half second for up to three minutes. */
async function waitFor<T>(probe: () => Promise<T | undefined>): Promise<T> {
  for (const deadline = Date.now() + 180_000; Date.now() < deadline; ) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error('not done after three minutes');
}
