import { Webhook } from 'standardwebhooks';
import { z } from 'zod';
import { eventIdOf } from '../events/event-details';
import { subjectOf } from '../events/events';
import type { QueuedEvent } from '../events/queue-sink';

/*
 * What the webhooks' queue carries (one queue, read by deliver-webhooks), and what a delivery sends.
 * - an event, as the queue sink put it: `{detailType, detail}`, to be fanned out to its endpoints;
 * - `attempt`: the next attempt of one delivery, due at `notBefore` (a later one waits in the queue: see delivery.ts);
 * - `replay`: every delivery of an endpoint between two times, a page at a time.
 */

export const AttemptMessageSchema = z.object({
  kind: z.literal('attempt'),
  endpointId: z.string(),
  webhookId: z.string(),
  /** Which attempt of the schedule this is, from 1. */
  attempt: z.number().int().min(1),
  notBefore: z.iso.datetime(),
  /** Made by a replay: the log says so. */
  replay: z.boolean().optional(),
  /** Queued by a range replay: held, not sent, if the endpoint fails by then (delivery.ts). */
  range: z.boolean().optional(),
});
export type AttemptMessage = z.output<typeof AttemptMessageSchema>;

export const ReplayMessageSchema = z.object({
  kind: z.literal('replay'),
  endpointId: z.string(),
  from: z.iso.datetime(),
  to: z.iso.datetime(),
  /** Only the HELD deliveries, as first sends: the release of those held while the endpoint failed (delivery.ts). */
  heldOnly: z.boolean().optional(),
  /** Per shard, the last delivery id already replayed (a shard absent: not begun; null: done). */
  after: z.record(z.string(), z.string().nullable()).optional(),
  /** The endpoint's range replay lease this walk holds (`rangeReplayUntil`), ended when the walk is done. */
  lease: z.iso.datetime().optional(),
});
export type ReplayMessage = z.output<typeof ReplayMessageSchema>;

export const EventMessageSchema = z.object({ detailType: z.string(), detail: z.record(z.string(), z.unknown()) });

export type QueueMessage = AttemptMessage | ReplayMessage | { kind: 'event'; event: QueuedEvent };

/** A message of the queue, or a thrown error naming what is wrong with it. */
export function parseMessage(body: string): QueueMessage {
  const json = JSON.parse(body) as { kind?: string };
  if (json.kind === 'attempt') return AttemptMessageSchema.parse(json);
  if (json.kind === 'replay') return ReplayMessageSchema.parse(json);
  return { kind: 'event', event: EventMessageSchema.parse(json) as unknown as QueuedEvent };
}

/**
 * The `webhook-id` of an event: its `eventId` (events.ts `eventIdOf`), the same for every endpoint and every attempt
 * and replay of it, and for the same event published twice (a retried publish), so receivers can drop duplicates,
 * and the same as EventBridge subscribers dedupe on. An event queued before events carried their id gets the one
 * it would have had. It begins with the event's time, so an endpoint's log is in time order by id.
 */
export function webhookIdOf(event: QueuedEvent): string {
  if (typeof event.detail.eventId === 'string') return event.detail.eventId;
  return eventIdOf(event.detailType, subjectOf(event), String(event.detail.occurredAt));
}

/** The instant a delivery id begins with (its event's time), as an ISO 8601 string. */
export function timeOfId(webhookId: string): string {
  const [, y, mo, d, h, mi, sec, ms] = /^msg_(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)(\d{3})Z/.exec(webhookId) ?? [];
  return `${y}-${mo}-${d}T${h}:${mi}:${sec}.${ms}Z`;
}

/** `msg_` and an instant as the ids write it: the bound of a time range over ids. */
export function idTime(iso: string): string {
  return `msg_${new Date(iso).toISOString().replace(/[-:.]/g, '')}`;
}

/** What a receiver gets: the event's type and time, and its detail as EventBridge subscribers get it. */
export function payloadOf(event: QueuedEvent): string {
  return JSON.stringify({ type: event.detailType, timestamp: event.detail.occurredAt, data: event.detail });
}

/**
 * The Standard Webhooks headers of one attempt: `webhook-signature` holds a `v1,` signature per secret that signs now
 * (two during a rotation's overlap), made by the `standardwebhooks` library receivers verify with.
 */
export function signedHeaders(secrets: readonly string[], webhookId: string, body: string, now: Date) {
  const signatures = secrets.map((secret) => new Webhook(secret).sign(webhookId, now, body));
  return {
    'content-type': 'application/json',
    'user-agent': 'image-intel-webhooks/1',
    'webhook-id': webhookId,
    'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
    'webhook-signature': signatures.join(' '),
  };
}
