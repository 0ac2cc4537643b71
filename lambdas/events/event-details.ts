import { createHash } from 'node:crypto';
import { z } from 'zod';
import { OwnerSchema } from '../store/owner';
import { type DetailType, EVENT_ID_PATTERN } from './vocabulary';

/*
 * What every event has, and the events that are about no image: a webhook endpoint disabled, a share link made or
 * revoked. events.ts has the image events and the catalogue of all of them (DETAIL_SCHEMAS).
 */

/** Version of every event's detail (here and in events.ts); bumped (with new schema files) on any breaking change. */
export const EVENT_VERSION = 1;

/**
 * An event's id, made from what it says happened: its type, its subject (the image, or the endpoint) and when that
 * happened (the time the record reached the state it announces). So every publication of one event, a retry's too,
 * has the same id, and a new state (a reprocess, a second correction) a new one: a subscriber drops a duplicate on
 * it. It is also the webhooks' `webhook-id` (docs/webhooks.md), and begins with the time, so ids sort in time order:
 * `msg_20261126T071502123Z_` and 20 hex digits.
 */
export function eventIdOf(detailType: DetailType, subject: string, occurredAt: string): string {
  const hash = createHash('sha256').update(`${detailType}\n${subject}\n${occurredAt}`).digest('hex');
  return `msg_${new Date(occurredAt).toISOString().replace(/[-:.]/g, '')}_${hash.slice(0, 20)}`;
}

/**
 * The id field of every detail: always set by the builders below; optional in the schema (added to version 1) only
 * because an event published before it, as the bus's archive may replay, has none.
 */
export const EventIdSchema = z.string().regex(EVENT_ID_PATTERN).optional();

/**
 * A webhook endpoint failed for `webhookDisableAfterHours` without a success, through a whole retry schedule, and was
 * disabled (docs/webhooks.md): it gets nothing until it is enabled again. Its owner's other endpoints may subscribe.
 */
export const WebhookEndpointDisabledDetailSchema = z.object({
  version: z.literal(EVENT_VERSION),
  endpointId: z.string(),
  /** The endpoint's owner; absent for an admin's endpoint for every owner. */
  owner: OwnerSchema.optional(),
  url: z.string(),
  /** Since when every attempt to it has failed. */
  failingSince: z.iso.datetime(),
  /** The last attempt's outcome, such as `HTTP 503` or `timed out after 10 s`. */
  reason: z.string(),
  occurredAt: z.iso.datetime(),
  /** The event's id (`eventIdOf`), as every event's. */
  eventId: EventIdSchema,
});

/**
 * A share link was made (`Share Created`) or revoked (`Share Revoked`) by its owner (docs/api.md#share-links). Never
 * the token, which is the link: `shareId` is the first 16 hex digits of its SHA-256, which open nothing.
 */
export const ShareDetailSchema = z.object({
  version: z.literal(EVENT_VERSION),
  shareId: z.string().regex(/^[0-9a-f]{16}$/),
  owner: OwnerSchema,
  kind: z.enum(['album', 'image']),
  /** The album shared (`kind: album`). */
  albumId: z.string().optional(),
  /** The image shared (`kind: image`). */
  imageId: z.string().optional(),
  /** When the link stops opening; absent: never (until revoked). */
  expiresAt: z.iso.datetime().optional(),
  /** It opens only with its password. */
  protected: z.boolean(),
  /** Its viewers may download the originals. */
  allowDownload: z.boolean(),
  occurredAt: z.iso.datetime(),
  /** The event's id (`eventIdOf`), as every event's. */
  eventId: EventIdSchema,
});
export type ShareDetail = z.infer<typeof ShareDetailSchema>;
