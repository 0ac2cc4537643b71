import type { StepDeclaration } from '../../kit/processor-step-contract';
import { uses } from '../../kit/uses';

/** `duplicates`: the owner's earlier images with the same bytes. */
export const DUPLICATES_STEP = {
  name: 'duplicates',
  phase: 'analyse',
  contract: { uses: [uses.resultsQuery('byOwnerSha256')] },
} as const satisfies StepDeclaration;
