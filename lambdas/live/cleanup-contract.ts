import { z } from 'zod';
import type { ImageCleanupContract } from '../kit/image-cleanup';
import { uses } from '../kit/uses';
import { UPLOAD_PREFIX } from '../store/keys';
import { LIVE_TABLE, type LiveWiring, liveTableOf } from './table-design';

/** A still deleted for good takes its Live Photo's MOV with it: the object, its item, both postings. */
export const LIVE_CLEANUP = {
  name: 'live',
  occasions: ['purge'],
  envShape: {
    /** The Live Photos table (lambdas/live/table-design.ts). */
    LIVE_TABLE: z.string().min(1),
    TABLE_NAME: z.string().min(1),
  },
  environmentFor: (wiring: { readonly live?: LiveWiring; readonly tableName: string }) => ({
    LIVE_TABLE: liveTableOf(wiring),
    TABLE_NAME: wiring.tableName,
  }),
  uses: [
    // The MOV's item read, then deleted with its posting and the still's; the MOV's object deleted.
    uses.declaredItems(LIVE_TABLE.name, 'GetItem', 'DeleteItem'),
    uses.objects(UPLOAD_PREFIX, 's3:DeleteObject'),
  ],
} as const satisfies ImageCleanupContract<{ readonly live?: LiveWiring; readonly tableName: string }>;
