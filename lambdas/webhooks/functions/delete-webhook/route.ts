import type { ApiRouteFactory } from '../../../api/route';
import { EndpointIdPathSchema } from '../webhooks-contract';

export const route: ApiRouteFactory = () => ({
  method: 'DELETE',
  path: '/webhooks/{id}',
  operationId: 'delete-webhook',
  access: 'write',
  summary: 'Delete a webhook endpoint',
  description:
    'It gets nothing more, its queued attempts are dropped, and its log expires on its own (`webhookLogDays`).',
  request: { path: EndpointIdPathSchema },
  answers: { 204: { description: 'Deleted' } },
  errors: {
    400: 'The id is not an endpoint id',
    404: "No such endpoint (deleted already, by a request before or beside this one), or another owner's",
    409: "It or another of the owner's endpoints was being changed at the same moment, past a few retries: try again",
  },
});
