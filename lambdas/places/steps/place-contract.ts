import type { StepDeclaration } from '../../kit/processor-step-contract';

/** `place`: names positions from the places data, which travels beside the bundle (no network, no grant). */
export const PLACE_STEP = {
  name: 'place',
  phase: 'analyse',
  contract: { bundledData: ['places'] },
} as const satisfies StepDeclaration;
