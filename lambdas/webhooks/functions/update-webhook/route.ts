import { z } from 'zod';
import type { ApiRouteFactory } from '../../../api/route';
import { EndpointFieldsSchema } from '../create-webhook/route';
import { EndpointIdPathSchema, WebhookEndpointSchema } from '../webhooks-contract';

/** `PATCH /webhooks/{id}` body: any of the fields; `enabled: true` also forgets its failures. */
export const UpdateWebhookSchema = z.strictObject(
  {
    ...EndpointFieldsSchema.partial().shape,
    enabled: z
      .boolean()
      .optional()
      .meta({ description: 'false: it gets nothing until enabled again; true: enabled, its failures forgotten' }),
  },
  { error: 'must be a JSON object with any of "url", "description", "eventTypes", "enabled"' },
);

export const route: ApiRouteFactory = () => ({
  method: 'PATCH',
  path: '/webhooks/{id}',
  operationId: 'update-webhook',
  access: 'write',
  summary: 'Change, disable or enable a webhook endpoint',
  description:
    'A new URL is checked as on create. Enabling an endpoint disabled by its failures starts it afresh; the events ' +
    'it missed meanwhile are not sent (replay a time range for those it had deliveries of).',
  request: { path: EndpointIdPathSchema, body: UpdateWebhookSchema },
  answers: { 200: { description: 'The endpoint as it is now', body: WebhookEndpointSchema } },
  errors: {
    400: 'The URL is refused (the message says why), or a field is malformed',
    404: "No such endpoint, or another owner's",
    409: 'It was changed meanwhile: read it and try again',
  },
});
