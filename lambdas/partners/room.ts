import { ALBUMS_TABLE } from '../albums/table-design';
import { SINK_USES } from '../events/wiring';
import type { RoomManifest } from '../kit/room';
import { uses } from '../kit/uses';
import { route as grantPartner } from './functions/grant-partner/route';
import { route as listPartners } from './functions/list-partners/route';
import { PartnersEnvSchema, partnersEnvironment } from './functions/partners-contract';
import { route as revokePartner } from './functions/revoke-partner/route';
import { PARTNERS_TABLE } from './table-design';

const TABLE = PARTNERS_TABLE.name;

/**
 * Partners (docs/api.md#partners): an owner shares their library, or some of it, with other owners of the
 * deployment. These routes manage the grants; a partner reads through `GET /images?partner=` and `GET /images/{id}`
 * (the images room's routes, which read the grant by key: partner-reads.ts).
 */
export const PARTNERS_ROOM: RoomManifest = {
  routes: [
    {
      room: 'partners',
      route: grantPartner,
      environmentFor: partnersEnvironment,
      envSchema: PartnersEnvSchema,
      // The albums named, by key; the grant read, then put with the grantor's count raised (a transaction) or put
      // over the earlier grant; both owners' events.
      uses: [
        uses.declaredItems(ALBUMS_TABLE.name, 'BatchGetItem'),
        uses.declaredItems(TABLE, 'GetItem', 'PutItem', 'UpdateItem'),
        ...SINK_USES,
      ],
    },
    {
      room: 'partners',
      route: listPartners,
      environmentFor: partnersEnvironment,
      envSchema: PartnersEnvSchema,
      // The grants made (the grantor's partition) and received (`byGrantee`).
      uses: [uses.declaredQuery(TABLE, 'table', 'byGrantee')],
    },
    {
      room: 'partners',
      route: revokePartner,
      environmentFor: partnersEnvironment,
      envSchema: PartnersEnvSchema,
      // One transaction: the grant deleted, the count lowered; both owners' events.
      uses: [uses.declaredItems(TABLE, 'DeleteItem', 'UpdateItem'), ...SINK_USES],
    },
  ],
  tables: [PARTNERS_TABLE],
};
