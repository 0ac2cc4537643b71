import type { ApiRouteFactory } from '../../../api/route';
import { EndpointWithSecretSchema } from '../create-webhook/route';
import { EndpointIdPathSchema } from '../webhooks-contract';

export const route: ApiRouteFactory = () => ({
  method: 'POST',
  path: '/webhooks/{id}/rotate-secret',
  operationId: 'rotate-webhook-secret',
  access: 'write',
  summary: 'Give a webhook endpoint a new secret',
  description:
    'Every attempt is signed with the new secret and, for `webhookRotationOverlapHours`, with the previous one too ' +
    '(two `v1,` signatures in `webhook-signature`), so the receiver can switch at its pace.',
  request: { path: EndpointIdPathSchema },
  answers: {
    200: { description: 'The endpoint and its new secret (shown this once)', body: EndpointWithSecretSchema },
  },
  errors: {
    400: 'The id is not an endpoint id',
    404: "No such endpoint, or another owner's",
    409: 'Rotated by someone else meanwhile: try again',
  },
});
