import type { RoomManifest } from '../kit/room';
import { uses } from '../kit/uses';
import {
  route as setLocked,
  environmentFor as setLockedEnvironment,
  SetLockedEnvSchema as setLockedEnvSchema,
} from './functions/set-locked/route';
import {
  route as setPin,
  environmentFor as setPinEnvironment,
  SetPinEnvSchema as setPinEnvSchema,
} from './functions/set-pin/route';
import {
  route as unlock,
  environmentFor as unlockEnvironment,
  UnlockEnvSchema as unlockEnvSchema,
} from './functions/unlock/route';
import { LOCKED_TABLE } from './table-design';

const TABLE = LOCKED_TABLE.name;

/**
 * The locked folder (docs/api.md "The locked folder"): a photo moved into it leaves every list and search, and is
 * listed and read only with an unlock token, which its owner's PIN opens. Its table keeps each owner's PIN.
 */
export const LOCKED_ROOM = {
  routes: [
    {
      room: 'locked',
      route: setLocked,
      environmentFor: setLockedEnvironment,
      envSchema: setLockedEnvSchema,
      // Read the record, a conditional update of `locked` and its list keys, then its postings out or back (the
      // cleanups of the occasion `trash`, as the trash's); `Image Updated`.
      uses: [uses.resultsItems('GetItem', 'UpdateItem'), uses.putEvents(), uses.webhookQueue()],
      cleansUp: ['trash'],
    },
    {
      room: 'locked',
      route: setPin,
      environmentFor: setPinEnvironment,
      envSchema: setPinEnvSchema,
      // The owner's item read; put (a first PIN) or updated (an attempt claimed, failures forgotten, a new PIN).
      uses: [uses.declaredItems(TABLE, 'GetItem', 'PutItem', 'UpdateItem')],
    },
    {
      room: 'locked',
      route: unlock,
      environmentFor: unlockEnvironment,
      envSchema: unlockEnvSchema,
      // The owner's item read, an attempt claimed and its failures forgotten; the token signed with the rendition keys.
      uses: [uses.declaredItems(TABLE, 'GetItem', 'UpdateItem'), uses.signRenditions()],
    },
  ],
  tables: [LOCKED_TABLE],
} satisfies RoomManifest;
