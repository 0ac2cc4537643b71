import { z } from 'zod';
import type { ApiRouteFactory } from '../../../api/route';
import { WebhookEndpointSchema } from '../webhooks-contract';

export const WebhookEndpointListSchema = z
  .object({ items: z.array(WebhookEndpointSchema) })
  .meta({ id: 'WebhookEndpointList' });

export const route: ApiRouteFactory = () => ({
  method: 'GET',
  path: '/webhooks',
  operationId: 'list-webhooks',
  access: 'read',
  summary: "The caller's webhook endpoints",
  description: "Oldest first; an admin's list also has the endpoints for every owner. Secrets are never shown.",
  answers: { 200: { description: 'Every endpoint of the caller', body: WebhookEndpointListSchema } },
});
