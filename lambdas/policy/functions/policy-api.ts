import type { APIGatewayProxyEvent } from 'aws-lambda';
import { parseRequest } from '../../api/http';
import { createDocumentClient } from '../../shared/aws-clients';
import { ForbiddenError } from '../../shared/errors';
import type { Caller } from '../../store/owner';
import type { PolicyDefaults } from '../defaults';
import { defaultRules } from '../policy';
import { PolicyStore, type StoredPolicy } from '../policy-store';
import { type PolicyAnswer, type PolicyApiEnv, PolicyQuerySchema } from './policy-contract';

/*
 * What the policy routes' handlers share: whose policy a request is about (`?owner=`), the answer they make of a
 * stored policy, and the store they open. Their environment and the policy's schema are in policy-contract.ts.
 */

/** The owner a request is about: the caller, or the one `owner` names (a 403 unless it is theirs or they are admin). */
export function policyOwner(event: APIGatewayProxyEvent, caller: Caller): string {
  const { owner } = parseRequest(PolicyQuerySchema, event.queryStringParameters ?? {}, 'query');
  if (owner === undefined || owner === caller.owner) return caller.owner;
  if (!caller.admin) throw new ForbiddenError("owner: only an admin may read or set another owner's policy");
  return owner;
}

/** The owner's policy, or the default one. */
export function policyAnswer(owner: string, stored: StoredPolicy | undefined, settings: PolicyDefaults): PolicyAnswer {
  if (!stored) return { owner, source: 'default', rules: defaultRules(settings) };
  const { rules, updatedAt, updatedBy } = stored;
  return { owner, source: 'owner', rules, updatedAt, updatedBy };
}

/** What every policy route works with, made once at load. */
export function createPolicyDeps(config: PolicyApiEnv) {
  return {
    policies: new PolicyStore(createDocumentClient(), config.POLICY_TABLE),
    settings: { moderationThreshold: config.MODERATION_THRESHOLD },
  };
}
