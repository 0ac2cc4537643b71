import { z } from 'zod';
import { ApiEnvSchema, type ApiWiring, apiEnvironment } from '../../api/env';
import { type DeploymentSettings, DeploymentSettingsSchema } from '../../settings';
import type { FunctionEnvironment } from '../../settings/env';
import { OwnerSchema } from '../../store/owner';
import { ModerationRulesSchema } from '../contract';

/*
 * What the policy routes share (`/policy`, docs/api.md): their environment, the owner a request may name, and the
 * policy as they answer it. Whose policy a request is about and how it is answered are in policy-api.ts.
 */

/** Every variable a policy route reads. */
export const PolicyApiEnvSchema = ApiEnvSchema.extend({
  /** The moderation policies table (lambdas/policy/table-design.ts). */
  POLICY_TABLE: z.string().min(1),
  /** The default policy's threshold (lambdas/policy/defaults.ts), for an owner without a policy of their own. */
  MODERATION_THRESHOLD: DeploymentSettingsSchema.shape.moderationThreshold,
});
export type PolicyApiEnv = z.output<typeof PolicyApiEnvSchema>;

export interface PolicyRouteWiring extends ApiWiring {
  readonly policyTableName: string;
  readonly settings: Pick<DeploymentSettings, 'corsOrigins' | 'auth' | 'moderationThreshold'>;
}

/** The environment the stack and the local runner give each policy route. */
export function policyApiEnvironment(wiring: PolicyRouteWiring): FunctionEnvironment {
  return {
    ...apiEnvironment(wiring),
    POLICY_TABLE: wiring.policyTableName,
    ...(wiring.settings.moderationThreshold !== undefined && {
      MODERATION_THRESHOLD: String(wiring.settings.moderationThreshold),
    }),
  };
}

/** `?owner=`: an admin may name any owner; anyone else only themselves. */
export const PolicyQuerySchema = z.object({
  owner: OwnerSchema.optional().meta({
    description: "Admins only: this owner's policy (anyone else may name only themselves); default the caller's",
  }),
});

/** A policy as the routes answer it. */
export const PolicySchema = z
  .object({
    owner: z.string(),
    source: z.enum(['owner', 'default']).meta({
      description: "`owner`: set with PUT /policy; `default`: the deployment's, for an owner who has set none",
    }),
    rules: ModerationRulesSchema.meta({
      description: 'Each category at or above its threshold takes its action; a category no rule names is not acted on',
    }),
    updatedAt: z.string().optional(),
    updatedBy: z.string().optional().meta({
      description: 'Who set it: the owner, or an admin for them (then only an admin may change it)',
    }),
  })
  .meta({ id: 'ModerationPolicy' });
export type PolicyAnswer = z.output<typeof PolicySchema>;
