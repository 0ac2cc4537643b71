import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { apiFunction, jsonBody, parseRequest } from '../../../api/http';
import { grantPartner } from '../../partners';
import { createPartnersDeps } from '../partners-api';
import { GrantPartnerSchema, PartnersEnvSchema } from '../partners-contract';

const { config, tools, serve } = apiFunction('grant-partner', PartnersEnvSchema);
const deps = createPartnersDeps(config, tools.tracer);

/** POST /partners → 200 the grant; `Partner Granted` for both owners. */
export const handler = serve(async (event, caller) => {
  const body = parseRequest(GrantPartnerSchema, jsonBody(event), 'body');
  const grant = await grantPartner(body, caller, deps);
  tools.metrics.addMetric('PartnersGranted', MetricUnit.Count, 1);
  return { statusCode: 200, body: grant };
});
