import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { type Emulator, LibraryFolderError, startEmulator } from '../../../lambdas/local/emulator';

/**
 * moto's state kept in a data folder (lambdas/local/moto-snapshots.ts): written on stop and loaded on start, a torn
 * snapshot passed over for the previous good one, a snapshot of another format refused. Each test starts a moto of
 * its own on its own folder: what is tested is that moto stopping and starting again.
 */

jest.setTimeout(120_000);

let dir: string;
let emulator: Emulator | undefined;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'moto-snapshots-'));
});
afterEach(async () => {
  await emulator?.stop();
  emulator = undefined;
  rmSync(dir, { recursive: true, force: true });
});

/** moto on the folder; its writes count as changes at once, unless `provisioning` (the runner's start) is asked for. */
async function start(log: string[] = [], snapshotSeconds?: number, provisioning = false): Promise<S3Client> {
  emulator = await startEmulator({
    venvDir: path.join(dir, 'venv'),
    log: (line) => log.push(line),
    library: { dir: path.join(dir, 'library'), runnerVersion: 'test', snapshotSeconds },
  });
  if (!provisioning) await emulator.provisioned?.();
  return new S3Client({
    endpoint: emulator.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
}

async function stop(): Promise<void> {
  await emulator?.stop();
  emulator = undefined;
}

async function put(s3: S3Client, key: string, body: string): Promise<void> {
  await s3.send(new PutObjectCommand({ Bucket: 'kept', Key: key, Body: body }));
}

async function read(s3: S3Client, key: string): Promise<string | undefined> {
  try {
    const { Body } = await s3.send(new GetObjectCommand({ Bucket: 'kept', Key: key }));
    return await Body?.transformToString();
  } catch (error) {
    if ((error as Error).name === 'NoSuchKey' || (error as Error).name === 'NoSuchBucket') return undefined;
    throw error;
  }
}

const snapshot = () => path.join(dir, 'library', 'snapshot');

async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('a periodic snapshot was never seen being written');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe("moto's state in a data folder", () => {
  it('stopped while a periodic snapshot is being written, waits for it and keeps every change it was told of', async () => {
    // Bodies big enough that writing them takes a while.
    const body = 'x'.repeat(1024 * 1024);
    const keys = Array.from({ length: 80 }, (_, i) => `${i}.bin`);
    // Should the whole snapshot be written between two looks (5 ms apart), the stop did not cut into it, and the case
    // is tried again in a fresh folder, at most five times.
    for (let attempt = 1; ; attempt++) {
      // The first snapshot is taken 8 s after the first change: by then every put below is in, and it writes them all.
      let s3 = await start([], 8);
      await s3.send(new CreateBucketCommand({ Bucket: 'kept' }));
      for (let i = 0; i < keys.length; i += 8) await Promise.all(keys.slice(i, i + 8).map((key) => put(s3, key, body)));
      // Stopped (SIGTERM, as the runner stops it) once that snapshot has begun writing bodies, and not yet finished.
      const blobs = path.join(dir, 'library', 'blobs');
      await until(() => readdirSync(blobs).length > 0);
      // Frozen (SIGSTOP) as soon as its first body is seen, moto cannot finish the snapshot between the look below and
      // the SIGTERM: it gets the SIGTERM, pending, with the SIGCONT. Without the freeze a loaded machine could let the
      // snapshot end in between, and a run needed tries (each 80 MB and two moto starts) to catch it.
      const pid = Number(readFileSync(path.join(dir, 'library', 'lock'), 'utf8'));
      process.kill(pid, 'SIGSTOP');
      const caught = !existsSync(snapshot());
      const stopping = stop();
      process.kill(pid, 'SIGCONT');
      await stopping;

      s3 = await start();
      expect((await read(s3, '79.bin'))?.length).toBe(body.length);
      if (caught) return;
      if (attempt === 5) throw new Error('in 5 tries, moto was never stopped while a snapshot was being written');
      await stop();
      rmSync(dir, { recursive: true, force: true });
      dir = mkdtempSync(path.join(tmpdir(), 'moto-snapshots-'));
    }
  }, 300_000);

  // One case, not two: a torn snapshot needs a good one before it, which was the whole of a case of its own (merged,
  // the file starts moto twice less).
  it('is written when moto stops and read when it starts again, object bodies as files beside it; the previous one is loaded when the last one is torn, and the torn one kept aside', async () => {
    let s3 = await start();
    await s3.send(new CreateBucketCommand({ Bucket: 'kept' }));
    await put(s3, 'a.txt', 'first');
    await stop();
    s3 = await start();
    expect(await read(s3, 'a.txt')).toBe('first');
    // The body is a file of its own, not in the pickle.
    expect(readFileSync(snapshot()).includes('first')).toBe(false);
    await put(s3, 'b.txt', 'second');
    await stop();
    // As if the machine went down mid-write with no rename to guard it: the newest snapshot cut short.
    truncateSync(snapshot(), readFileSync(snapshot()).length - 100);

    const log: string[] = [];
    s3 = await start(log);
    expect(await read(s3, 'a.txt')).toBe('first');
    expect(await read(s3, 'b.txt')).toBeUndefined();
    expect(log.join('\n')).toMatch(/snapshot is not loaded: it is incomplete/);
    expect(readFileSync(`${snapshot()}.damaged`).length).toBeGreaterThan(0);
  });

  it("takes no snapshot for what a runner's start provisions, and keeps the first change after it", async () => {
    let s3 = await start([], undefined, true);
    await s3.send(new CreateBucketCommand({ Bucket: 'kept' }));
    await emulator?.provisioned?.();
    await stop();
    // Only provisioning was written, which the next start makes again: no snapshot held a request for it.
    expect(existsSync(snapshot())).toBe(false);

    s3 = await start([], undefined, true);
    await s3.send(new CreateBucketCommand({ Bucket: 'kept' }));
    await emulator?.provisioned?.();
    await put(s3, 'a.txt', 'first');
    await stop();
    s3 = await start();
    expect(await read(s3, 'a.txt')).toBe('first');
  });

  it('takes no snapshot for a consumer acknowledging a message alone, and keeps the acknowledgement at stop', async () => {
    await start([], 1);
    const sqs = () =>
      new SQSClient({
        endpoint: emulator?.endpoint,
        region: 'us-east-1',
        credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      });
    const { QueueUrl } = await sqs().send(new CreateQueueCommand({ QueueName: 'work' }));
    await sqs().send(new SendMessageCommand({ QueueUrl, MessageBody: 'one' }));
    // The change's snapshot, a second later.
    await until(() => existsSync(snapshot()));
    const written = statSync(snapshot()).mtimeMs;
    const { Messages } = await sqs().send(new ReceiveMessageCommand({ QueueUrl }));
    await sqs().send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: Messages?.[0]?.ReceiptHandle }));
    // Three times the snapshot delay: a change would have had one written by now.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(statSync(snapshot()).mtimeMs).toBe(written);

    await stop();
    await start();
    const again = await sqs().send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 0 }));
    expect(again.Messages ?? []).toEqual([]);
  });

  it('refuses a snapshot of another format, saying what to do', async () => {
    const s3 = await start();
    await s3.send(new CreateBucketCommand({ Bucket: 'kept' }));
    await stop();
    const [header, ...rest] = readFileSync(snapshot(), 'latin1').split('\n');
    const older = { ...JSON.parse(header as string), format: 0, runner: '0.0.9' };
    writeFileSync(snapshot(), [JSON.stringify(older), ...rest].join('\n'), 'latin1');

    const refused = await start().then(
      () => undefined,
      (error: Error) => error,
    );
    expect(refused).toBeInstanceOf(LibraryFolderError);
    expect(refused?.message).toBe(
      `image-intel data folder: ${snapshot()} was written by image-intel 0.0.9 in snapshot format 0; this runner ` +
        '(test) reads format 1 only. Start the runner that wrote it (git checkout of that version) to keep using it, ' +
        'or move the folder aside (or use --data-dir <another folder>) to start an empty library here.',
    );
  });
});
