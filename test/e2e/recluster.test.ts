import { execFile } from 'node:child_process';
import path from 'node:path';
import sharp from 'sharp';
import { ImageApiClient } from '../../lambdas/cli/api-client';
import { fixture } from '../fixtures';
import { type RunnerProcess, startRunner } from '../support/runner-process';

/**
 * `image-intel people recluster` on the local runner with face grouping on and the offline models (issue 25): two
 * photos of one person (the astronaut and a cropped, resized, re-encoded copy) are one person; after the re-cluster,
 * a backfill of the runner's uploads/ that deletes each image's faces and groups them again, they are still that
 * one person, under the same id and with the name it was given, with two faces, not four, and `person=` finds both.
 */
jest.setTimeout(300_000);

const BIN = path.join(__dirname, '../../bin/image-intel.js');

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

let runner: RunnerProcess;
let api: ImageApiClient;
const ids: string[] = [];

const personIds = async (id: string) =>
  ((await api.call('GET', `/images/${id}`)) as WithPeople).people?.faces.map((face) => face.personId) ?? [];

beforeAll(async () => {
  // Its own: a re-cluster regroups every image of the runner, which would move other files' faces under them.
  // At the runner's default concurrency, so the re-cluster may regroup the two photos at the same moment: both leave
  // the person before either joins it again, and it must still come back with its name (docs/people.md#re-clustering).
  runner = await startRunner({ args: ['--inference', 'offline', '--face-grouping'] });
  api = new ImageApiClient(runner.ready.apiUrl);
  const astronaut = fixture('vision/person-astronaut.jpg');
  const { width = 0, height = 0 } = await sharp(astronaut).metadata();
  const copy = await sharp(astronaut)
    .extract({ left: 0, top: 0, width: Math.round(width * 0.8), height: Math.round(height * 0.8) })
    .resize(400)
    .jpeg({ quality: 80 })
    .toBuffer();
  // One after the other: two photos of a new person processed at the same moment may found two people.
  for (const bytes of [astronaut, copy]) {
    const id = await api.upload(bytes, { filename: 'astronaut.jpg' });
    expect((await api.waitForFinal(id, 180_000)).status).toBe('PROCESSED');
    ids.push(id);
  }
});

afterAll(async () => {
  await runner?.stop();
});

/** `POST /backfills` as it answers, 2xx or not. */
async function startBackfill(body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${runner.ready.apiUrl}/backfills`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

describe('image-intel people recluster', () => {
  it('regroups every face, leaving one person with its id, its name and two faces', async () => {
    const [before] = await personIds(ids[0] as string);
    expect(before).toBeDefined();
    expect(await personIds(ids[1] as string)).toEqual([before]);
    await api.call('PATCH', `/people/${before}`, { name: 'Eileen Collins' });

    const { code, stdout, stderr } = await imageIntel(['people', 'recluster', '--api', runner.ready.apiUrl]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toMatch(/run \w{26} started: \S+\/uploads\/ \(owner none, re-analysing every image and grouping/);
    expect(stdout).toMatch(/backfill finished in [\d.]+ s: 2 listed, 2 queued, 2 processed/);

    for (const id of ids) expect(await personIds(id)).toEqual([before]);
    const people = (await api.call('GET', '/people')) as PeoplePage;
    expect(people.items).toEqual([expect.objectContaining({ personId: before, name: 'Eileen Collins', faceCount: 2 })]);
    const found = (await api.call('GET', `/images?person=${before}`)) as { items: Array<{ imageId: string }> };
    expect(found.items.map((item) => item.imageId).sort()).toEqual([...ids].sort());
  });

  it('three regroup requests in a row: the first runs, the other two are 409s naming it; each image analysed once', async () => {
    const bucket = runner.ready.bucket;
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await startBackfill({ bucket, regroupFaces: true }));
    const [first, ...others] = answers;
    expect(first?.status).toBe(202);
    const run = first?.json.id as string;
    for (const refused of others) {
      expect(refused.status).toBe(409);
      expect(refused.json.message).toMatch(
        new RegExp(`^${bucket}/uploads/ overlaps backfill ${run} over ${bucket}/uploads/`),
      );
    }

    const done = await waitFor(async () => {
      const state = (await api.call('GET', `/backfills/${run}`)) as Record<string, unknown>;
      return state.done ? state : undefined;
    });
    // Two images, two analyses: no other run started, no message of this one analysed an image twice.
    expect(done).toMatchObject({ queued: 2, processed: 2, skipped: 0, failed: 0 });
    for (const id of ids) expect(await api.call('GET', `/images/${id}`)).toMatchObject({ reprocessedBy: run });
    const runs = (await api.call('GET', '/backfills')) as { items: Array<{ id: string }> };
    expect(runs.items.filter((item) => item.id >= run).map((item) => item.id)).toEqual([run]);
  });
});

describe('regroup requests at the same instant', () => {
  it('start one run: the others are 409s', async () => {
    // Sent together; the runner may still answer them in turn. The race itself, two checks at once that the start
    // lease keeps apart, is test/unit/functions/start-backfill/overlap.test.ts's: this is the whole path on moto.
    const bucket = runner.ready.bucket;
    const answers = await Promise.all([0, 1, 2].map(() => startBackfill({ bucket, regroupFaces: true })));
    expect(answers.map((answer) => answer.status).sort()).toEqual([202, 409, 409]);
    const run = answers.find((answer) => answer.status === 202)?.json.id as string;
    const done = await waitFor(async () => {
      const state = (await api.call('GET', `/backfills/${run}`)) as Record<string, unknown>;
      return state.done ? state : undefined;
    });
    expect(done).toMatchObject({ queued: 2, processed: 2, skipped: 0 });
  });
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
