import type { StepContract, StepDeclaration } from '../../kit/processor-step-contract';
import { uses } from '../../kit/uses';
import { MeaningEnvShape, type MeaningWiring, meaningEnvironment } from '../meaning/contract';

/** `embed` and `vector`: with search by meaning on, the image embedded and its vector put in the index. */
const MEANING_CONTRACT = {
  env: MeaningEnvShape,
  environment: ({ meaning }: { readonly meaning?: MeaningWiring }) => meaningEnvironment(meaning),
  uses: [uses.meaning('embed-images')],
} satisfies StepContract<typeof MeaningEnvShape>;

export const EMBED_STEP = {
  name: 'embed',
  phase: 'analyse',
  contract: MEANING_CONTRACT,
} as const satisfies StepDeclaration;

/** The vector into the index: the same contract as `embed` (one model and index for both). */
export const VECTOR_STEP = {
  name: 'vector',
  phase: 'prepare',
  contract: MEANING_CONTRACT,
} as const satisfies StepDeclaration;
