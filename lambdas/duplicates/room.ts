import { type RoomManifest, stepElsewhere } from '../kit/room';
import { uses } from '../kit/uses';
import { CARRY_OVER_USES } from './carry-over-contract';
import { NEAR_DUPLICATES_CLEANUP } from './cleanup-contract';
import { route as dismissDuplicates } from './functions/dismiss-duplicates/route';
import {
  DuplicatesEnvSchema,
  duplicatesEnvironment,
  ResolveDuplicatesEnvSchema,
  resolveDuplicatesEnvironment,
} from './functions/duplicates-contract';
import { route as listDuplicates } from './functions/list-duplicates/route';
import { route as resolveDuplicates } from './functions/resolve-duplicates/route';
import { NEAR_DUPLICATES_STEP } from './steps/near-duplicates-contract';
import { DUPLICATES_TABLE } from './table-design';

const TABLE = DUPLICATES_TABLE.name;

/**
 * Near-duplicates (docs/api.md#duplicates): clusters of an owner's photos found near each other as they arrive (the
 * processor's `near-duplicates` step), to review: keep the best, let the copies go, or say they are not duplicates.
 */
export const DUPLICATES_ROOM = {
  routes: [
    {
      room: 'duplicates',
      route: listDuplicates,
      environmentFor: duplicatesEnvironment,
      envSchema: DuplicatesEnvSchema,
      // The owner's open lists, then the clusters and their photos by key.
      uses: [uses.declaredQuery(TABLE, 'table'), uses.declaredItems(TABLE, 'BatchGetItem')],
    },
    {
      room: 'duplicates',
      route: dismissDuplicates,
      environmentFor: duplicatesEnvironment,
      envSchema: DuplicatesEnvSchema,
      // The cluster read and closed, its list item deleted, each photo freed and told whom it is not with.
      uses: [uses.declaredItems(TABLE, 'GetItem', 'UpdateItem', 'DeleteItem')],
    },
    {
      room: 'duplicates',
      route: resolveDuplicates,
      environmentFor: resolveDuplicatesEnvironment,
      envSchema: ResolveDuplicatesEnvSchema,
      // The carry-over's (carry-over-contract.ts: the records, the kept photo's edits and postings, the copies' albums,
      // their move to the trash, the events), the rooms' parts of that move (`cleansUp`), and the cluster read and
      // closed as dismiss closes it.
      uses: [...CARRY_OVER_USES, uses.declaredItems(TABLE, 'GetItem', 'UpdateItem', 'DeleteItem')],
      cleansUp: ['trash'],
      bundledData: 'places',
    },
  ],
  tables: [DUPLICATES_TABLE],
  steps: [
    {
      declaration: NEAR_DUPLICATES_STEP,
      runtime: process.env.IMAGE_INTEL_STEPS_ELSEWHERE
        ? stepElsewhere
        : () => (require('./steps/near-duplicates') as typeof import('./steps/near-duplicates')).nearDuplicatesStep,
    },
  ],
  cleanups: [
    {
      contract: NEAR_DUPLICATES_CLEANUP,
      runtime: () => (require('./cleanup') as typeof import('./cleanup')).NEAR_DUPLICATES_CLEANUP_MODULE,
    },
  ],
} satisfies RoomManifest;
