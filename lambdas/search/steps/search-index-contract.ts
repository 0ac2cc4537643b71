import type { StepDeclaration } from '../../kit/processor-step-contract';

/** `index`: the postings, with the processor's own use of the search table (it writes postings itself too). */
export const INDEX_STEP = { name: 'index' } as const satisfies StepDeclaration;
