import { uses } from '../../../../manifest/uses';
import type { StepContract } from '../step-contract';

/** `duplicates`: the owner's earlier images with the same bytes. */
export const DUPLICATES_STEP = {
  steps: ['duplicates'],
  uses: [uses.resultsQuery('byOwnerSha256')],
} satisfies StepContract;
