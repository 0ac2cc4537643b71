import { z } from 'zod';
import { EVENT_ID_PATTERN } from '../events/vocabulary';
import { EVENT_TYPES } from '../manifest/events';

/*
 * What the webhook routes take and the endpoints and deliveries are named by: the event types an endpoint may take,
 * an endpoint's id and a delivery's id (docs/webhooks.md).
 */

/**
 * Every event type an endpoint may take: the EventBridge detail types, one vocabulary for every subscriber, in the
 * catalogue's order (the registry gathers them from the rooms that declare them, lambdas/manifest/events.ts).
 */
export const WEBHOOK_EVENT_TYPES = EVENT_TYPES;
export const WebhookEventTypeSchema = z.enum(WEBHOOK_EVENT_TYPES);
export type WebhookEventType = z.output<typeof WebhookEventTypeSchema>;

/** `ep_` and a ULID: an endpoint's id. */
export const ENDPOINT_ID_PATTERN = /^ep_[0-9A-HJKMNP-TV-Z]{26}$/;

/** What `webhookIdOf` (messages.ts) makes: an event id. */
export const WEBHOOK_ID_PATTERN = EVENT_ID_PATTERN;
