import { randomBytes } from 'node:crypto';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import sharp from 'sharp';
import { ulid } from 'ulid';
import { ImageApiClient, type ImageSummary } from '../../../lambdas/cli/api-client';
import type { PollerStats } from '../../../lambdas/local/poller';
import { eventually, queueDrained } from '../../e2e/support';
import type { RunnerProcess } from '../../support/runner-process';
import { indexDifferences } from '../../support/search-consistency';
import {
  allFinalEvents,
  eventsThatDiffer,
  eventTally,
  pollerStats,
  records,
  type Snapshot,
  snapshot,
  statsSince,
  uniquePhotos,
  uploadAll,
} from '../support/fault-harness';
import type { Clients, Lifecycle } from './lifecycle';

/**
 * The processor itself misbehaves: it is killed mid-batch, and it is fed messages that can never succeed.
 *
 * The lifecycle's runner is SIGKILLed with both an upload's batch in hand and a backfill's map part-way (some batches
 * queued, others not), as Lambda ends a timed-out or crashed invocation, then started once more on the same moto and
 * prefix: every upload and every object of the run ends processed, and the run answers and ends SUCCEEDED. Before the
 * runs were kept in the emulator, the run was a 404 after the restart and the objects not yet queued were never
 * processed, with nothing saying so. The runner started again then takes the poison.
 */

const UPLOADS = 30;
/** The backfill's: ten batches of ten, queued one at a time, so the uploads come while the map is part-way. */
export const OBJECTS = 100;
/** The restart's retry delay: 4 s, so the poison has five receives left while the real uploads beside it go through. */
const RESTART_ARGS = ['--retry-delay', '4'];

type Run = Record<string, unknown> & { status: string; queued: number; listed: number; done: boolean };

/** Small images no other object shares, under `prefix` in `bucket`, for the backfill: put before a runner names it. */
export async function putObjects(endpoint: string, bucket: string, prefix: string): Promise<string[]> {
  const s3 = new S3Client({
    endpoint,
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

/** The backfill run as `runner` answers it, to an admin. */
async function backfill(runner: RunnerProcess, admin: Clients, id: string): Promise<{ status: number; run: Run }> {
  const response = await fetch(`${runner.ready.apiUrl}/backfills/${id}`, {
    headers: { authorization: `Bearer ${admin.token}` },
  });
  return { status: response.status, run: (await response.json()) as Run };
}

/** Every record of one owner, page by page. */
async function everyImage(api: ImageApiClient): Promise<ImageSummary[]> {
  const images: ImageSummary[] = [];
  let cursor: string | undefined;
  do {
    const page = await api.list({ limit: 100, cursor });
    images.push(...page.items);
    cursor = page.cursor;
  } while (cursor);
  return images;
}

export function killPhase(life: Lifecycle): void {
  describe('the runner SIGKILLed in the middle of an upload batch and of a backfill, then started again', () => {
    let first: RunnerProcess;
    let second: RunnerProcess;
    let ids: string[];
    let backfillId: string;
    /** The poller's counts from the phase's start to the kill, and the backfill run as it answered then. */
    let atKill: PollerStats;
    let runAtKill: Run | undefined;
    let killed: Snapshot;
    /** The run as the restarted runner first answered it, and as it ended. */
    let afterRestart: { status: number; run: Run };
    let ended: Run;
    let restartedStats: PollerStats;
    /** The source's owner's records (this phase's uploads and the backfill's objects), from the restarted runner. */
    let images: ImageSummary[];
    let owner: Clients;

    beforeAll(async () => {
      first = life.runner;
      owner = await life.clients('kill');
      const admin = await life.clients('kill-admin', { admin: true });
      const before = await pollerStats(first.ready.apiUrl);
      const response = await fetch(`${first.ready.apiUrl}/backfills`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${admin.token}` },
        body: JSON.stringify({ bucket: life.source.bucket, prefix: 'old/' }),
      });
      expect(response.status).toBe(202);
      ({ id: backfillId } = (await response.json()) as { id: string });
      // The uploads go as the map starts (its first batch takes seconds: moto runs the batch's execution), so that
      // they are queued ahead of most of its batches and some are done while it still queues. Sent only once its first
      // batch was queued, they waited behind it, and a CI run saw the map done with 8 of 30 uploads through.
      const uploading = uploadAll(owner.api, uniquePhotos(UPLOADS));
      await eventually('the first batch queued', 60_000, async () => {
        const { run } = await backfill(first, admin, backfillId);
        return run.queued > 0 ? true : undefined;
      });
      ids = await uploading;

      // Kill it with a batch in hand once some uploads are through and others not, and the map part-way: at least
      // one batch of ten objects queued, not all of them.
      let seen = '';
      for (const deadline = Date.now() + 60_000; !runAtKill && Date.now() < deadline; ) {
        const [{ run }, now] = await Promise.all([backfill(first, admin, backfillId), pollerStats(first.ready.apiUrl)]);
        const stats = statsSince(before, now);
        const inHand = stats.received - stats.succeeded - stats.failed;
        const mapPartWay = run.status === 'RUNNING' && run.queued >= 10 && run.queued < OBJECTS;
        const uploadsPartWay = doneOf(ids) > 0 && doneOf(ids) < UPLOADS;
        seen = `the run ${run.status} with ${run.queued} queued, ${inHand} messages in hand, ${doneOf(ids)} uploads done`;
        if (mapPartWay && uploadsPartWay && inHand > 0) [runAtKill, atKill] = [run, stats];
        else await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await first.kill();
      // Should the moment not come, the failure says what was seen last.
      expect({ caught: runAtKill?.status, seen }).toEqual({ caught: 'RUNNING', seen });
      killed = await snapshot(life.endpoint, first.ready.table, ids);

      second = await life.restart(RESTART_ARGS);
      // The restarted runner signs tokens with keys of its own.
      owner = await life.clients('kill');
      const admin2 = await life.clients('kill-admin', { admin: true });
      afterRestart = await backfill(second, admin2, backfillId);
      // Idle for longer than the 30 s visibility timeout the batch in hand at the kill waits out.
      await allFinalEvents(life.collector, ids, 60_000);
      ended = await eventually(`backfill ${backfillId} to end`, 120_000, async () => {
        const { run } = await backfill(second, admin2, backfillId);
        return run.done || run.status === 'FAILED' ? run : undefined;
      });
      await queueDrained(owner.sqs, second.ready.queueUrl, 60_000);
      restartedStats = await pollerStats(second.ready.apiUrl);
      images = await everyImage(owner.api);
    });

    it('processes every image of a batch the processor is killed in the middle of, each event at least once', async () => {
      const { collector } = life;
      const inHand = atKill.received - atKill.succeeded - atKill.failed;
      const statuses = (await records(owner.api, ids)).map((image) => image?.status);
      const { inEventWindow } = killed;
      const outside = ids.filter((id) => !inEventWindow.has(id));
      const all = eventTally(collector, ids);
      const windowDuplicates = eventTally(collector, [...inEventWindow]).duplicated;
      console.log(
        `kill: runner SIGKILLed with ${inHand} messages in hand and ${killed.done} of ${ids.length} images done ` +
          `(${atKill.redelivered} redelivered before the kill); ` +
          `restarted on the same moto and prefix, which received ${restartedStats.redelivered} redelivered messages; ` +
          `PROCESSED ${statuses.filter((s) => s === 'PROCESSED').length}, ` +
          `Image Processed events ${ids.reduce((sum, id) => sum + collector.of(id, 'Image Processed').length, 0)}, ` +
          `images with a duplicate event ${all.duplicated}, lost ${all.lost} ` +
          `(${inEventWindow.size} killed between writing the record and clearing its event flag, ` +
          `${windowDuplicates} of them published twice)`,
      );

      expect(inHand).toBeGreaterThan(0);
      expect(restartedStats.redelivered).toBeGreaterThan(0);
      // One record per upload, none twice; the rest are the backfill's objects (the next test).
      expect(ids.filter((id) => images.filter((image) => image.imageId === id).length !== 1)).toEqual([]);
      expect(images).toHaveLength(ids.length + OBJECTS);
      expect(statuses.filter((status) => status !== 'PROCESSED')).toEqual([]);
      // At least once: no image lost, each with its event. Exactly once for every image but those the kill caught
      // between their record and their event flag: their event may have gone out, and the retry publishes it again.
      expect(all.lost).toBe(0);
      for (const id of outside) expect(collector.of(id, 'Image Processed')).toHaveLength(1);
      expect(all.duplicated).toBe(windowDuplicates);
      // Only images in flight can be in that window when the process dies: at most the batches at once times the
      // images each has in flight (the window holds the search postings' writes and the event's publication).
      const { concurrency, imagesInFlight } = first.ready.processing;
      expect(inEventWindow.size).toBeLessThanOrEqual(concurrency * imagesInFlight);
      for (const id of inEventWindow) expect(collector.of(id, 'Image Processed').length).toBeLessThanOrEqual(2);
      // One published twice is the same event twice, which a subscriber drops by its `eventId`.
      expect(eventsThatDiffer(collector, ids)).toEqual([]);
      // The search index agrees with the records: a kill between the final write and the postings was repaired.
      const differences = await indexDifferences(life.endpoint, second.ready);
      expect(differences).toEqual({ stale: [], missing: [], expected: expect.any(Number) });
      expect(differences.expected).toBeGreaterThanOrEqual(images.length * 5);
    });

    it('carries the backfill on after the restart: the run answers, and ends with every object processed', () => {
      const backfilled = images.filter((image) => !ids.includes(image.imageId));
      console.log(
        `backfill kill: runner SIGKILLed with ${runAtKill?.queued} of ${OBJECTS} objects queued ` +
          `(listed ${runAtKill?.listed}); restarted on the same moto and prefix: GET /backfills/${backfillId} ` +
          `answered ${afterRestart.status} (${afterRestart.run.status}); the run ended ${ended.status}, ` +
          `listed ${ended.listed}, queued ${ended.queued}, processed ${ended.processed}, failed ${ended.failed}; ` +
          `${backfilled.length} records`,
      );

      expect({ status: afterRestart.status, message: afterRestart.run.message }).toEqual({
        status: 200,
        message: undefined,
      });
      expect(ended).toMatchObject({ status: 'SUCCEEDED', done: true, listed: OBJECTS, failed: 0 });
      // Every object counted, at least once (docs/api.md#backfills): one whose record the killed runner wrote but had
      // not yet counted is counted `skipped` when its message comes again, found done. Only a message that came twice
      // can be: those of the batches in flight at the kill, at most the batches at once times a batch (2 x 10 here; a
      // fresh-clone run saw 13, past the one batch this bound allowed before), and those the first runner was given
      // again before the kill (say a batch held past the 30 s visibility timeout on a loaded machine). A full run saw
      // 22, two past the bound without them; its log line (above) now says how many came again before the kill.
      const { processed, skipped } = ended as Run & { processed: number; skipped: number };
      expect(processed + skipped).toBeGreaterThanOrEqual(OBJECTS);
      const { concurrency, batchSize } = first.ready.processing;
      expect(processed).toBeGreaterThanOrEqual(OBJECTS - concurrency * batchSize - atKill.redelivered);
      // No batch queued twice: the batch in flight at the kill was followed to its end, not started again.
      expect(ended.queued).toBe(OBJECTS);
      expect(backfilled.map((image) => image.status)).toEqual(life.source.keys.map(() => 'PROCESSED'));
    });
  });

  describe('the runner started again', () => {
    it('sends poison messages to the DLQ after five receives, counted, without holding up real uploads', async () => {
      const { runner: started, collector } = life;
      const { api, sqs } = await life.clients('poison');
      // The notification for a missing bucket makes a record with no owner: only an admin reads it.
      const admin = new ImageApiClient(started.ready.apiUrl, {
        bearerToken: (await life.clients('poison-admin', { admin: true })).token,
      });
      const { queueUrl, dlqUrl } = started.ready;
      const dlqCount = async () => {
        const { Attributes = {} } = await sqs.send(
          new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ['ApproximateNumberOfMessages'] }),
        );
        return Number(Attributes.ApproximateNumberOfMessages);
      };
      // Nothing the lifecycle did before was dead-lettered: the DLQ holds exactly what this test sends it.
      expect(await dlqCount()).toBe(0);
      const before = await pollerStats(started.ready.apiUrl);
      const missingId = ulid();
      const malformed = `not JSON at all ${randomBytes(4).toString('hex')} {`;
      const unknownBucket = JSON.stringify({
        Records: [
          {
            eventName: 'ObjectCreated:Put',
            eventTime: new Date().toISOString(),
            s3: {
              bucket: { name: `fault-missing-${randomBytes(4).toString('hex')}` },
              object: { key: `uploads/${missingId}.jpg`, size: 10 },
            },
          },
        ],
      });
      for (const body of [malformed, unknownBucket]) {
        await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
      }
      const ids = await uploadAll(api, uniquePhotos(10));

      await allFinalEvents(collector, ids, 60_000);
      const whenUploadsDone = statsSince(before, await pollerStats(started.ready.apiUrl));
      const images = await records(api, ids);

      const deadLetters = await eventually('both poison messages in the DLQ', 60_000, async () => {
        const count = await dlqCount();
        return count >= 2 ? count : undefined;
      });
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: dlqUrl, MaxNumberOfMessages: 10 }),
      );
      await queueDrained(sqs, queueUrl, 30_000);
      const stats = statsSince(before, await pollerStats(started.ready.apiUrl));
      const failedImage = await admin.get(missingId);
      const tally = eventTally(collector, ids);
      console.log(
        `poison: a malformed body and a notification for a missing bucket among ${ids.length} uploads; ` +
          `DLQ ${deadLetters} messages after ${failedImage?.attempts} receives each; ` +
          `poller failed ${stats.failed}, dead-lettered ${stats.deadLettered}, handler errors ${stats.handlerErrors}; ` +
          `uploads PROCESSED ${images.filter((image) => image?.status === 'PROCESSED').length} on their first attempt ` +
          `while the poison was still retrying (dead-lettered ${whenUploadsDone.deadLettered} at that time); ` +
          `duplicates ${tally.duplicated}, lost ${tally.lost}`,
      );

      expect(deadLetters).toBe(2);
      expect(Messages.map((m) => m.Body).sort()).toEqual([malformed, unknownBucket].sort());
      expect(stats).toMatchObject({ failed: 10, deadLettered: 2, handlerErrors: 0 });
      expect(failedImage).toMatchObject({ status: 'FAILED', attempts: 5 });
      expect(collector.of(missingId, 'Image Failed')).toHaveLength(1);
      // Not held up: every upload went through on its first attempt, before the poison had run out of receives.
      expect(images.map((image) => [image?.status, image?.attempts])).toEqual(ids.map(() => ['PROCESSED', 1]));
      expect(whenUploadsDone.deadLettered).toBe(0);
      expect(tally).toEqual({ duplicated: 0, lost: 0 });
    });
  });

  const FINAL_EVENTS = new Set(['Image Processed', 'Image Rejected', 'Image Failed']);

  /** How many of `ids` have their completion event. */
  function doneOf(ids: string[]): number {
    const final = life.collector.events.filter((event) => FINAL_EVENTS.has(event.detailType));
    const heard = new Set(final.map((event) => event.detail.imageId));
    return ids.filter((id) => heard.has(id)).length;
  }
}
