import { route as getPolicy } from '../policy/functions/get-policy/route';
import { PolicyApiEnvSchema, policyApiEnvironment } from '../policy/functions/policy-contract';
import { route as setPolicy } from '../policy/functions/set-policy/route';
import type { ApiFunction } from './api-function';
import { uses } from './uses';

/** The moderation policy routes (docs/api.md, docs/vision.md): every deployment has them. */
export const POLICY_API_FUNCTIONS = [
  {
    room: 'policy',
    route: getPolicy,
    environmentFor: policyApiEnvironment,
    envSchema: PolicyApiEnvSchema,
    uses: [uses.policyItems('GetItem')],
  },
  {
    room: 'policy',
    route: setPolicy,
    environmentFor: policyApiEnvironment,
    envSchema: PolicyApiEnvSchema,
    // The whole policy put, replacing the one before.
    uses: [uses.policyItems('PutItem')],
  },
] as const satisfies readonly ApiFunction[];
