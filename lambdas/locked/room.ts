import type { RoomManifest } from '../kit/room';
import { uses } from '../kit/uses';
import {
  route as getPin,
  environmentFor as getPinEnvironment,
  GetPinEnvSchema as getPinEnvSchema,
} from './functions/get-pin/route';
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
 * The locked folder (docs/api.md "The locked folder"): its owner's PIN and the unlock token it opens. A photo moved
 * into it (`PUT /images/{id}/locked`, the images room's: an owner's edit of the record) leaves every list and search,
 * and is listed and read only with the token (lock-check.ts). Its table keeps each owner's PIN.
 */
export const LOCKED_ROOM = {
  routes: [
    {
      room: 'locked',
      route: getPin,
      environmentFor: getPinEnvironment,
      envSchema: getPinEnvSchema,
      // The owner's item read: whether it exists.
      uses: [uses.declaredItems(TABLE, 'GetItem')],
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
