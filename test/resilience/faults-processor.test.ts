import { randomBytes } from 'node:crypto';
import { GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { ulid } from 'ulid';
import { EventCollector, eventually, queueDrained } from '../e2e/support';
import { type RunnerProcess, startRunner } from '../support/runner-process';
import { indexDifferences } from '../support/search-consistency';
import {
  allFinalEvents,
  directClients,
  eventsThatDiffer,
  eventTally,
  pollerStats,
  records,
  snapshot,
  uniquePhotos,
  uniquePrefix,
  uploadAll,
  useSharedMoto,
} from './support/fault-harness';

/** The processor itself misbehaves: it is killed mid-batch, and it is fed messages that can never succeed. */

const UPLOADS = 30;
// Not a speed limit: the waits for completions end once progress stops (allFinalEvents); this bounds only a
// pipeline that keeps crawling on a loaded machine.
jest.setTimeout(10 * 60_000);

const shared = useSharedMoto();
const { cleanups } = shared;

async function runner(prefix: string, args: string[]): Promise<RunnerProcess> {
  const started = await startRunner({ endpoint: shared.endpoint, prefix, args });
  cleanups.push(() => started.stop());
  return started;
}

async function collectorFor(started: RunnerProcess) {
  const clients = directClients(started.ready, shared.endpoint);
  const collector = new EventCollector(clients.sqs, clients.events, started.ready.eventBus);
  await collector.start();
  cleanups.push(() => collector.stop());
  return { ...clients, collector };
}

describe('the processor under crashes and poison', () => {
  it('processes every image of a batch the processor is killed in the middle of, each event at least once', async () => {
    const prefix = uniquePrefix('kill');
    const args = ['--visibility-timeout', '15'];
    const first = await runner(prefix, args);
    const { api, sqs, collector } = await collectorFor(first);
    const ids = await uploadAll(api, uniquePhotos(UPLOADS));

    // Kill it with a batch in hand, once some images are through: SIGKILL, as Lambda ends a timed-out or crashed
    // invocation; nothing is deleted, so SQS hands the batch out again after the visibility timeout.
    const atKill = await eventually('a batch in hand after some images are done', 60_000, async () => {
      const stats = await pollerStats(first.ready.apiUrl);
      const inHand = stats.received - stats.succeeded - stats.failed;
      return collector.events.length >= 3 && inHand > 0 ? stats : undefined;
    });
    await first.kill();
    const inHand = atKill.received - atKill.succeeded - atKill.failed;
    const { inEventWindow, done: doneAtKill } = await snapshot(shared.endpoint, first.ready.table, ids);

    const second = await runner(prefix, args);
    const api2 = directClients(second.ready, shared.endpoint).api;
    // Idle for longer than the 15 s visibility timeout the batch in hand at the kill waits out.
    await allFinalEvents(collector, ids, 60_000);
    await queueDrained(sqs, second.ready.queueUrl, 60_000);
    const stats = await pollerStats(second.ready.apiUrl);
    const statuses = (await records(api2, ids)).map((image) => image?.status);
    const { items } = await api2.list({ limit: 100 });
    const outside = ids.filter((id) => !inEventWindow.has(id));
    const all = eventTally(collector, ids);
    const windowDuplicates = eventTally(collector, [...inEventWindow]).duplicated;
    console.log(
      `kill: runner SIGKILLed with ${inHand} messages in hand and ${doneAtKill} of ${ids.length} images done ` +
        `(${atKill.redelivered} redelivered before the kill); ` +
        `restarted on the same moto and prefix, which received ${stats.redelivered} redelivered messages; ` +
        `records ${items.length}, PROCESSED ${statuses.filter((s) => s === 'PROCESSED').length}, ` +
        `Image Processed events ${ids.reduce((sum, id) => sum + collector.of(id, 'Image Processed').length, 0)}, ` +
        `images with a duplicate event ${all.duplicated}, lost ${all.lost} ` +
        `(${inEventWindow.size} killed between writing the record and clearing its event flag, ` +
        `${windowDuplicates} of them published twice)`,
    );

    expect(inHand).toBeGreaterThan(0);
    expect(stats.redelivered).toBeGreaterThan(0);
    expect(items).toHaveLength(ids.length);
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
    const differences = await indexDifferences(shared.endpoint, second.ready);
    expect(differences).toEqual({ stale: [], missing: [], expected: expect.any(Number) });
    expect(differences.expected).toBeGreaterThanOrEqual(ids.length * 5);
  });

  it('sends poison messages to the DLQ after five receives, counted, without holding up real uploads', async () => {
    const started = await runner(uniquePrefix('poison'), ['--retry-delay', '4']);
    const { api, sqs, collector } = await collectorFor(started);
    const { queueUrl, dlqUrl } = started.ready;
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
    const whenUploadsDone = await pollerStats(started.ready.apiUrl);
    const images = await records(api, ids);

    const deadLetters = await eventually('both poison messages in the DLQ', 60_000, async () => {
      const { Attributes = {} } = await sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ['ApproximateNumberOfMessages'] }),
      );
      return Number(Attributes.ApproximateNumberOfMessages) >= 2
        ? Number(Attributes.ApproximateNumberOfMessages)
        : undefined;
    });
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: dlqUrl, MaxNumberOfMessages: 10 }));
    await queueDrained(sqs, queueUrl, 30_000);
    const stats = await pollerStats(started.ready.apiUrl);
    const failedImage = await api.get(missingId);
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
