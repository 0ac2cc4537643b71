import { z } from 'zod';
import type { StepContract, StepDeclaration, StepWiring } from '../../kit/processor-step-contract';
import { uses } from '../../kit/uses';
import { DUPLICATES_TABLE, type DuplicatesWiring, duplicatesTableOf } from '../table-design';

export const NearDuplicatesEnvShape = {
  /** The near-duplicates table (lambdas/duplicates/table-design.ts). */
  DUPLICATES_TABLE: z.string().min(1),
};

/**
 * `near-duplicates`: the photo's window hashes posted under their band values, the photos near it read, and the
 * cluster made or joined (clusters.ts), with `Duplicates Found` on the processor's event sinks. After the record is
 * stored, so a cluster never names a photo that has none.
 */
const NEAR_DUPLICATES_CONTRACT = {
  env: NearDuplicatesEnvShape,
  environment: (wiring: StepWiring & { readonly duplicates?: DuplicatesWiring }) => ({
    DUPLICATES_TABLE: duplicatesTableOf(wiring),
  }),
  // Band values and photos read by key; the photo's item and band values updated; a cluster put or joined in a
  // transaction (its Put and Updates); a replaced version's stale band values deleted from their sets.
  uses: [uses.declaredItems(DUPLICATES_TABLE.name, 'GetItem', 'BatchGetItem', 'PutItem', 'UpdateItem', 'DeleteItem')],
} satisfies StepContract<typeof NearDuplicatesEnvShape>;

export const NEAR_DUPLICATES_STEP = {
  name: 'near-duplicates',
  phase: 'stored',
  contract: NEAR_DUPLICATES_CONTRACT,
} as const satisfies StepDeclaration;
