import { ConflictError, NotFoundError, TooManyRequestsError } from '../shared/errors';
import type { DeliveryLog } from './deliveries';
import type { WebhookEndpoint } from './endpoint';
import type { EndpointStore } from './endpoints';
import type { IWebhookQueue } from './queue';

/** Replay requests an owner may make per window (each a delivery by id or a range), all their endpoints together. */
export const REPLAY_RATE = { requests: 10, windowSeconds: 60 } as const;

/** How long a range replay holds its endpoint's lease at most: a walk that died frees it after this. */
export const RANGE_LEASE_SECONDS = 900;

/** What a replay request asks for: one delivery by id, or every delivery of a time range. */
export type ReplayRequest = { webhookId: string } | { from: string; to: string };

/** `queued`: what was queued; `already`: the delivery's attempts are under way (PENDING), and nothing more was queued. */
export type ReplayAnswer = { queued: 'delivery' | 'range' | 'already'; webhookId?: string };

export interface ReplayDeps {
  endpoints: Pick<EndpointStore, 'countReplay' | 'claimRangeReplay'>;
  log: Pick<DeliveryLog, 'requeue'>;
  queue: IWebhookQueue;
  now?: () => Date;
}

/**
 * `POST /webhooks/{id}/replay` for an endpoint the caller may manage (enabled):
 * 1. count the request against the caller's rate (REPLAY_RATE; a 429 with Retry-After past it);
 * 2. one delivery: marked PENDING and its attempt queued, unless it is PENDING already (`already`: one attempt chain
 *    per delivery, however many replays name it); a 404 if there is none (its image's deletion deleted it), a 409
 *    for the deletion's own notice;
 * 3. a range: the endpoint's range lease taken (a 429 while another range of it is under way), the walk queued
 *    (delivery.ts), which ends the lease when done.
 * Whether the endpoint is failing is the delivery function's to see when it sends: it holds a range's deliveries.
 */
export async function replayDeliveries(
  endpoint: WebhookEndpoint,
  request: ReplayRequest,
  callerOwner: string,
  deps: ReplayDeps,
): Promise<ReplayAnswer> {
  const now = deps.now?.() ?? new Date();
  const windowMs = REPLAY_RATE.windowSeconds * 1000;
  const windowStart = Math.floor(now.getTime() / windowMs) * windowMs;
  const windowEnds = windowStart + windowMs;
  const counted = await deps.endpoints.countReplay(
    callerOwner,
    new Date(windowStart).toISOString(),
    REPLAY_RATE.requests,
    Math.ceil(windowEnds / 1000) + REPLAY_RATE.windowSeconds,
  );
  if (!counted) {
    throw new TooManyRequestsError(
      `at most ${REPLAY_RATE.requests} webhook replays a minute per owner: try again in a minute`,
      Math.max(1, Math.ceil((windowEnds - now.getTime()) / 1000)),
    );
  }
  const { endpointId } = endpoint;
  const at = now.toISOString();
  if ('webhookId' in request) {
    const { webhookId } = request;
    const outcome = await deps.log.requeue(endpointId, webhookId, at);
    if (outcome === 'missing') throw new NotFoundError(`delivery ${webhookId} not found for ${endpointId}`);
    if (outcome === 'pending') return { queued: 'already', webhookId };
    if (outcome === 'forgotten') {
      throw new ConflictError(`delivery ${webhookId} announced its image's deletion for good: it is not sent again`);
    }
    await deps.queue.send({ kind: 'attempt', endpointId, webhookId, attempt: 1, notBefore: at, replay: true });
    return { queued: 'delivery', webhookId };
  }
  const lease = new Date(now.getTime() + RANGE_LEASE_SECONDS * 1000).toISOString();
  const busyUntil = await deps.endpoints.claimRangeReplay(endpointId, lease, at);
  if (busyUntil !== undefined) {
    throw new TooManyRequestsError(
      `a range replay of webhook endpoint ${endpointId} is under way: one range at a time, try again when it is done`,
      Math.max(1, Math.ceil((Date.parse(busyUntil) - now.getTime()) / 1000)),
    );
  }
  await deps.queue.send({ kind: 'replay', endpointId, from: request.from, to: request.to, lease });
  return { queued: 'range' };
}
