import { z } from 'zod';
import { uses } from '../../../../manifest/uses';
import { POLICY_TABLE } from '../../../../policy/table-design';
import type { StepContract } from '../step-contract';

const PolicyEnvShape = {
  /** The owners' moderation policies (lambdas/policy): the image owner's is applied after vision. */
  POLICY_TABLE: z.string().min(1),
};

/** `policy`: the image owner's moderation policy, read from the policies table (the default one's threshold is vision's). */
export const POLICY_STEP = {
  steps: ['policy'],
  env: PolicyEnvShape,
  environment: ({ policyTableName }) => ({ POLICY_TABLE: policyTableName }),
  uses: [uses.declaredItems(POLICY_TABLE.name, 'GetItem')],
} satisfies StepContract<typeof PolicyEnvShape>;
