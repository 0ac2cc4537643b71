import { SINK_USES, SinkEnvShape, type SinkWiring, sinkEnvironment } from '../events/wiring';
import type { ImageCleanupContract } from '../kit/image-cleanup';
import { uses } from '../kit/uses';
import { NearDuplicatesEnvShape } from './steps/near-duplicates-contract';
import { DUPLICATES_TABLE, type DuplicatesWiring, duplicatesTableOf } from './table-design';

/**
 * A photo's near-duplicate postings and cluster go with it: to the trash or the locked folder (its hashes kept) and
 * for good; back from either, it is posted and clustered again (with `Duplicates Found` when it joins one).
 */
export const NEAR_DUPLICATES_CLEANUP = {
  name: 'near-duplicates',
  occasions: ['purge', 'trash'],
  envShape: { ...NearDuplicatesEnvShape, ...SinkEnvShape },
  environmentFor: (wiring: SinkWiring & { readonly duplicates?: DuplicatesWiring }) => ({
    DUPLICATES_TABLE: duplicatesTableOf(wiring),
    ...sinkEnvironment(wiring),
  }),
  uses: [
    uses.declaredItems(DUPLICATES_TABLE.name, 'GetItem', 'BatchGetItem', 'PutItem', 'UpdateItem', 'DeleteItem'),
    ...SINK_USES,
  ],
} as const satisfies ImageCleanupContract<SinkWiring & { readonly duplicates?: DuplicatesWiring }>;
