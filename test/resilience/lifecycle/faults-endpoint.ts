import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { EVENT_ID_PATTERN } from '../../../lambdas/events/vocabulary';
import { eventually, queueDrained } from '../../e2e/support';
import { indexDifferences } from '../../support/search-consistency';
import {
  allFinalEvents,
  type ClientRetries,
  eventsThatDiffer,
  eventTally,
  perService,
  pollerStats,
  records,
  snapshot,
  statsSince,
  total,
  uniquePhotos,
  uploadAll,
} from '../support/fault-harness';
import { type ProxiedCall, SERVICES } from '../support/fault-proxy';
import type { Clients, Lifecycle } from './lifecycle';

/**
 * The AWS endpoint misbehaves under the running pipeline: the proxy between the lifecycle's runner and moto either
 * refuses a share of the calls (throttling, 5xx) or goes away for a while. Each test switches the proxy's faults on
 * (the lifecycle's afterEach turns them off): the tests run in turn, each ending with the queue drained, and each
 * counts only its own images, poller counts and faults.
 */

const UPLOADS = 30;
const FAULT_RATE = 0.25;
const OUTAGE_MS = 10_000;
/**
 * A wait for completions gives up once none has come for this long: above the visibility timeout, and above
 * the processor's timeout (60 s) plus one of them, since an image stored while its event could not go out is
 * published by a later delivery only once the run that stored it can no longer be running (event-in-flight.ts). A
 * fresh-clone run waited 60 s for one such image and gave up just before it came.
 */
const IDLE_MS = 120_000;
/**
 * The fault seeds the throttling test runs with (FAULT_SEED runs one of your choice instead): one that reproduces a
 * known window, and a new one each run. 2825024653 made CI publish an `Image Processed` twice (issue 55): the bus
 * took the event, the webhooks' queue refused it three times, and the retry published it again to both, 15 to 31 s
 * later, with a new `occurredAt`. Each seed fixes the sequence of faults, not which call meets which (the order of
 * calls varies), so it reproduces the window most runs, not every run.
 */
const SEEDS: [string, number][] = process.env.FAULT_SEED
  ? [['the FAULT_SEED', Number(process.env.FAULT_SEED)]]
  : [
      ['the issue 55', 2825024653],
      ['a new', Math.floor(Math.random() * 2 ** 32)],
    ];

export function faultsEndpointPhase(life: Lifecycle): void {
  let clients: Clients;
  /** Images uploaded by the tests so far, for the search index check (which reads the whole table). */
  let uploaded = 0;

  const drained = () => queueDrained(clients.sqs, life.runner.ready.queueUrl, 60_000);

  /** Upload `count` photos no other upload shares, and count them for the index check. */
  async function upload(count: number, retries?: ClientRetries): Promise<string[]> {
    const ids = await uploadAll(clients.api, uniquePhotos(count), retries);
    uploaded += ids.length;
    return ids;
  }

  /**
   * The search index agrees with the records once the queue has drained: a refused BatchWriteItem, or one whose
   * answer was lost with the endpoint, was retried with its message, never left half-written. Read from moto itself,
   * past the proxy.
   */
  async function expectIndexAgrees(): Promise<void> {
    const differences = await indexDifferences(life.endpoint, life.runner.ready);
    expect(differences).toEqual({ stale: [], missing: [], expected: expect.any(Number) });
    // Every image of the phase so far has at least its `all`, status, format, orientation and hash postings (the
    // table also holds the load run's).
    expect(differences.expected).toBeGreaterThanOrEqual(uploaded * 5);
  }

  /** Those of `ids` with an event heard. */
  function doneIds(ids: string[]): Set<string> {
    const heard = new Set(life.collector.events.map((event) => event.detail.imageId));
    return new Set(ids.filter((id) => heard.has(id)));
  }

  /**
   * A wait that gave up, with what it takes to tell why from a CI log alone: each image without a final event, its
   * record as stored (read from moto, past the proxy and the API's view) and the runner's last lines about it.
   */
  async function whyMissing(error: Error, ids: string[]): Promise<never> {
    const heard = doneIds(ids);
    const log = life.runner.log().split('\n');
    const told = await Promise.all(
      ids
        .filter((id) => !heard.has(id))
        .map(async (id) => {
          const { Item } = await clients.dynamodb.send(
            new GetCommand({ TableName: life.runner.ready.table, Key: { imageId: id } }),
          );
          const { status, eventPending, eventPendingFrom, attempts, updatedAt } = Item ?? {};
          const record = Item
            ? JSON.stringify({ status, eventPending, eventPendingFrom, attempts, updatedAt })
            : 'none';
          const lines = log.filter((line) => line.includes(id)).slice(-8);
          return `${id}: record ${record}; the runner's last lines about it:\n${lines.join('\n')}`;
        }),
    );
    error.message += `\n${told.join('\n')}`;
    throw error;
  }

  describe('the pipeline behind a failing AWS endpoint', () => {
    beforeAll(async () => {
      clients = await life.clients('endpoint');
    });

    it.each(SEEDS)(
      'processes every upload once while a quarter of the AWS calls are throttled or fail (%s seed)',
      async (_which, seed) => {
        const { runner, proxy, collector } = life;
        const { api } = clients;
        const before = await pollerStats(runner.ready.apiUrl);
        proxy.faults({ rate: FAULT_RATE, seed });
        const clientRetries: ClientRetries = { count: 0 };
        const ids = await upload(UPLOADS, clientRetries);
        const waited = await allFinalEvents(
          collector,
          ids,
          IDLE_MS,
          `FAULT_SEED=${seed} reproduces the faults' sequence`,
        ).catch((error: Error) => whyMissing(error, ids));
        await drained();
        proxy.faultRate = 0;

        const stats = statsSince(before, await pollerStats(runner.ready.apiUrl));
        const statuses = (await records(api, ids)).map((image) => image?.status);
        const tally = eventTally(collector, ids);
        console.log(
          `faults (seed ${seed}): ${FAULT_RATE * 100} % of AWS calls refused, injected ${total(proxy.injected)} ` +
            `(${perService(proxy.injected)}); ` +
            `SDK retries seen ${total(proxy.retries)} (${perService(proxy.retries)}); ` +
            `processor retries: poller failed ${stats.failed}, redelivered ${stats.redelivered}; ` +
            `API calls retried by the client ${clientRetries.count}; images ${ids.length}, ` +
            `all completed ${(waited / 1000).toFixed(1)} s after the last upload, ` +
            `PROCESSED ${statuses.filter((s) => s === 'PROCESSED').length}, ` +
            `published again (the same event) ${tally.duplicated}, lost ${tally.lost}`,
        );

        expect(statuses.filter((status) => status !== 'PROCESSED')).toEqual([]);
        // At least once (docs/events.md): each image's `Image Processed` arrives, and any copy of it a retry published
        // again is the same event, `eventId` and `occurredAt` included, so a subscriber drops it.
        for (const id of ids) expect(collector.of(id, 'Image Processed').length).toBeGreaterThanOrEqual(1);
        expect(eventsThatDiffer(collector, ids)).toEqual([]);
        expect(tally.lost).toBe(0);
        for (const service of SERVICES) expect(proxy.injected[service]).toBeGreaterThan(0);
        expect(total(proxy.retries)).toBeGreaterThan(0);
        await expectIndexAgrees();
      },
    );

    it('publishes an event the bus took and the webhooks queue refused again as the same event, to be dropped by its id', async () => {
      // The window of issue 55, every run: every send to the webhooks' queue is refused (and nothing else) until the
      // processor has failed the message once, so the bus has the event and the retry must publish it again.
      const { runner, proxy, collector } = life;
      const toWebhooks = (call: ProxiedCall) =>
        call.service === 'sqs' && call.operation === 'SendMessage' && call.body.includes('-webhooks"');
      const before = await pollerStats(runner.ready.apiUrl);
      proxy.faults({ rate: 1, spare: (call) => !toWebhooks(call) });
      const [id] = await upload(1);
      await collector.waitFor(id as string, 'Image Processed', 60_000);
      await eventually('the message failed once', 60_000, async () => {
        const { failed } = statsSince(before, await pollerStats(runner.ready.apiUrl));
        return failed > 0 || undefined;
      });
      proxy.faultRate = 0;
      const copies = await eventually('the event published again', 60_000, async () => {
        const received = collector.of(id as string, 'Image Processed');
        return received.length > 1 ? received : undefined;
      });
      await drained();
      console.log(
        `sink refused: the webhooks queue refused ${proxy.injected.sqs} sends; ` +
          `Image Processed received ${collector.of(id as string, 'Image Processed').length} times`,
      );

      expect(proxy.injected.sqs).toBeGreaterThan(0);
      expect(copies[1]).toEqual(copies[0]);
      expect(copies[0]?.detail.eventId).toMatch(EVENT_ID_PATTERN);
      expect(eventsThatDiffer(collector, [id as string])).toEqual([]);
    });

    it('loses nothing when the endpoint goes away for 10 s with messages in flight, and catches up after', async () => {
      // A message in hand when the endpoint goes fails once and waits out the visibility timeout (its retry delay
      // cannot be set while the endpoint is away); no receive succeeds during the outage, so it costs each message
      // at most one or two of its five receives, and none is burnt into the DLQ. An image whose PutEvents was on
      // the wire may have its event published and the answer lost: see `snapshot`.
      const { runner, proxy, collector } = life;
      const { api, sqs } = clients;
      const before = await pollerStats(runner.ready.apiUrl);
      const ids = await upload(UPLOADS);
      await proxy.down();
      const atStop = await pollerStats(runner.ready.apiUrl);
      const stopped = await snapshot(life.endpoint, runner.ready.table, ids);
      expect(statsSince(before, atStop).succeeded).toBeLessThan(UPLOADS);

      // The outage itself: a fixed length of time is the scenario, not a wait for a result.
      await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));
      const duringOutage = await pollerStats(runner.ready.apiUrl);
      await proxy.up();

      // Back: each upload is either done or waiting in the queue (visible, or in flight until its timeout).
      const done = doneIds(ids);
      const { Attributes = {} } = await sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: runner.ready.queueUrl,
          AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
        }),
      );
      const visible = Number(Attributes.ApproximateNumberOfMessages);
      const inFlight = Number(Attributes.ApproximateNumberOfMessagesNotVisible);
      expect(visible + inFlight).toBeGreaterThanOrEqual(ids.filter((id) => !done.has(id)).length);

      await allFinalEvents(collector, ids, IDLE_MS);
      await drained();
      const stats = statsSince(before, await pollerStats(runner.ready.apiUrl));
      const statuses = (await records(api, ids)).map((image) => image?.status);
      const outside = ids.filter((id) => !stopped.inEventWindow.has(id));
      const tally = eventTally(collector, outside);
      const windowDuplicates = eventTally(collector, [...stopped.inEventWindow]).duplicated;
      console.log(
        `outage: endpoint down ${OUTAGE_MS / 1000} s, ${proxy.dropped} connections dropped with ` +
          `[${proxy.cutOff.join(', ')}] on the wire; at the stop ` +
          `${atStop.received - atStop.succeeded - atStop.failed} messages in hand, ${stopped.done} images done, ` +
          `${stopped.inEventWindow.size} between their final record and its event flag; when it came back ${done.size} of ` +
          `${ids.length} images done, ${visible} messages waiting and ${inFlight} in flight in the queue; ` +
          `poller failed ${stats.failed}, redelivered ${stats.redelivered}, ` +
          `receive errors logged ${countLines(runner.log(), /^poller: /)}; after catching up ` +
          `PROCESSED ${statuses.filter((s) => s === 'PROCESSED').length}, ` +
          `FAILED ${statuses.filter((s) => s === 'FAILED').length}, duplicates ${tally.duplicated + windowDuplicates} ` +
          `(${windowDuplicates} published twice from the event window), lost ${tally.lost}`,
      );

      // The outage was real: nothing was received while the endpoint was away.
      expect(duringOutage.received).toBe(atStop.received);
      expect(statuses.filter((status) => status !== 'PROCESSED')).toEqual([]);
      for (const id of outside) expect(collector.of(id, 'Image Processed')).toHaveLength(1);
      expect(tally).toEqual({ duplicated: 0, lost: 0 });
      // The documented at-least-once window (see `snapshot`): at most the images in flight (batches at once x images
      // each; the window holds the search postings' writes and the event), each published at most twice.
      const { concurrency, imagesInFlight } = runner.ready.processing;
      expect(stopped.inEventWindow.size).toBeLessThanOrEqual(concurrency * imagesInFlight);
      for (const id of stopped.inEventWindow) expect(collector.of(id, 'Image Processed').length).toBeLessThanOrEqual(2);
      // And one published twice is the same event twice, which a subscriber drops by its `eventId`.
      expect(eventsThatDiffer(collector, ids)).toEqual([]);
      expect(stats.deadLettered).toBe(0);
      await expectIndexAgrees();
    });
  });
}

function countLines(log: string, pattern: RegExp): number {
  return log.split('\n').filter((line) => pattern.test(line)).length;
}
