import { randomBytes } from 'node:crypto';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import sharp from 'sharp';
import type { ImageSummary } from '../../lambdas/cli/api-client';
import { eventually } from '../e2e/support';
import { type RunnerProcess, startRunner } from '../support/runner-process';
import { directClients, uniquePrefix, useSharedMoto } from './support/fault-harness';

/**
 * A backfill run outlives the runner that started it: the runner is SIGKILLed in the middle of a run's map (some
 * batches queued, others not), started again on the same moto and prefix, and the run answers and ends with every
 * object processed, or visibly FAILED. Before the runs were kept in the emulator, the run was a 404 after the restart
 * and the objects not yet queued were never processed, with nothing saying so.
 */

const OBJECTS = 60;
jest.setTimeout(180_000);

const shared = useSharedMoto();
const { cleanups } = shared;

type Run = Record<string, unknown> & { status: string; queued: number; listed: number; done: boolean };

async function backfill(runner: RunnerProcess, id: string): Promise<{ status: number; run: Run }> {
  const response = await fetch(`${runner.ready.apiUrl}/backfills/${id}`);
  return { status: response.status, run: (await response.json()) as Run };
}

/** Small images no other object shares, under `prefix` in `bucket`. */
async function putObjects(bucket: string, prefix: string): Promise<string[]> {
  const s3 = new S3Client({
    endpoint: shared.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  const keys = Array.from({ length: OBJECTS }, (_, i) => `${prefix}photo ${String(i).padStart(2, '0')}.jpg`);
  for (const key of keys) {
    const cells = randomBytes(6 * 4 * 3);
    const body = await sharp(cells, { raw: { width: 6, height: 4, channels: 3 } })
      .resize(48, 32, { kernel: 'nearest' })
      .jpeg()
      .toBuffer();
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'image/jpeg' }));
  }
  s3.destroy();
  return keys;
}

it('carries a backfill on after the runner is SIGKILLed mid-run and started again: every object processed', async () => {
  const prefix = uniquePrefix('backfill-kill');
  const bucket = `${prefix}-source`;
  const keys = await putObjects(bucket, 'old/');
  // One batch at a time, so the kill reliably comes with some batches queued and others not.
  const args = ['-c', `sourceBuckets=${bucket}`, '-c', 'backfillMaxConcurrency=1', '--visibility-timeout', '15'];
  const start = async () => {
    const started = await startRunner({ endpoint: shared.endpoint, prefix, args });
    cleanups.push(() => started.stop());
    return started;
  };
  const first = await start();
  const response = await fetch(`${first.ready.apiUrl}/backfills`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ bucket, prefix: 'old/' }),
  });
  expect(response.status).toBe(202);
  const { id } = (await response.json()) as { id: string };

  // Kill it with the map part-way: at least one batch of ten queued, not all sixty.
  let atKill: Run | undefined;
  for (const deadline = Date.now() + 60_000; !atKill && Date.now() < deadline; ) {
    const { run } = await backfill(first, id);
    if (run.queued >= 10 && run.queued < OBJECTS && run.status === 'RUNNING') atKill = run;
    else await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await first.kill();
  expect(atKill).toMatchObject({ status: 'RUNNING' });

  const second = await start();
  const after = await backfill(second, id);
  expect({ status: after.status, message: after.run.message }).toEqual({ status: 200, message: undefined });
  const run = await eventually(`backfill ${id} to end`, 120_000, async () => {
    const { run: now } = await backfill(second, id);
    return now.done || now.status === 'FAILED' ? now : undefined;
  });
  const { api } = directClients(second.ready, shared.endpoint);
  const images: ImageSummary[] = [];
  let cursor: string | undefined;
  do {
    const page = await api.list({ limit: 100, cursor });
    images.push(...page.items);
    cursor = page.cursor;
  } while (cursor);
  console.log(
    `backfill kill: runner SIGKILLed with ${atKill?.queued} of ${OBJECTS} objects queued (listed ${atKill?.listed}); ` +
      `restarted on the same moto and prefix: GET /backfills/${id} answered ${after.status} (${after.run.status}); ` +
      `the run ended ${run.status}, listed ${run.listed}, queued ${run.queued}, processed ${run.processed}, ` +
      `failed ${run.failed}; ${images.length} records`,
  );

  expect(run).toMatchObject({ status: 'SUCCEEDED', done: true, listed: OBJECTS, failed: 0 });
  // Every object counted, at least once (docs/api.md#backfills): one whose record the killed runner wrote but had not
  // yet counted is counted `skipped` when its message comes again, found done. Only the batch in flight can be.
  const { processed, skipped } = run as Run & { processed: number; skipped: number };
  expect(processed + skipped).toBeGreaterThanOrEqual(OBJECTS);
  expect(processed).toBeGreaterThanOrEqual(OBJECTS - 10);
  // No batch queued twice: the batch in flight at the kill was followed to its end, not started again.
  expect(run.queued).toBe(OBJECTS);
  expect(images.map((image) => image.status)).toEqual(keys.map(() => 'PROCESSED'));
});
