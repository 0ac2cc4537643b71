import { apiFunction, jsonBody, parseRequest } from '../../../api/http';
import { createPolicyDeps, PolicyApiEnvSchema, policyAnswer, policyOwner } from '../policy-api';
import { SetPolicySchema } from './route';

const { config, serve } = apiFunction('set-policy', PolicyApiEnvSchema);
const { policies, settings } = createPolicyDeps(config);

/** PUT /policy?owner= → 200 the policy stored. */
export const handler = serve(async (event, caller) => {
  const owner = policyOwner(event, caller);
  const { rules } = parseRequest(SetPolicySchema, jsonBody(event), 'body');
  const stored = { owner, rules, updatedAt: new Date().toISOString(), updatedBy: caller.owner };
  await policies.put(stored);
  return { statusCode: 200, body: policyAnswer(owner, stored, settings) };
});
