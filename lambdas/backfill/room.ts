import type { RoomManifest } from '../kit/room';
import { uses } from '../kit/uses';
import {
  route as getBackfill,
  environmentFor as getBackfillEnvironment,
  GetBackfillEnvSchema as getBackfillEnvSchema,
} from './functions/get-backfill/route';
import {
  route as listBackfills,
  environmentFor as listBackfillsEnvironment,
  ListBackfillsEnvSchema as listBackfillsEnvSchema,
} from './functions/list-backfills/route';
import {
  route as startBackfill,
  environmentFor as startBackfillEnvironment,
  StartBackfillEnvSchema as startBackfillEnvSchema,
} from './functions/start-backfill/route';

/**
 * Backfills and re-analysis (docs/backfill.md): a run started, listed, read. Each route makes only the Step Functions
 * calls it needs; the bucket and sources are checked, not read.
 */
export const BACKFILL_ROOM = {
  routes: [
    {
      room: 'backfill',
      route: startBackfill,
      environmentFor: startBackfillEnvironment,
      envSchema: startBackfillEnvSchema,
      uses: [uses.backfill('start'), uses.backfill('check-overlap')],
    },
    {
      room: 'backfill',
      route: listBackfills,
      environmentFor: listBackfillsEnvironment,
      envSchema: listBackfillsEnvSchema,
      uses: [uses.backfill('list')],
    },
    {
      room: 'backfill',
      route: getBackfill,
      environmentFor: getBackfillEnvironment,
      envSchema: getBackfillEnvSchema,
      uses: [uses.backfill('describe'), uses.backfill('read-counts')],
    },
  ],
} satisfies RoomManifest;
