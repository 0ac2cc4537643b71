import { z } from 'zod';
import type { StepContract, StepDeclaration, StepWiring } from '../../kit/processor-step-contract';
import { uses } from '../../kit/uses';
import { MeaningEnvShape, type MeaningWiring, meaningEnvironment } from '../../search/meaning/contract';
import { DUPLICATES_TABLE, type DuplicatesWiring, duplicatesTableOf } from '../table-design';

export const NearDuplicatesEnvShape = {
  /** The near-duplicates table (lambdas/duplicates/table-design.ts). */
  DUPLICATES_TABLE: z.string().min(1),
  /** With search by meaning on, its index: the second signal (near.ts), the vector `embed` made asking for its lookalikes. */
  ...MeaningEnvShape,
};

/**
 * `near-duplicates`: the photo's window hashes posted under their band values, the photos near it read, and the
 * cluster made or joined (clusters.ts), with `Duplicates Found` on the processor's event sinks. Once the photo's
 * own event is out (`published`): a cluster never names a photo that has no record, and neither the photo's search
 * postings nor its event wait on the clustering's reads.
 */
const NEAR_DUPLICATES_CONTRACT = {
  env: NearDuplicatesEnvShape,
  environment: (wiring: StepWiring & { readonly duplicates?: DuplicatesWiring; readonly meaning?: MeaningWiring }) => ({
    DUPLICATES_TABLE: duplicatesTableOf(wiring),
    ...meaningEnvironment(wiring.meaning),
  }),
  // Band values and photos read by key; the photo's item and band values updated; a cluster put or joined in a
  // transaction (its Put and Updates); a replaced version's stale band values deleted from their sets. With search by
  // meaning on, one QueryVectors of the current index a photo (nothing without it).
  uses: [
    uses.declaredItems(DUPLICATES_TABLE.name, 'GetItem', 'BatchGetItem', 'PutItem', 'UpdateItem', 'DeleteItem'),
    uses.meaning('lookalikes'),
  ],
} satisfies StepContract<typeof NearDuplicatesEnvShape>;

export const NEAR_DUPLICATES_STEP = {
  name: 'near-duplicates',
  phase: 'published',
  contract: NEAR_DUPLICATES_CONTRACT,
} as const satisfies StepDeclaration;
