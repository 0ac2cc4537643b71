import { apiFunction } from '../../../api/http';
import { ALL_OWNERS } from '../../table-design';
import { createWebhookDeps, endpointAnswer } from '../webhooks-api';
import { WebhooksApiEnvSchema } from '../webhooks-contract';

const { config, serve } = apiFunction('list-webhooks', WebhooksApiEnvSchema);
const { endpoints } = createWebhookDeps(config);

/** GET /webhooks → 200 the caller's endpoints (an admin's: with those for every owner). At most the limit each. */
export const handler = serve(async (_event, caller) => {
  const [own, all] = await Promise.all([
    endpoints.listOf(caller.owner),
    caller.admin ? endpoints.listOf(ALL_OWNERS) : Promise.resolve([]),
  ]);
  return { statusCode: 200, body: { items: [...own, ...all].map((endpoint) => endpointAnswer(endpoint)) } };
});
