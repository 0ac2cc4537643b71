import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type AttributeValue, BatchWriteItemCommand, DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import {
  CopyObjectCommand,
  GetBucketNotificationConfigurationCommand,
  ListObjectsV2Command,
  PutBucketNotificationConfigurationCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { ulid } from 'ulid';
import { ImageApiClient } from '../../lambdas/cli/api-client';
import { fixture } from '../../test/fixtures';
import { describeMachine, loadAverages } from '../../test/support/machine';
import { type RunnerProcess, startRunner } from '../../test/support/runner-process';

/*
 * `npm run bench:library [-- --images N]`: how the runner's data folder (lambdas/local/moto-snapshots.ts) copes with a
 * library of N photos (default 10,000). One photo is uploaded and processed through the runner; its records (every
 * item of every table that names its id) and its objects (the upload, thumbnails, renditions) are then copied N-1
 * times under new ids straight into the emulator, so the library holds N processed photos as the pipeline makes
 * them. Then: the runner stopped (its last snapshot), the folder's size, the runner started again (to its ready
 * file, the snapshot loaded), the first page of `GET /images`, and a start of an empty in-memory runner beside it.
 */

const images = Number(process.argv[process.argv.indexOf('--images') + 1] || 10_000);
/** `--keep <dir>`: make the library there, and leave it for a look (a profile of its load, a start by hand). */
const keep = process.argv.includes('--keep')
  ? path.resolve(process.argv[process.argv.indexOf('--keep') + 1] ?? '')
  : '';
const PARALLEL = 16;

function clients(endpoint: string) {
  const common = { endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
  return { s3: new S3Client({ ...common, forcePathStyle: true }), dynamodb: new DynamoDBClient(common) };
}

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await work();
  return [result, (performance.now() - started) / 1000];
}

/** Every item of the runner's tables whose attributes name `imageId`, by table. */
async function itemsOf(dynamodb: DynamoDBClient, tables: string[], imageId: string) {
  const found: { table: string; item: Record<string, AttributeValue> }[] = [];
  for (const table of tables) {
    let start: Record<string, AttributeValue> | undefined;
    do {
      const page = await dynamodb.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start }));
      for (const item of page.Items ?? []) if (JSON.stringify(item).includes(imageId)) found.push({ table, item });
      start = page.LastEvaluatedKey;
    } while (start);
  }
  return found;
}

async function pool(count: number, work: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: PARALLEL }, async () => {
      for (let i = next++; i < count; i = next++) await work(i);
    }),
  );
}

/** Copy the photo's items and objects N-1 times under new ids. */
async function fill(runner: RunnerProcess, imageId: string): Promise<{ items: number; objects: number }> {
  const { s3, dynamodb } = clients(runner.ready.endpoint);
  const items = await itemsOf(dynamodb, Object.values(runner.ready.tables), imageId);
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: runner.ready.bucket }));
  const keys = (listed.Contents ?? []).map((object) => object.Key as string).filter((key) => key.includes(imageId));
  const base = Date.now() - images * 1000;
  // A copy into uploads/ is an ObjectCreated event: with the bucket's notification on, every copy would be queued
  // and processed again (10,000 messages still in flight at the restart measured below). Off during the fill.
  const bucket = { Bucket: runner.ready.bucket };
  const notification = await s3.send(new GetBucketNotificationConfigurationCommand(bucket));
  await s3.send(new PutBucketNotificationConfigurationCommand({ ...bucket, NotificationConfiguration: {} }));
  await pool(images - 1, async (i) => {
    const id = ulid(base + i * 1000);
    const copies = items.map(({ table, item }) => ({
      table,
      item: JSON.parse(JSON.stringify(item).replaceAll(imageId, id)) as Record<string, AttributeValue>,
    }));
    for (let at = 0; at < copies.length; at += 25) {
      const batch = copies.slice(at, at + 25);
      const byTable: Record<string, { PutRequest: { Item: Record<string, AttributeValue> } }[]> = {};
      for (const { table, item } of batch) {
        byTable[table] = [...(byTable[table] ?? []), { PutRequest: { Item: item } }];
      }
      await dynamodb.send(new BatchWriteItemCommand({ RequestItems: byTable }));
    }
    for (const key of keys) {
      await s3.send(
        new CopyObjectCommand({
          Bucket: runner.ready.bucket,
          Key: key.replaceAll(imageId, id),
          CopySource: `${runner.ready.bucket}/${key}`,
        }),
      );
    }
  });
  const { $metadata: _, ...configuration } = notification;
  await s3.send(new PutBucketNotificationConfigurationCommand({ ...bucket, NotificationConfiguration: configuration }));
  s3.destroy();
  dynamodb.destroy();
  return { items: items.length, objects: keys.length };
}

/** Wait until the moto holding the folder's lock (its pid is in the file) has exited. */
async function motoGone(dataDir: string): Promise<void> {
  const pid = Number(readFileSync(path.join(dataDir, 'lock'), 'utf8'));
  const alive = () => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  while (pid > 0 && alive()) await new Promise((resolve) => setTimeout(resolve, 100));
}

/**
 * The slowest of `GET /images` pages asked for once a second over the 30 s after the start, as a user opening the web
 * app then would: a snapshot taken meanwhile holds them (the trash sweep at start fans out to the shards, a change).
 */
async function slowestPage(runner: RunnerProcess): Promise<{ slowest: number; pages: number }> {
  const api = new ImageApiClient(runner.ready.apiUrl);
  const until = performance.now() + 30_000;
  let slowest = 0;
  let pages = 0;
  while (performance.now() < until) {
    const [, seconds] = await timed(() => api.list({ limit: 50 }));
    slowest = Math.max(slowest, seconds);
    pages += 1;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  return { slowest, pages };
}

function folderSize(dir: string): { bytes: number; files: number } {
  let bytes = 0;
  let files = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      const inner = folderSize(full);
      bytes += inner.bytes;
      files += inner.files;
    } else {
      bytes += statSync(full).size;
      files += 1;
    }
  }
  return { bytes, files };
}

async function main(): Promise<void> {
  const dataDir = keep || path.join(mkdtempSync(path.join(tmpdir(), 'bench-library-')), 'library');
  try {
    // No periodic snapshot while the library is filled: each would hold the fill's requests while it pickles a
    // library that grows with every batch (a 10,000-photo fill had not finished in 15 minutes with them). The fill is
    // the bench's set-up; what is measured is the last snapshot, the folder and the start.
    const first = await startRunner({
      dataDir,
      prefix: 'bench-library',
      env: { IMAGE_INTEL_SNAPSHOT_SECONDS: String(24 * 3600) },
    });
    const api = new ImageApiClient(first.ready.apiUrl);
    const imageId = await api.upload(fixture('photos/pier.jpg'));
    await api.waitForFinal(imageId, 120_000);
    const [perPhoto, fillSeconds] = await timed(() => fill(first, imageId));
    // Until moto has written its last snapshot and exited (the helper's stop gives the runner 10 s, then kills it).
    const [, stopSeconds] = await timed(async () => {
      await first.stop();
      await motoGone(dataDir);
    });
    const snapshot = statSync(path.join(dataDir, 'snapshot')).size;
    const folder = folderSize(dataDir);

    // However long the library takes to load: that is what is measured.
    const [second, startSeconds] = await timed(() =>
      startRunner({ dataDir, prefix: 'bench-library', readyTimeoutMs: 30 * 60_000 }),
    );
    const [page, listSeconds] = await timed(() => new ImageApiClient(second.ready.apiUrl).list({ limit: 50 }));
    if (page.items.length === 0) throw new Error(`the library came back empty:\n${first.log()}\n${second.log()}`);
    const afterStart = await slowestPage(second);
    const [, secondStopSeconds] = await timed(async () => {
      await second.stop();
      await motoGone(dataDir);
    });
    const [empty, emptyStartSeconds] = await timed(() => startRunner({}));
    await empty.stop();

    const results = {
      date: new Date().toISOString(),
      machine: describeMachine(),
      load: loadAverages(),
      command: `npm run bench:library -- --images ${images}`,
      images,
      perPhoto,
      fillSeconds,
      stopWithLastSnapshotSeconds: stopSeconds,
      secondStopSeconds,
      snapshotBytes: snapshot,
      folderBytes: folder.bytes,
      folderFiles: folder.files,
      startSeconds,
      firstPageSeconds: listSeconds,
      firstPageItems: page.items.length,
      slowestPageAfterStartSeconds: afterStart.slowest,
      pagesAfterStart: afterStart.pages,
      emptyInMemoryStartSeconds: emptyStartSeconds,
    };
    writeFileSync(path.join(__dirname, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
    writeFileSync(path.join(__dirname, 'results.md'), report(results));
    process.stdout.write(report(results));
  } finally {
    if (!keep) rmSync(path.dirname(dataDir), { recursive: true, force: true });
  }
}

function report(r: Record<string, unknown>): string {
  const n = (value: unknown, digits = 1) => Number(value).toFixed(digits);
  const mb = (value: unknown) => `${(Number(value) / 1e6).toFixed(1)} MB`;
  const perPhoto = r.perPhoto as { items: number; objects: number };
  return [
    `# The runner's data folder with ${Number(r.images).toLocaleString('en')} photos`,
    '',
    `\`${r.command}\` on ${r.date} (${r.machine}); \`npm run build\` first. Each photo: ${perPhoto.items} items ` +
      `and ${perPhoto.objects} objects, copies of one processed through the runner (\`test/fixtures/photos/pier.jpg\`).`,
    '',
    '| | |',
    '| --- | --- |',
    `| filling the library (straight into moto, ${PARALLEL} at once, no snapshot meanwhile) | ${n(r.fillSeconds)} s |`,
    `| stopping the runner, with its last snapshot | ${n(r.stopWithLastSnapshotSeconds)} s |`,
    `| the snapshot (records, queues, secrets: no object bodies) | ${mb(r.snapshotBytes)} |`,
    `| the whole folder (snapshot, previous snapshot, one file per object) | ${mb(r.folderBytes)} in ${r.folderFiles} files |`,
    `| **starting the runner on it** (to its ready file, the snapshot loaded) | **${n(r.startSeconds)} s** |`,
    `| its first \`GET /images\` page (${r.firstPageItems} photos) | ${n(r.firstPageSeconds, 2)} s |`,
    `| the slowest of ${r.pagesAfterStart} such pages, one a second for the 30 s after the start | ${n(r.slowestPageAfterStartSeconds, 2)} s |`,
    `| stopping it again, after those 30 s (its last snapshot, after any being written) | ${n(r.secondStopSeconds)} s |`,
    `| starting an empty \`--in-memory\` runner, beside it | ${n(r.emptyInMemoryStartSeconds)} s |`,
    '',
  ].join('\n');
}

main().catch((error: Error) => {
  process.stderr.write(`${error.stack}\n`);
  process.exit(1);
});
