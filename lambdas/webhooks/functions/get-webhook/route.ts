import type { ApiRouteFactory } from '../../../api/route';
import { EndpointIdPathSchema, WebhookEndpointSchema } from '../webhooks-contract';

export const route: ApiRouteFactory = () => ({
  method: 'GET',
  path: '/webhooks/{id}',
  operationId: 'get-webhook',
  access: 'read',
  summary: 'Read one webhook endpoint',
  request: { path: EndpointIdPathSchema },
  answers: { 200: { description: 'The endpoint (never its secret)', body: WebhookEndpointSchema } },
  errors: { 400: 'The id is not an endpoint id', 404: "No such endpoint, or another owner's" },
});
