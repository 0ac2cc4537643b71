import { apiFunction, jsonBody, parseRequest } from '../../../api/http';
import { BadRequestError } from '../../../shared/errors';
import { urlProblem } from '../../destination';
import { createWebhookDeps, endpointAnswer, endpointFor, endpointIdParam } from '../webhooks-api';
import { WebhooksApiEnvSchema } from '../webhooks-contract';
import { UpdateWebhookSchema } from './route';

const { config, serve } = apiFunction('update-webhook', WebhooksApiEnvSchema);
const { endpoints } = createWebhookDeps(config);
const policy = { loopbackPorts: config.WEBHOOK_LOOPBACK_PORTS };

/** PATCH /webhooks/{id} → 200 the endpoint changed. */
export const handler = serve(async (event, caller) => {
  const endpoint = await endpointFor(endpoints, caller, endpointIdParam(event));
  const change = parseRequest(UpdateWebhookSchema, jsonBody(event), 'body');
  if (change.url !== undefined) {
    const problem = await urlProblem(change.url, policy);
    if (problem) throw new BadRequestError(`url: ${problem}`);
  }
  const disabledReason = change.enabled === false ? 'disabled by its owner' : undefined;
  const updated = await endpoints.update(
    endpoint.endpointId,
    { ...change, ...(disabledReason && { disabledReason }) },
    new Date().toISOString(),
  );
  return { statusCode: 200, body: endpointAnswer(updated) };
});
