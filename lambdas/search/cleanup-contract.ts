import { z } from 'zod';
import type { ImageCleanupContract } from '../kit/image-cleanup';
import { uses } from '../kit/uses';
import { MeaningEnvShape, type MeaningWiring, meaningEnvironment } from './meaning/contract';

/** An image's search postings go with it, and leave (and come back) with a move to the trash and back. */
export const POSTINGS_CLEANUP = {
  name: 'search postings',
  occasions: ['purge', 'trash'],
  envShape: {
    /** The search index table: the image's postings go with it. */
    SEARCH_TABLE_NAME: z.string().min(1),
  },
  environmentFor: (wiring: { readonly searchTableName: string }) => ({ SEARCH_TABLE_NAME: wiring.searchTableName }),
  uses: [uses.search('write')],
} as const satisfies ImageCleanupContract<{ readonly searchTableName: string }>;

/** With search by meaning on, the image's vector goes with it (from the previous model's index too). */
export const MEANING_CLEANUP = {
  name: 'search by meaning',
  envShape: MeaningEnvShape,
  environmentFor: (wiring: { readonly meaning?: MeaningWiring }) => meaningEnvironment(wiring.meaning),
  uses: [uses.meaning('remove')],
} as const satisfies ImageCleanupContract<{ readonly meaning?: MeaningWiring }>;
