import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import type { QueuedEvent } from '../../../lambdas/events/queue-sink';
import { createDeclaredTable } from '../../../lambdas/local/tables';
import { DeliveryLog } from '../../../lambdas/webhooks/deliveries';
import { type DeliveryDeps, handleMessage } from '../../../lambdas/webhooks/delivery';
import type { WebhookEndpoint } from '../../../lambdas/webhooks/endpoint';
import { EndpointStore } from '../../../lambdas/webhooks/endpoints';
import type { AttemptMessage, ReplayMessage } from '../../../lambdas/webhooks/messages';
import { REPLAY_RATE, replayDeliveries } from '../../../lambdas/webhooks/replay';
import { WEBHOOKS_TABLE } from '../../../lambdas/webhooks/table-design';
import { testEndpoint } from '../../support/shared-moto';

/*
 * Replays bounded, against the run's moto with the real stores (their conditional writes are the guard): the replay
 * route's use case, then the delivery function on what it queued, with a sender that counts the POSTs. The queue is
 * in memory, drained in order.
 */

const config = {
  endpoint: testEndpoint(),
  region: 'us-east-1',
  credentials: { accessKeyId: 'k', secretAccessKey: 's' },
};
const raw = new DynamoDBClient(config);
const dynamo = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
const table = `webhooks-replays-${randomUUID().slice(0, 8)}`;
const endpoints = new EndpointStore(dynamo, table);
const log = new DeliveryLog(dynamo, table);

beforeAll(() => createDeclaredTable(raw, table, WEBHOOKS_TABLE.design));

/** The delivery function's ports over the real stores; `up` says whether the target answers 204 or 503. */
function delivering(target: { up: boolean }) {
  const queued: (AttemptMessage | ReplayMessage)[] = [];
  const posts: string[] = [];
  const queue = {
    send: async (message: AttemptMessage | ReplayMessage) => void queued.push(message),
    sendAll: async (messages: readonly (AttemptMessage | ReplayMessage)[]) => void queued.push(...messages),
  };
  const deps: DeliveryDeps = {
    endpoints,
    log,
    sender: {
      post: async (_url, headers) => {
        posts.push(headers['webhook-id'] as string);
        return target.up
          ? { ok: true, statusCode: 204, latencyMs: 1 }
          : { ok: false, statusCode: 503, latencyMs: 1, error: 'HTTP 503' };
      },
    },
    queue,
    events: { publish: async () => undefined },
    settings: { retrySchedule: [0, 0, 0, 0, 0, 0, 0, 0], disableAfterHours: 24, holdAfterMinutes: 5, logDays: 30 },
    now: () => new Date(),
  };
  const drain = async () => {
    for (let message = queued.shift(); message; message = queued.shift()) await handleMessage(message, deps);
  };
  return { deps, queue, posts, drain };
}

/** An endpoint of `owner` with ten deliveries of events an hour old, each sent once. */
async function withTenDeliveries(owner: string) {
  const now = new Date().toISOString();
  const endpoint: WebhookEndpoint = {
    endpointId: `ep_${ulid()}`,
    owner,
    url: 'https://hooks.example.com/in',
    description: '',
    eventTypes: [],
    enabled: true,
    secrets: [{ secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', createdAt: now }],
    createdAt: now,
    updatedAt: now,
  };
  await endpoints.create(endpoint, 10);
  const target = { up: true };
  const run = delivering(target);
  const at = Date.now() - 3_600_000;
  for (let i = 0; i < 10; i++) {
    const imageId = `01M8BAXDS837R3CJZGFVP0KY${String(i).padStart(2, '0')}`;
    const detail = { version: 1, imageId, owner, occurredAt: new Date(at + i).toISOString() };
    await handleMessage({ kind: 'event', event: { detailType: 'Image Processed', detail } as QueuedEvent }, run.deps);
  }
  expect(run.posts).toHaveLength(10);
  run.posts.length = 0;
  const range = { from: new Date(at - 1000).toISOString(), to: new Date(at + 1000).toISOString() };
  return { endpoint, target, run, range, ids: (await log.page(endpoint.endpointId, 10)).deliveries };
}

const settle = <T>(promises: Promise<T>[]) =>
  Promise.allSettled(promises).then((all) =>
    all.map((one) => (one.status === 'fulfilled' ? one.value : (one.reason as { statusCode: number }).statusCode)),
  );

describe('replaying deliveries', () => {
  it('five concurrent range replays over ten deliveries send ten POSTs, not fifty: one range, four 429s', async () => {
    const { endpoint, run, range } = await withTenDeliveries('replay-range');
    const deps = { endpoints, log, queue: run.queue };
    const answers = await settle(
      Array.from({ length: 5 }, () => replayDeliveries(endpoint, range, endpoint.owner, deps)),
    );
    expect(answers.filter((answer) => answer === 429)).toHaveLength(4);
    expect(answers.filter((answer) => typeof answer === 'object')).toEqual([{ queued: 'range' }]);
    await run.drain();
    expect(run.posts).toHaveLength(10);
    expect(new Set(run.posts).size).toBe(10);

    // Done, the range's lease is ended: another range may run.
    await expect(replayDeliveries(endpoint, range, endpoint.owner, deps)).resolves.toEqual({ queued: 'range' });
  });

  it('replaying one delivery five times at once queues it once; the others answer that it is under way', async () => {
    const { endpoint, run, ids } = await withTenDeliveries('replay-one');
    const { webhookId } = ids[0] as { webhookId: string };
    const deps = { endpoints, log, queue: run.queue };
    const answers = await settle(
      Array.from({ length: 5 }, () => replayDeliveries(endpoint, { webhookId }, endpoint.owner, deps)),
    );
    expect(answers).toContainEqual({ queued: 'delivery', webhookId });
    expect(answers.filter((answer) => (answer as { queued?: string }).queued === 'already')).toHaveLength(4);
    await run.drain();
    expect(run.posts).toEqual([webhookId]);
  });

  it("past the owner's rate a replay is a 429 with Retry-After; another owner's replays are counted apart", async () => {
    const { endpoint, run, ids } = await withTenDeliveries('replay-rate');
    const deps = { endpoints, log, queue: run.queue, now: () => new Date('2026-11-27T05:00:30.000Z') };
    const { webhookId } = ids[0] as { webhookId: string };
    for (let i = 0; i < REPLAY_RATE.requests; i++) await replayDeliveries(endpoint, { webhookId }, 'replay-rate', deps);
    await expect(replayDeliveries(endpoint, { webhookId }, 'replay-rate', deps)).rejects.toMatchObject({
      statusCode: 429,
      retryAfterSeconds: 30,
      message: expect.stringMatching(/at most 10 webhook replays a minute/),
    });
    await expect(replayDeliveries(endpoint, { webhookId }, 'replay-rate-other', deps)).resolves.toBeDefined();
  });

  it("a held endpoint's range waits HELD, sending nothing, and goes once a probe by id succeeds", async () => {
    const { endpoint, target, run, range, ids } = await withTenDeliveries('replay-held');
    await endpoints.markFailing(endpoint.endpointId, new Date(Date.now() - 10 * 60_000).toISOString());
    target.up = false;
    const deps = { endpoints, log, queue: run.queue };
    await replayDeliveries(endpoint, range, endpoint.owner, deps);
    await run.drain();
    expect(run.posts).toHaveLength(0);
    const page = await log.page(endpoint.endpointId, 10);
    expect(page.deliveries.map(({ status }) => status)).toEqual(Array(10).fill('HELD'));

    // A probe while it still fails: one POST, no schedule after it.
    const { webhookId } = ids[0] as { webhookId: string };
    await replayDeliveries(endpoint, { webhookId }, endpoint.owner, deps);
    await run.drain();
    expect(run.posts).toEqual([webhookId]);

    // It is up again: the probe succeeds, and the held ones follow (the release waits out the caches; not here).
    target.up = true;
    await replayDeliveries(endpoint, { webhookId }, endpoint.owner, deps);
    await run.drain();
    expect(run.posts).toHaveLength(11);
    const after = await log.page(endpoint.endpointId, 10);
    expect(after.deliveries.map(({ status }) => status)).toEqual(Array(10).fill('SUCCEEDED'));
  });
});

describe('an image deleted for good', () => {
  it('takes its deliveries with it: none is replayed, by id or in a range; the notice of its deletion is not sent again', async () => {
    const { endpoint, run, range, ids } = await withTenDeliveries('replay-purged');
    const deps = { endpoints, log, queue: run.queue };
    const purged = ids.find(({ imageId }) => imageId?.endsWith('03')) as { webhookId: string; imageId: string };
    const detail = { version: 1, imageId: purged.imageId, owner: endpoint.owner, occurredAt: new Date().toISOString() };
    const deleted = { detailType: 'Image Deleted', detail: { ...detail, status: 'PROCESSED' } } as QueuedEvent;
    await handleMessage({ kind: 'event', event: deleted }, run.deps);
    // The notice itself is delivered.
    expect(run.posts).toHaveLength(1);
    const [notice] = run.posts as [string];
    run.posts.length = 0;

    await expect(replayDeliveries(endpoint, purged, endpoint.owner, deps)).rejects.toMatchObject({ statusCode: 404 });
    await expect(replayDeliveries(endpoint, { webhookId: notice }, endpoint.owner, deps)).rejects.toMatchObject({
      statusCode: 409,
      message: expect.stringMatching(/deletion for good: it is not sent again/),
    });
    await replayDeliveries(endpoint, { from: range.from, to: new Date().toISOString() }, endpoint.owner, deps);
    await run.drain();
    expect(run.posts).toHaveLength(9);
    expect(run.posts).not.toContain(purged.webhookId);
    expect(run.posts).not.toContain(notice);
    const left = (await log.page(endpoint.endpointId, 20)).deliveries;
    expect(left.filter(({ imageId }) => imageId === purged.imageId).map(({ eventType }) => eventType)).toEqual([
      'Image Deleted',
    ]);
  });
});
