import { EVENT_VERSION, eventIdOf } from '../events/event-details';
import { eventOf, type IEventPublisher } from '../events/events';
import type { QueuedEvent } from '../events/queue-sink';
import { DETAIL_TYPES } from '../manifest/events';
import type { DeliveryAttempt, DeliveryLog, Delivery as LoggedDelivery } from './deliveries';
import type { PostOutcome } from './destination';
import { signingSecrets, type WebhookEndpoint, wants } from './endpoint';
import type { EndpointStore } from './endpoints';
import { WEBHOOKS_EVENTS } from './events';
import {
  type AttemptMessage,
  idTime,
  payloadOf,
  type QueueMessage,
  type ReplayMessage,
  signedHeaders,
  timeOfId,
  webhookIdOf,
} from './messages';
import { type IWebhookQueue, MAX_DELAY_SECONDS } from './queue';
import { ALL_OWNERS, DELIVERY_SHARDS } from './table-design';

/*
 * Delivering webhooks (docs/webhooks.md), one message of the webhooks' queue at a time:
 * 1. an event: its owner's endpoints and those for every owner that take its type; for each, the delivery recorded
 *    (once: the same event again finds it) and its first attempt made, all endpoints at once. `Image Deleted` (an
 *    image deleted for good) first deletes the image's earlier deliveries, so no replay sends them again;
 * 2. an attempt: made when due; until then the message waits in the queue again, at most 15 min a hop (SQS's longest
 *    delay), so a wait of hours costs a few messages and no running function;
 * 3. a replay of a time range: a page of each shard of the endpoint's log queued as attempts, and the rest as the
 *    next replay message, so no invocation walks a whole log.
 * An endpoint failing for `holdAfterMinutes` gets no new attempts: each new event's delivery is recorded HELD, so a
 * dead endpoint costs a write per event, not a schedule of messages. A replay is held the same way: a range's
 * deliveries are recorded HELD, not sent; one delivery replayed by id is sent once, as a probe, with no schedule
 * after it. The attempts already under way go on, and the first that succeeds releases the held ones (a replay of
 * the HELD deliveries since the endpoint began to fail, or since the oldest event a replay held, `heldFrom`).
 * An attempt that fails queues the next one after the schedule's wait; the last one that fails leaves the delivery
 * FAILED and, if the endpoint has failed for `disableAfterHours` with no success, disables it and says so in an event.
 * Each endpoint's attempts are their own messages: one that times out delays nobody else's.
 */

export interface DeliveryDeps {
  endpoints: Pick<
    EndpointStore,
    'get' | 'listOf' | 'markFailing' | 'markHealthy' | 'disableFailing' | 'noteHeld' | 'endRangeReplay'
  >;
  log: Pick<DeliveryLog, 'create' | 'get' | 'recordAttempt' | 'requeue' | 'hold' | 'deliveriesBetween' | 'forgetImage'>;
  sender: { post(url: string, headers: Record<string, string>, body: string): Promise<PostOutcome> };
  queue: IWebhookQueue;
  /** Where `Webhook Endpoint Disabled` goes: every sink, as any event. */
  events: IEventPublisher;
  settings: {
    /** Seconds to wait before each attempt (`webhookRetrySchedule`); the first is the event's own. */
    retrySchedule: readonly number[];
    disableAfterHours: number;
    /** Minutes an endpoint fails before its new events are held (`webhookHoldAfterMinutes`). */
    holdAfterMinutes: number;
    logDays: number;
  };
  now: () => Date;
}

/** How long an owner's endpoints are cached by a running function: a new endpoint gets events within this. */
export const ENDPOINT_CACHE_MS = 5_000;

/** Ids of a replay queued per shard and message: 16 x 10 attempts at most per invocation. */
export const REPLAY_PAGE = 10;

/** Handle one message of the queue. */
export async function handleMessage(message: QueueMessage, deps: DeliveryDeps): Promise<void> {
  if (message.kind === 'event') return deliverEvent(message.event, deps);
  if (message.kind === 'attempt') return attemptWhenDue(message, deps);
  return replayPage(message, deps);
}

/**
 * The store with each owner's endpoints kept for ENDPOINT_CACHE_MS: at the design rate most events find their
 * owner's list here, so the index's `*` key (every owner's endpoints) is read a few times a minute per container,
 * not once per event.
 */
export function cachingEndpoints<T extends Pick<EndpointStore, 'listOf'>>(store: T, clock = Date.now): T {
  const cache = new Map<string, { endpoints: Promise<WebhookEndpoint[]>; until: number }>();
  const listOf = (owner: string): Promise<WebhookEndpoint[]> => {
    const now = clock();
    const cached = cache.get(owner);
    if (cached && cached.until > now) return cached.endpoints;
    const endpoints = store.listOf(owner);
    cache.set(owner, { endpoints, until: now + ENDPOINT_CACHE_MS });
    // A failed read is not kept.
    endpoints.catch(() => cache.delete(owner));
    return endpoints;
  };
  return new Proxy(store, {
    get: (target, name, receiver) => (name === 'listOf' ? listOf : Reflect.get(target, name, receiver)),
  });
}

async function deliverEvent(event: QueuedEvent, deps: DeliveryDeps): Promise<void> {
  // An image deleted for good (a permanent DELETE, or the trash's purge): what its deliveries said goes with it.
  if (event.detailType === DETAIL_TYPES.deleted && typeof event.detail.imageId === 'string' && event.detail.imageId) {
    await deps.log.forgetImage(event.detail.imageId, webhookIdOf(event));
  }
  const owner = typeof event.detail.owner === 'string' ? event.detail.owner : undefined;
  const [own, all] = await Promise.all([
    owner ? deps.endpoints.listOf(owner) : Promise.resolve([]),
    deps.endpoints.listOf(ALL_OWNERS),
  ]);
  const targets = [...own, ...all].filter((endpoint) => endpoint.enabled && wants(endpoint, event.detailType));
  if (targets.length === 0) return;
  const webhookId = webhookIdOf(event);
  const payload = payloadOf(event);
  const now = deps.now();
  const delivery = (endpoint: WebhookEndpoint): LoggedDelivery => ({
    endpointId: endpoint.endpointId,
    webhookId,
    eventType: event.detailType,
    ...('imageId' in event.detail && { imageId: event.detail.imageId as string | undefined }),
    payload,
    status: 'PENDING',
    createdAt: now.toISOString(),
    attempts: [],
    expiresAt: Math.floor(now.getTime() / 1000) + deps.settings.logDays * 86_400,
  });
  await Promise.all(
    targets.map(async (endpoint) => {
      const fresh = delivery(endpoint);
      if (isHeld(endpoint, now, deps)) {
        await deps.log.create({ ...fresh, status: 'HELD' });
        return;
      }
      if (await deps.log.create(fresh)) return attempt(endpoint, fresh, 1, false, deps);
      // The same event again: its delivery is under way already, unless the first try stopped before its attempt.
      const known = await deps.log.get(endpoint.endpointId, webhookId);
      if (known && known.status === 'PENDING' && known.attempts.length === 0) {
        return attempt(endpoint, known, 1, false, deps);
      }
    }),
  );
}

/** Whether an endpoint has failed for `holdAfterMinutes`: its new events and replays are held, not sent. */
function isHeld(endpoint: WebhookEndpoint, now: Date, deps: Pick<DeliveryDeps, 'settings'>): boolean {
  const holdSince = now.getTime() - deps.settings.holdAfterMinutes * 60_000;
  return endpoint.failingSince !== undefined && Date.parse(endpoint.failingSince) <= holdSince;
}

async function attemptWhenDue(message: AttemptMessage, deps: DeliveryDeps): Promise<void> {
  const remaining = (Date.parse(message.notBefore) - deps.now().getTime()) / 1000;
  // SQS may deliver a delayed message a little early: a second is close enough.
  if (remaining > 1) return deps.queue.send(message, Math.min(MAX_DELAY_SECONDS, remaining));
  const [endpoint, delivery] = await Promise.all([
    deps.endpoints.get(message.endpointId),
    deps.log.get(message.endpointId, message.webhookId),
  ]);
  // A deleted endpoint gets nothing more; an expired delivery has nothing left to send.
  if (!endpoint || !delivery) return;
  // A range's delivery waits with the endpoint's held ones (a probe by id is sent: it may find the endpoint up).
  if (message.range && message.attempt === 1 && isHeld(endpoint, deps.now(), deps)) {
    if (await deps.endpoints.noteHeld(endpoint.endpointId, timeOfId(delivery.webhookId))) {
      await deps.log.hold(endpoint.endpointId, delivery.webhookId, 'pending');
      return;
    }
  }
  await attempt(endpoint, delivery, message.attempt, message.replay ?? false, deps);
}

/** Make attempt `n` of a delivery, record it, and queue the next one or settle the delivery. */
async function attempt(
  endpoint: WebhookEndpoint,
  delivery: LoggedDelivery,
  n: number,
  replay: boolean,
  deps: DeliveryDeps,
): Promise<void> {
  const now = deps.now();
  const at = now.toISOString();
  const record = (outcome: Omit<DeliveryAttempt, 'at' | 'attempt'>): DeliveryAttempt => ({
    at,
    attempt: n,
    ...outcome,
    ...(replay && { replay }),
  });
  if (!endpoint.enabled) {
    const skipped = record({ ok: false, latencyMs: 0, error: 'not sent: the endpoint is disabled' });
    return deps.log.recordAttempt(delivery, skipped, 'FAILED');
  }
  const headers = signedHeaders(signingSecrets(endpoint, now), delivery.webhookId, delivery.payload, now);
  const outcome = await deps.sender.post(endpoint.url, headers, delivery.payload);
  const { ok, statusCode, latencyMs, excerpt, error } = outcome;
  const made = record({
    ok,
    latencyMs,
    ...(statusCode && { statusCode }),
    ...(excerpt && { excerpt }),
    ...(error && { error }),
  });
  if (ok) {
    await deps.log.recordAttempt(delivery, made, 'SUCCEEDED');
    const { failingSince } = endpoint;
    const healed = failingSince ? await deps.endpoints.markHealthy(endpoint.endpointId) : undefined;
    if (failingSince && healed) {
      const from = healed.heldFrom && healed.heldFrom < failingSince ? healed.heldFrom : failingSince;
      await release(endpoint.endpointId, from, now, deps);
    }
    return;
  }
  const failingSince = endpoint.failingSince ?? at;
  if (!endpoint.failingSince) await deps.endpoints.markFailing(endpoint.endpointId, at);
  // A replay to an endpoint held meanwhile is made once (a probe): its schedule would be a flood to a dead target.
  const wait = replay && isHeld(endpoint, now, deps) ? undefined : deps.settings.retrySchedule[n];
  if (wait !== undefined) {
    const notBefore = new Date(now.getTime() + wait * 1000).toISOString();
    const next: AttemptMessage = {
      kind: 'attempt',
      endpointId: endpoint.endpointId,
      webhookId: delivery.webhookId,
      attempt: n + 1,
      notBefore,
      ...(replay && { replay }),
    };
    await deps.queue.send(next, wait);
    return deps.log.recordAttempt(delivery, made, 'PENDING', notBefore);
  }
  await deps.log.recordAttempt(delivery, made, 'FAILED');
  const failedFor = now.getTime() - Date.parse(failingSince);
  if (failedFor < deps.settings.disableAfterHours * 3_600_000) return;
  const reason = error ?? 'failed';
  const disabled = await deps.endpoints.disableFailing(
    endpoint.endpointId,
    failingSince,
    `failing since ${failingSince}: ${reason}`,
    at,
  );
  if (!disabled) return;
  const disabledEvent = WEBHOOKS_EVENTS.webhookDisabled;
  await deps.events.publish(
    eventOf(disabledEvent, {
      version: EVENT_VERSION,
      endpointId: endpoint.endpointId,
      ...(endpoint.owner !== ALL_OWNERS && { owner: endpoint.owner }),
      url: endpoint.url,
      failingSince,
      reason,
      occurredAt: at,
      eventId: eventIdOf(disabledEvent.detailType, endpoint.endpointId, at),
    }),
  );
}

/**
 * Send the deliveries held while an endpoint failed: a replay of the HELD ones since it began to fail. It runs once
 * the functions' caches of the endpoint (still failing in them) have expired, and reaches as far: an event those
 * caches held is in its range.
 */
async function release(endpointId: string, failingSince: string, now: Date, deps: DeliveryDeps): Promise<void> {
  const settle = ENDPOINT_CACHE_MS + 5_000;
  const to = new Date(now.getTime() + settle).toISOString();
  await deps.queue.send({ kind: 'replay', endpointId, from: failingSince, to, heldOnly: true }, settle / 1000);
}

/**
 * Queue a page of each shard's deliveries in the range as attempts, and the rest as the next replay message; the
 * deliveries already PENDING are under way and queue nothing. While the endpoint is held (failing), a range's
 * deliveries are recorded HELD instead, sent when it succeeds again. The last page ends the range's lease.
 */
async function replayPage(message: ReplayMessage, deps: DeliveryDeps): Promise<void> {
  const endpoint = await deps.endpoints.get(message.endpointId);
  // A deleted endpoint gets nothing more.
  if (!endpoint) return;
  const after = { ...message.after };
  const from = idTime(message.from);
  // Every id of the last millisecond: `_` and hex digits sort below `~`.
  const to = `${idTime(message.to)}~`;
  const at = deps.now().toISOString();
  const hold =
    !message.heldOnly &&
    isHeld(endpoint, deps.now(), deps) &&
    (await deps.endpoints.noteHeld(endpoint.endpointId, message.from));
  const attempts: AttemptMessage[] = [];
  for (let shard = 0; shard < DELIVERY_SHARDS; shard++) {
    const cursor = after[shard];
    if (cursor === null) continue;
    const page = await deps.log.deliveriesBetween(message.endpointId, shard, from, to, REPLAY_PAGE, cursor);
    const chosen = message.heldOnly ? page.filter(({ status }) => status === 'HELD') : page;
    for (const { webhookId } of chosen) {
      if (hold) {
        await deps.log.hold(message.endpointId, webhookId, 'settled');
        continue;
      }
      if ((await deps.log.requeue(message.endpointId, webhookId, at)) !== 'queued') continue;
      const replay = !message.heldOnly;
      attempts.push({
        kind: 'attempt',
        endpointId: message.endpointId,
        webhookId,
        attempt: 1,
        notBefore: at,
        replay,
        ...(replay && { range: true }),
      });
    }
    after[shard] = page.length < REPLAY_PAGE ? null : (page.at(-1)?.webhookId as string);
  }
  await deps.queue.sendAll(attempts);
  const done = Array.from({ length: DELIVERY_SHARDS }, (_, shard) => after[shard]).every((cursor) => cursor === null);
  if (!done) return deps.queue.send({ ...message, after });
  if (message.lease) await deps.endpoints.endRangeReplay(message.endpointId, message.lease);
}
