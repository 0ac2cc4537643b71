import { uses } from '../../../../manifest/uses';
import { MeaningEnvShape, meaningEnvironment } from '../../../../search/meaning/contract';
import type { StepContract } from '../step-contract';

/** `embed` and `vector`: with search by meaning on, the image embedded and its vector put in the index. */
export const EMBED_STEP = {
  steps: ['embed', 'vector'],
  env: MeaningEnvShape,
  environment: ({ meaning }) => meaningEnvironment(meaning),
  uses: [uses.meaning('embed-images')],
} satisfies StepContract<typeof MeaningEnvShape>;
