import type { ImageCleanupContract } from '../kit/image-cleanup';
import { uses } from '../kit/uses';
import { NearDuplicatesEnvShape } from './steps/near-duplicates-contract';
import { DUPLICATES_TABLE, type DuplicatesWiring, duplicatesTableOf } from './table-design';

/**
 * A photo's near-duplicate postings and cluster go with it: to the trash or the locked folder (its hashes kept, it
 * leaves its cluster) and for good. Back from either, its hashes are posted again, so the next near photo to arrive
 * finds it; it is not clustered there and then (an owner who just resolved a cluster and restores a copy is not asked
 * again about the same photos).
 */
export const NEAR_DUPLICATES_CLEANUP = {
  name: 'near-duplicates',
  occasions: ['purge', 'trash'],
  envShape: NearDuplicatesEnvShape,
  environmentFor: (wiring: { readonly duplicates?: DuplicatesWiring }) => ({
    DUPLICATES_TABLE: duplicatesTableOf(wiring),
  }),
  // The photo read; its band values and cluster updated (a cluster left with one photo closed: its list item
  // deleted, its last photo freed); its item deleted for good.
  uses: [uses.declaredItems(DUPLICATES_TABLE.name, 'GetItem', 'UpdateItem', 'DeleteItem')],
} as const satisfies ImageCleanupContract<{ readonly duplicates?: DuplicatesWiring }>;
