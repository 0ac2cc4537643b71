import { z } from 'zod';
import type { StepContract, StepDeclaration, StepWiring } from '../../kit/processor-step-contract';
import { uses } from '../../kit/uses';
import { DeploymentSettingsSchema, InferenceModeSchema } from '../../settings';
import { POLICY_TABLE } from '../table-design';

export const PolicyEnvShape = {
  /** The owners' moderation policies (lambdas/policy): the image owner's is applied after vision. */
  POLICY_TABLE: z.string().min(1),
  /**
   * The default policy's threshold and whether it is the offline models' calibrated one: vision's variables, set by
   * the vision step's contract (lambdas/vision/steps/vision-contract.ts), read here too.
   */
  MODERATION_THRESHOLD: DeploymentSettingsSchema.shape.moderationThreshold,
  INFERENCE: InferenceModeSchema,
};

/** `policy`: the image owner's moderation policy, read from the policies table (the default one's threshold is vision's). */
const POLICY_CONTRACT = {
  env: PolicyEnvShape,
  environment: ({ policyTableName }: StepWiring & { readonly policyTableName: string }) => ({
    POLICY_TABLE: policyTableName,
  }),
  uses: [uses.declaredItems(POLICY_TABLE.name, 'GetItem')],
} satisfies StepContract<typeof PolicyEnvShape>;

export const POLICY_STEP = {
  name: 'policy',
  phase: 'judge',
  contract: POLICY_CONTRACT,
} as const satisfies StepDeclaration;
