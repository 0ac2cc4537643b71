import { z } from 'zod';
import type { StepDeclaration, StepWiring } from '../../kit/processor-step-contract';
import { uses } from '../../kit/uses';
import { STACKS_TABLE, type StacksWiring, stacksTableOf } from '../table-design';

/**
 * `stack`: a photo that arrives with a burst's frames or another format of its shot is stacked with them
 * (auto-stack.ts), once its event is out: the stack is its owner's view of stored photos, not part of a record.
 */
export const STACK_STEP = {
  name: 'stack',
  phase: 'published',
  contract: {
    env: { STACKS_TABLE: z.string().min(1) },
    environment: (wiring: StepWiring & { readonly stacks?: StacksWiring }) => ({
      STACKS_TABLE: stacksTableOf(wiring),
    }),
    uses: [
      // Its postings put, its neighbours' read (bounded queries); a stack put or put again with its frames' records
      // (read, then updated in one transaction); a re-owned photo's stack put again without it or deleted, and its
      // postings deleted.
      uses.declaredItems(STACKS_TABLE.name, 'GetItem', 'PutItem', 'DeleteItem'),
      uses.declaredQuery(STACKS_TABLE.name, 'table'),
      uses.resultsItems('GetItem', 'UpdateItem'),
    ],
  },
} as const satisfies StepDeclaration;
