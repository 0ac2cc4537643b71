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

/** DELETE /shares/{id} (a shareId or a token) → 204; `Share Revoked` the first time. */
export const handler = serve(async (event, caller) => {
  await revokeShare(event.pathParameters?.id ?? '', caller, { shares, events });
  tools.metrics.addMetric('SharesRevoked', MetricUnit.Count, 1);
  return { statusCode: 204 };
});
