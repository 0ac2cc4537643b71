import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { apiFunction } from '../../../api/http';
import { newSecret } from '../../endpoint';
import { createWebhookDeps, endpointAnswer, endpointFor, endpointIdParam } from '../webhooks-api';
import { WebhooksApiEnvSchema } from '../webhooks-contract';

const { config, tools, serve } = apiFunction('rotate-webhook-secret', WebhooksApiEnvSchema);
const { endpoints } = createWebhookDeps(config);

/** POST /webhooks/{id}/rotate-secret → 200 the endpoint and its new secret; the old one signs on for the overlap. */
export const handler = serve(async (event, caller) => {
  const endpoint = await endpointFor(endpoints, caller, endpointIdParam(event));
  const now = new Date();
  const overlapEnds = new Date(now.getTime() + config.WEBHOOK_ROTATION_OVERLAP_HOURS * 3_600_000).toISOString();
  const secret = newSecret();
  const rotated = await endpoints.rotate(endpoint, secret, now.toISOString(), overlapEnds);
  tools.metrics.addMetric('WebhookSecretsRotated', MetricUnit.Count, 1);
  return { statusCode: 200, body: { endpoint: endpointAnswer(rotated, now), secret } };
});
