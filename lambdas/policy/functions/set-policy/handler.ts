import { apiFunction, jsonBody, parseRequest } from '../../../api/http';
import { ForbiddenError } from '../../../shared/errors';
import { createPolicyDeps, policyAnswer, policyOwner } from '../policy-api';
import { PolicyApiEnvSchema } from '../policy-contract';
import { SetPolicySchema } from './route';

const { config, serve } = apiFunction('set-policy', PolicyApiEnvSchema);
const { policies, settings } = createPolicyDeps(config);

/**
 * PUT /policy?owner= → 200 the policy stored. An admin's policy for an owner stands over the owner's own: the owner's
 * put over it is a 403 (docs/vision.md); an admin may always put.
 */
export const handler = serve(async (event, caller) => {
  const owner = policyOwner(event, caller);
  const { rules } = parseRequest(SetPolicySchema, jsonBody(event), 'body');
  const stored = { owner, rules, updatedAt: new Date().toISOString(), updatedBy: caller.owner };
  if (!(await policies.put(stored, { asOwner: !caller.admin }))) {
    throw new ForbiddenError(
      'your moderation policy was set by an admin: only an admin may change it (GET /policy shows it and who set it)',
    );
  }
  return { statusCode: 200, body: policyAnswer(owner, stored, settings) };
});
