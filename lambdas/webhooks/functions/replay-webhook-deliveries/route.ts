import { z } from 'zod';
import type { ApiRouteFactory } from '../../../api/route';
import { WEBHOOK_ID_PATTERN } from '../../schemas';
import { EndpointIdPathSchema } from '../webhooks-contract';

/** `POST /webhooks/{id}/replay` body: one delivery by its id, or every delivery of a time range. */
export const ReplaySchema = z.union(
  [
    z.strictObject({ webhookId: z.string().regex(WEBHOOK_ID_PATTERN).meta({ description: 'One delivery' }) }),
    z
      .strictObject({
        from: z.iso.datetime().meta({ description: "The range's start (the events' times)" }),
        to: z.iso.datetime().meta({ description: 'Its end, included' }),
      })
      .refine(({ from, to }) => from <= to, { message: 'from must not be after to', path: ['from'] }),
  ],
  { error: 'must be {"webhookId"} or {"from", "to"} (ISO 8601 times)' },
);

export const ReplayAnswerSchema = z
  .object({
    queued: z.enum(['delivery', 'range', 'already']).meta({
      description:
        '`delivery` or `range`: queued; `already`: the delivery is PENDING (its attempts are under way), nothing more ' +
        'was queued',
    }),
    webhookId: z.string().optional(),
  })
  .meta({ id: 'WebhookReplay' });

export const route: ApiRouteFactory = () => ({
  method: 'POST',
  path: '/webhooks/{id}/replay',
  operationId: 'replay-webhook-deliveries',
  access: 'write',
  summary: 'Send deliveries again',
  description:
    'Each is sent again with its `webhook-id` and body (a new timestamp and signature), with the whole retry schedule, ' +
    'whatever it came to before; one already PENDING (its attempts under way) is not queued again. A range is queued ' +
    'page by page, one range per endpoint at a time; its deliveries show PENDING as they are queued. While the ' +
    'endpoint is failing (`webhookHoldAfterMinutes`), a range is held like new events (HELD, sent once it succeeds ' +
    'again), and a delivery replayed by id is sent once, with no retries. At most 10 replay requests a minute per owner.',
  request: { path: EndpointIdPathSchema, body: ReplaySchema },
  answers: { 202: { description: 'Queued', body: ReplayAnswerSchema } },
  errors: {
    400: 'The id is not an endpoint id, or the body is neither form',
    404: "No such endpoint or delivery (another owner's, expired, or its image deleted for good)",
    409: "The endpoint is disabled (enable it first), or the delivery is the notice of its image's deletion",
    429: 'Past 10 replay requests a minute for the owner, or a range replay of the endpoint is under way (Retry-After)',
  },
});
