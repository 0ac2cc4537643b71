import { z } from 'zod';
import { declareEvents } from '../events/declare';
import { EVENT_VERSION, EventIdSchema } from '../events/event-details';
import { OwnerSchema } from '../store/owner';

/*
 * The webhooks' own event (delivery.ts publishes it): an endpoint failed for `webhookDisableAfterHours` without a
 * success, through a whole retry schedule, and was disabled (docs/webhooks.md); it gets nothing until it is enabled
 * again, and its owner's other endpoints may subscribe. The registry gathers it with every room's
 * (lambdas/manifest/events.ts).
 */

export const WEBHOOKS_EVENTS = declareEvents('webhooks', {
  webhookDisabled: {
    detailType: 'Webhook Endpoint Disabled',
    order: 10,
    hint: 'an endpoint is disabled after failing for too long',
    when: 'a webhook endpoint failed for `webhookDisableAfterHours` (24 h) without a success and was disabled ([webhooks.md](webhooks.md#disabled-endpoints))',
    adds: "not an image event: its detail is `{version, endpointId, owner?, url, failingSince, reason, occurredAt, eventId}`; `owner` is the endpoint's, absent for an admin's endpoint for every owner; `reason` the last attempt's error (`HTTP 503`, `timed out after 10 s`)",
    detail: z.object({
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
    }),
  },
});
