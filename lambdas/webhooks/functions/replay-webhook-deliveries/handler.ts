import { apiFunction, jsonBody, parseRequest } from '../../../api/http';
import { ConflictError } from '../../../shared/errors';
import { replayDeliveries } from '../../replay';
import { createWebhookDeps, endpointFor, endpointIdParam } from '../webhooks-api';
import { WebhooksApiEnvSchema } from '../webhooks-contract';
import { ReplaySchema } from './route';

const { config, serve } = apiFunction('replay-webhook-deliveries', WebhooksApiEnvSchema);
const deps = createWebhookDeps(config);

/** POST /webhooks/{id}/replay → 202: one delivery queued again, or a range handed to the delivery function. */
export const handler = serve(async (event, caller) => {
  const endpoint = await endpointFor(deps.endpoints, caller, endpointIdParam(event));
  const body = parseRequest(ReplaySchema, jsonBody(event), 'body');
  if (!endpoint.enabled)
    throw new ConflictError(`webhook endpoint ${endpoint.endpointId} is disabled: enable it first`);
  return { statusCode: 202, body: await replayDeliveries(endpoint, body, caller.owner, deps) };
});
