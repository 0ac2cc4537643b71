import { apiFunction, jsonBody, parseRequest } from '../../../api/http';
import { ConflictError, NotFoundError } from '../../../shared/errors';
import { createWebhookDeps, endpointFor, endpointIdParam, WebhooksApiEnvSchema } from '../webhooks-api';
import { ReplaySchema } from './route';

const { config, serve } = apiFunction('replay-webhook-deliveries', WebhooksApiEnvSchema);
const { endpoints, log, queue } = createWebhookDeps(config);

/** POST /webhooks/{id}/replay → 202: one delivery queued again, or a range handed to the delivery function. */
export const handler = serve(async (event, caller) => {
  const endpoint = await endpointFor(endpoints, caller, endpointIdParam(event));
  const body = parseRequest(ReplaySchema, jsonBody(event), 'body');
  if (!endpoint.enabled)
    throw new ConflictError(`webhook endpoint ${endpoint.endpointId} is disabled: enable it first`);
  const { endpointId } = endpoint;
  if ('webhookId' in body) {
    const at = new Date().toISOString();
    if (!(await log.requeue(endpointId, body.webhookId, at))) {
      throw new NotFoundError(`delivery ${body.webhookId} not found for ${endpointId}`);
    }
    await queue.send({
      kind: 'attempt',
      endpointId,
      webhookId: body.webhookId,
      attempt: 1,
      notBefore: at,
      replay: true,
    });
    return { statusCode: 202, body: { queued: 'delivery', webhookId: body.webhookId } };
  }
  await queue.send({ kind: 'replay', endpointId, from: body.from, to: body.to });
  return { statusCode: 202, body: { queued: 'range' } };
});
