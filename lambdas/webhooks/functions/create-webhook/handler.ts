import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { ulid } from 'ulid';
import { apiFunction, jsonBody, parseRequest } from '../../../api/http';
import { BadRequestError, ForbiddenError } from '../../../shared/errors';
import { urlProblem } from '../../destination';
import { newSecret, type WebhookEndpoint } from '../../endpoint';
import { ALL_OWNERS } from '../../table-design';
import { createWebhookDeps, endpointAnswer } from '../webhooks-api';
import { WebhooksApiEnvSchema } from '../webhooks-contract';
import { CreateWebhookSchema } from './route';

const { config, tools, serve } = apiFunction('create-webhook', WebhooksApiEnvSchema);
const { endpoints } = createWebhookDeps(config);
const policy = { loopbackPorts: config.WEBHOOK_LOOPBACK_PORTS };

/** POST /webhooks → 201 the endpoint and its secret (shown once). The URL is checked before anything is stored. */
export const handler = serve(async (event, caller) => {
  const body = parseRequest(CreateWebhookSchema, jsonBody(event), 'body');
  if (body.allOwners && !caller.admin)
    throw new ForbiddenError('allOwners: only an admin may get every owner’s events');
  const problem = await urlProblem(body.url, policy);
  if (problem) throw new BadRequestError(`url: ${problem}`);
  const now = new Date().toISOString();
  const secret = newSecret();
  const endpoint: WebhookEndpoint = {
    endpointId: `ep_${ulid()}`,
    owner: body.allOwners ? ALL_OWNERS : caller.owner,
    url: body.url,
    description: body.description,
    eventTypes: body.eventTypes,
    enabled: true,
    secrets: [{ secret, createdAt: now }],
    createdAt: now,
    updatedAt: now,
  };
  await endpoints.create(endpoint, config.WEBHOOK_ENDPOINTS_PER_OWNER);
  tools.logger.appendKeys({ endpointId: endpoint.endpointId });
  tools.metrics.addMetric('WebhookEndpointsCreated', MetricUnit.Count, 1);
  return { statusCode: 201, body: { endpoint: endpointAnswer(endpoint), secret } };
});
