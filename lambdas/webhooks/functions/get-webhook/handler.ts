import { apiFunction } from '../../../api/http';
import { createWebhookDeps, endpointAnswer, endpointFor, endpointIdParam } from '../webhooks-api';
import { WebhooksApiEnvSchema } from '../webhooks-contract';

const { config, serve } = apiFunction('get-webhook', WebhooksApiEnvSchema);
const { endpoints } = createWebhookDeps(config);

/** GET /webhooks/{id} → 200 the endpoint; another owner's is a 404 (an admin's caller may read any). */
export const handler = serve(async (event, caller) => {
  const endpoint = await endpointFor(endpoints, caller, endpointIdParam(event));
  return { statusCode: 200, body: endpointAnswer(endpoint) };
});
