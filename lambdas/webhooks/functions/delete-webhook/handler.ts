import { apiFunction } from '../../../api/http';
import { createWebhookDeps, endpointFor, endpointIdParam } from '../webhooks-api';
import { WebhooksApiEnvSchema } from '../webhooks-contract';

const { config, serve } = apiFunction('delete-webhook', WebhooksApiEnvSchema);
const { endpoints } = createWebhookDeps(config);

/** DELETE /webhooks/{id} → 204. */
export const handler = serve(async (event, caller) => {
  const endpoint = await endpointFor(endpoints, caller, endpointIdParam(event));
  await endpoints.delete(endpoint);
  return { statusCode: 204 };
});
