import type { TableDeclaration } from '../settings/resources';

/**
 * The moderation policies table, shared by the CDK construct, the store and the local runner. One item per owner
 * that has set a policy (`PUT /policy`), keyed by the owner: read with GetItem by the processor for each image it
 * analyses, and by `GET /policy`; put whole by `PUT /policy`. No index: no access pattern lists the policies. An
 * owner without an item has the deployment's default policy (policy.ts `defaultRules`).
 */
export const POLICY_TABLE_DESIGN = {
  partitionKey: 'owner',
} as const;

/** The owners' moderation policies. */
export const POLICY_TABLE: TableDeclaration = {
  name: 'policies',
  design: POLICY_TABLE_DESIGN,
  wiring: (policyTableName) => ({ policyTableName }),
  output: { name: 'PolicyTableName', description: "Owners' moderation policies" },
};
