import { z } from 'zod';
import type { ApiRouteFactory } from '../../../api/route';
import { WEBHOOK_ID_PATTERN } from '../../schemas';
import { EndpointIdPathSchema } from '../webhooks-contract';

export const ListDeliveriesQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(25).meta({ description: 'Deliveries per page, 1 to 100' }),
  cursor: z.string().regex(WEBHOOK_ID_PATTERN).optional().meta({ description: "The last page's `cursor`" }),
});

const AttemptSchema = z
  .object({
    at: z.string(),
    attempt: z.number().int().meta({ description: 'Which attempt of the schedule, from 1 (a replay starts at 1)' }),
    ok: z.boolean(),
    statusCode: z.number().int().optional(),
    latencyMs: z.number().int(),
    excerpt: z.string().optional().meta({ description: "The answer's first 512 bytes" }),
    error: z
      .string()
      .optional()
      .meta({ description: '`HTTP 500`, `timed out after 10 s`, `redirect not followed ...`' }),
    replay: z.boolean().optional(),
  })
  .meta({ id: 'WebhookAttempt' });

export const DeliverySchema = z
  .object({
    webhookId: z.string().meta({ description: 'The `webhook-id` every attempt and replay of it carries' }),
    eventType: z.string(),
    imageId: z.string().optional(),
    status: z.enum(['PENDING', 'SUCCEEDED', 'FAILED', 'HELD']).meta({
      description: 'HELD: not sent yet, as the endpoint was failing when the event came (sent once it succeeds again)',
    }),
    createdAt: z.string(),
    nextAttemptAt: z.string().optional(),
    attempts: z.array(AttemptSchema).meta({ description: 'Oldest first; the latest 30' }),
    payload: z.record(z.string(), z.unknown()).meta({ description: 'The body every attempt sends' }),
  })
  .meta({ id: 'WebhookDelivery' });

export const DeliveryPageSchema = z
  .object({
    items: z.array(DeliverySchema),
    cursor: z.string().optional().meta({ description: 'Present while older deliveries may follow; pass it back' }),
  })
  .meta({ id: 'WebhookDeliveryPage' });

export const route: ApiRouteFactory = () => ({
  method: 'GET',
  path: '/webhooks/{id}/deliveries',
  operationId: 'list-webhook-deliveries',
  access: 'read',
  summary: "A webhook endpoint's delivery log, newest first",
  description:
    'Each event sent to it with every attempt: status, latency, the start of the answer. Kept `webhookLogDays`.',
  request: { path: EndpointIdPathSchema, query: ListDeliveriesQuerySchema },
  answers: { 200: { description: 'A page of deliveries', body: DeliveryPageSchema } },
  errors: {
    400: 'The id is not an endpoint id, or a bad `limit` or `cursor`',
    404: "No such endpoint, or another owner's",
  },
});
