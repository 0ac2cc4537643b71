import { apiFunction, parseRequest } from '../../../api/http';
import { createWebhookDeps, endpointFor, endpointIdParam } from '../webhooks-api';
import { WebhooksApiEnvSchema } from '../webhooks-contract';
import { ListDeliveriesQuerySchema } from './route';

const { config, serve } = apiFunction('list-webhook-deliveries', WebhooksApiEnvSchema);
const { endpoints, log } = createWebhookDeps(config);

/** GET /webhooks/{id}/deliveries → 200 a page of its log, newest first. */
export const handler = serve(async (event, caller) => {
  const endpoint = await endpointFor(endpoints, caller, endpointIdParam(event));
  const query = parseRequest(ListDeliveriesQuerySchema, event.queryStringParameters ?? {}, 'query');
  const page = await log.page(endpoint.endpointId, query.limit, query.cursor);
  const items = page.deliveries.map(
    ({ webhookId, eventType, imageId, status, createdAt, nextAttemptAt, attempts, payload }) => ({
      webhookId,
      eventType,
      ...(imageId && { imageId }),
      status,
      createdAt,
      ...(nextAttemptAt && { nextAttemptAt }),
      attempts,
      payload: JSON.parse(payload) as Record<string, unknown>,
    }),
  );
  return { statusCode: 200, body: { items, ...(page.after && { cursor: page.after }) } };
});
