import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DeleteMessageBatchCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { ImageApiClient } from '../../lambdas/cli/api-client';
import { eventually } from '../e2e/support';
import { type RunnerProcess, startRunner } from '../support/runner-process';
import { uniquePhotos } from './support/fault-harness';

/**
 * The library kept in a data folder (`npm start -- --data-dir`, lambdas/local/moto-snapshots.ts) across what a user
 * does to a runner: Ctrl-C and start again, and `kill -9` in the middle of a burst of uploads.
 *
 * Each runner here starts a moto of its own on a temporary data folder (never the run's shared moto: a data folder
 * keeps the runner's own emulator, and what is tested is that emulator stopping and starting again).
 */

jest.setTimeout(8 * 60_000);

const FINAL_EVENTS = new Set(['Image Processed', 'Image Rejected', 'Image Failed']);

/**
 * One data folder for the file: the kill -9 case goes on with the runner the Ctrl-C case started again (a runner with
 * a data folder like any other, its library one photo bigger), rather than paying a runner and a moto of its own.
 */
let dataDir: string;
const started: RunnerProcess[] = [];
/** The Ctrl-C case's runner, started again on the folder and left running for the kill -9 case. */
let restarted: RunnerProcess | undefined;

beforeAll(() => {
  dataDir = path.join(mkdtempSync(path.join(tmpdir(), 'image-intel-library-')), 'library');
});

afterAll(async () => {
  for (const runner of started.splice(0)) await runner.kill();
  await motoGone();
  rmSync(path.dirname(dataDir), { recursive: true, force: true });
});

/**
 * A runner killed with SIGKILL leaves its moto to notice it is orphaned and write the last snapshot (blobs too) before
 * it exits: the folder is removed only once the moto that holds its lock is gone, or it is written into as it goes.
 */
async function motoGone(): Promise<void> {
  const lock = path.join(dataDir, 'lock');
  const pid = existsSync(lock) ? Number(readFileSync(lock, 'utf8').trim()) : 0;
  if (!pid) return;
  // Gone, or a zombie (exited, not yet reaped by whichever process adopted it).
  await eventually(`moto ${pid} gone`, 130_000, async () => {
    const stat = path.join('/proc', String(pid), 'stat');
    return !existsSync(stat) || / Z /.test(readFileSync(stat, 'utf8')) ? true : undefined;
  });
}

async function start(): Promise<RunnerProcess> {
  // The same prefix each start, as `npm start` has: the library's resources are found again by name.
  // Beside a full run's other workers a start (its own moto, the library loaded back) has passed the default 90 s.
  const runner = await startRunner({
    ownEmulator: true,
    dataDir,
    prefix: 'image-intel-local',
    readyTimeoutMs: 180_000,
  });
  started.push(runner);
  return runner;
}

/** Should the Ctrl-C case have failed before its restart: whatever it left running stopped, and a runner started. */
async function startOver(): Promise<RunnerProcess> {
  for (const runner of started.splice(0)) await runner.kill();
  await motoGone();
  return start();
}

/** SIGINT, as Ctrl-C: the runner stops its consumers, then moto, which writes its last snapshot. */
async function interrupt(runner: RunnerProcess): Promise<void> {
  const exited = new Promise((resolve) => runner.child.once('exit', resolve));
  runner.child.kill('SIGINT');
  await exited;
  started.splice(started.indexOf(runner), 1);
}

async function call(runner: RunnerProcess, method: string, route: string, body?: unknown) {
  const response = await fetch(`${runner.ready.apiUrl}${route}`, {
    method,
    ...(body !== undefined && { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Every event the runner's example subscriber queue holds (every pipeline event since the library began). */
async function subscriberEvents(runner: RunnerProcess): Promise<{ id: string; type: string; imageId?: string }[]> {
  const sqs = new SQSClient({
    endpoint: runner.ready.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  const events: { id: string; type: string; imageId?: string }[] = [];
  for (;;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: runner.ready.subscriberQueueUrl, MaxNumberOfMessages: 10 }),
    );
    if (Messages.length === 0) break;
    for (const message of Messages) {
      const event = JSON.parse(message.Body ?? '{}') as {
        id: string;
        'detail-type': string;
        detail: { imageId?: string; eventId?: string };
      };
      events.push({ id: event.detail.eventId ?? event.id, type: event['detail-type'], imageId: event.detail.imageId });
    }
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: runner.ready.subscriberQueueUrl,
        Entries: Messages.map((message, i) => ({ Id: String(i), ReceiptHandle: message.ReceiptHandle })),
      }),
    );
  }
  sqs.destroy();
  return events;
}

describe('a runner with a data folder, stopped with Ctrl-C and started again', () => {
  it('keeps the photo PROCESSED, its album, and a share link whose rendition URL still answers', async () => {
    const first = await start();
    const api = new ImageApiClient(first.ready.apiUrl);
    const [photo] = uniquePhotos(1);
    const imageId = await api.upload(photo as Buffer);
    expect((await api.waitForFinal(imageId, 120_000)).status).toBe('PROCESSED');
    const album = await call(first, 'POST', '/albums', { name: 'Kept' });
    expect(album.status).toBe(201);
    const albumId = album.body.albumId as string;
    expect((await call(first, 'POST', `/albums/${albumId}/images`, { imageIds: [imageId] })).status).toBe(200);
    const share = await call(first, 'POST', `/albums/${albumId}/shares`, {});
    expect(share.status).toBe(201);
    const token = share.body.token as string;
    await interrupt(first);

    const second = await start();
    restarted = second;
    const again = new ImageApiClient(second.ready.apiUrl);
    expect((await again.get(imageId))?.status).toBe('PROCESSED');
    const listed = await call(second, 'GET', `/albums/${albumId}`);
    expect((listed.body.items as { imageId: string }[]).map((item) => item.imageId)).toEqual([imageId]);
    const shared = await call(second, 'GET', `/shared/${token}`);
    expect(shared.status).toBe(200);
    const [item] = shared.body.items as { viewUrl: string }[];
    // Signed by the first runner's secret, served by the second: the secret is the library's.
    const view = await fetch((item as { viewUrl: string }).viewUrl);
    expect(view.status).toBe(200);
    expect(view.headers.get('content-type')).toMatch(/^image\//);
  });
});

describe('a runner with a data folder, killed with kill -9 during a burst of uploads and started again', () => {
  it('ends every upload it took PROCESSED, with one outcome event each', async () => {
    const first = restarted ?? (await startOver());
    const api = new ImageApiClient(first.ready.apiUrl);
    const ids: string[] = [];
    const uploads = uniquePhotos(20).map(async (photo, i) => {
      // Spread over a few seconds, so the kill comes with some processed, some in hand and some still arriving.
      await new Promise((resolve) => setTimeout(resolve, i * 150));
      // One the kill cuts off is refused to its caller, and is no upload the library took.
      const id = await api.upload(photo).catch(() => undefined);
      if (id) ids.push(id);
    });
    // Killed once a few are through: the rest fail against a runner that is gone, and are not the library's.
    await eventually('a few uploads taken', 60_000, async () => (ids.length >= 6 ? true : undefined));
    await first.kill();
    await Promise.all(uploads);
    const taken = [...ids];
    started.splice(0);
    console.log(`kill -9 with ${taken.length} of 20 uploads taken; the rest refused to their caller`);

    const second = await start();
    const again = new ImageApiClient(second.ready.apiUrl);
    const statuses = await Promise.all(taken.map(async (id) => (await again.waitForFinal(id, 180_000)).status));
    expect(statuses.filter((status) => status !== 'PROCESSED')).toEqual([]);
    // Each image's outcome event, read from the subscriber queue (kept with the library) until every image has one.
    const outcomes: { id: string; type: string; imageId?: string }[] = [];
    await eventually('every outcome event', 60_000, async () => {
      outcomes.push(...(await subscriberEvents(second)).filter((event) => FINAL_EVENTS.has(event.type)));
      return taken.every((id) => outcomes.some((event) => event.imageId === id)) ? true : undefined;
    });
    // One outcome per image: the same event delivered twice is one (a subscriber drops it by its id), two are not.
    const perImage = taken.map((id) => new Set(outcomes.filter((event) => event.imageId === id).map((e) => e.id)).size);
    expect(perImage).toEqual(taken.map(() => 1));
  });
});
