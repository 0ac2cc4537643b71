import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { apiFunction } from '../../../api/http';
import { eventSinks } from '../../../events/sinks';
import { createDocumentClient } from '../../../shared/aws-clients';
import { ShareStore } from '../../../shares/share-store';
import { revokeShare } from './revoke-share';
import { RevokeShareEnvSchema } from './route';

const { config, tools, serve } = apiFunction('revoke-share', RevokeShareEnvSchema);
const shares = new ShareStore(createDocumentClient(tools.tracer), config.SHARES_TABLE);
const events = eventSinks({ env: config, tracer: tools.tracer });

/**
 * DELETE /shares/{id} (a shareId or a token) → 204; `Share Revoked` the first time. API Gateway names the variable
 * `token`, as the releases before share ids did (GATEWAY_PATHS, lib/declared-placements.ts); the runner `id`.
 */
export const handler = serve(async (event, caller) => {
  const id = event.pathParameters?.id ?? event.pathParameters?.token ?? '';
  await revokeShare(id, caller, { shares, events });
  tools.metrics.addMetric('SharesRevoked', MetricUnit.Count, 1);
  return { statusCode: 204 };
});
