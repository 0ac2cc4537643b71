import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { apiFunction } from '../../../api/http';
import { revokePartner } from '../../partners';
import { createPartnersDeps, partnerParam } from '../partners-api';
import { PartnersEnvSchema } from '../partners-contract';

const { config, tools, serve } = apiFunction('revoke-partner', PartnersEnvSchema);
const deps = createPartnersDeps(config, tools.tracer);

/** DELETE /partners/{partner} → 204; `Partner Revoked` for both owners. */
export const handler = serve(async (event, caller) => {
  await revokePartner(partnerParam(event), caller, deps);
  tools.metrics.addMetric('PartnersRevoked', MetricUnit.Count, 1);
  return { statusCode: 204 };
});
