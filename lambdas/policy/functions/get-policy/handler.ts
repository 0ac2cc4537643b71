import { apiFunction } from '../../../api/http';
import { createPolicyDeps, policyAnswer, policyOwner } from '../policy-api';
import { PolicyApiEnvSchema } from '../policy-contract';

const { config, serve } = apiFunction('get-policy', PolicyApiEnvSchema);
const { policies, settings } = createPolicyDeps(config);

/** GET /policy?owner= → 200 the owner's policy, or the default one. */
export const handler = serve(async (event, caller) => {
  const owner = policyOwner(event, caller);
  return { statusCode: 200, body: policyAnswer(owner, await policies.get(owner), settings) };
});
