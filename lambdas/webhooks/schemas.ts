import { z } from 'zod';
import { DETAIL_TYPES, EVENT_ID_PATTERN } from '../events/vocabulary';

/*
 * What the webhook routes take and the endpoints and deliveries are named by: the event types an endpoint may take,
 * an endpoint's id and a delivery's id (docs/webhooks.md).
 */

/** Every event type an endpoint may take: the EventBridge detail types, one vocabulary for every subscriber. */
export const WEBHOOK_EVENT_TYPES = Object.values(DETAIL_TYPES);
export const WebhookEventTypeSchema = z.enum(WEBHOOK_EVENT_TYPES);
export type WebhookEventType = z.output<typeof WebhookEventTypeSchema>;

/** `ep_` and a ULID: an endpoint's id. */
export const ENDPOINT_ID_PATTERN = /^ep_[0-9A-HJKMNP-TV-Z]{26}$/;

/** What `webhookIdOf` (messages.ts) makes: an event id. */
export const WEBHOOK_ID_PATTERN = EVENT_ID_PATTERN;
