import { z } from 'zod';
import type { StepDeclaration } from '../../kit/processor-step-contract';
import { uses } from '../../kit/uses';

/**
 * `index`: the record's postings, in the search table (search-index.ts); also those of a failure the processor
 * records and of a record whose event it publishes again, and their removal on a re-own.
 */
export const INDEX_STEP = {
  name: 'index',
  phase: 'stored',
  contract: {
    env: { SEARCH_TABLE_NAME: z.string().min(1) },
    environment: ({ searchTableName }: { readonly searchTableName: string }) => ({
      SEARCH_TABLE_NAME: searchTableName,
    }),
    uses: [uses.search('write')],
  },
} as const satisfies StepDeclaration;
