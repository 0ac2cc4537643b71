import { z } from 'zod';
import type { ApiRouteFactory } from '../../../api/route';
import { clientText } from '../../../store/client-text';
import { WebhookEventTypeSchema } from '../../schemas';
import { WebhookEndpointSchema } from '../webhooks-contract';

/** The longest URL an endpoint may have. */
export const MAX_URL_LENGTH = 2048;
export const MAX_DESCRIPTION_LENGTH = 256;

/** What an endpoint's URL, description and event types may be, when created or changed. */
export const EndpointFieldsSchema = z.object({
  url: clientText(z.string().max(MAX_URL_LENGTH)).meta({
    description:
      'Where events are POSTed: https, on a public address (the local runner also allows loopback on the ports ' +
      'webhookLoopbackPorts names, over http)',
  }),
  description: clientText(z.string().trim().max(MAX_DESCRIPTION_LENGTH)).meta({
    description: 'For people; default empty. Valid Unicode with no control characters, as the URL',
  }),
  eventTypes: z
    .array(WebhookEventTypeSchema)
    .max(20)
    .transform((types) => [...new Set(types)])
    .meta({ description: 'The event types it gets; empty or absent: every type' }),
});

/** `POST /webhooks` body. */
export const CreateWebhookSchema = z.strictObject(
  {
    ...EndpointFieldsSchema.shape,
    description: EndpointFieldsSchema.shape.description.default(''),
    eventTypes: EndpointFieldsSchema.shape.eventTypes.default([]),
    allOwners: z.boolean().default(false).meta({ description: "Admins only: get every owner's events" }),
  },
  { error: 'must be a JSON object {"url", "description"?, "eventTypes"?, "allOwners"?}' },
);

/** An endpoint with its secret: the only answers that carry one (a create, a rotation). */
export const EndpointWithSecretSchema = z
  .object({
    endpoint: WebhookEndpointSchema,
    secret: z.string().meta({
      description: 'The signing secret (`whsec_...`), shown this once: give it to the receiver to verify signatures',
    }),
  })
  .meta({ id: 'WebhookEndpointWithSecret' });

export const route: ApiRouteFactory = () => ({
  method: 'POST',
  path: '/webhooks',
  operationId: 'create-webhook',
  access: 'write',
  summary: 'Add a webhook endpoint',
  description:
    "The endpoint gets the caller's events of the types it names, signed per Standard Webhooks (docs/webhooks.md). " +
    'Its secret is in this answer only.',
  request: { body: CreateWebhookSchema },
  answers: { 201: { description: 'The endpoint and its secret', body: EndpointWithSecretSchema } },
  errors: {
    400: 'The URL is refused (the message says why: not https, a private, loopback or link-local address, a name that resolves to one, or does not resolve), or a field is malformed (a lone surrogate or a control character in the URL or description, too long)',
    403: '`allOwners` from a caller who is not an admin',
    409: 'Other endpoints of the owner were created or deleted at the same moment, past a few retries: try again',
    429: 'The owner has `webhookEndpointsPerOwner` endpoints already',
  },
});
