import { z } from 'zod';
import { ALBUMS_TABLE, type AlbumsWiring, albumsTableOf } from '../albums/table-design';
import { ApiEnvSchema, type ApiWiring, apiEnvironment } from '../api/env';
import { SINK_USES, SinkEnvShape, type SinkWiring, sinkEnvironment } from '../events/wiring';
import { type Use, uses } from '../kit/uses';
import type { PeopleWiring } from '../people/wiring';
import type { DeploymentSettings } from '../settings';
import { type FunctionEnvironment, setting } from '../settings/env';

/*
 * What resolving a cluster of duplicates reads and does (carry-over.ts), for the route that runs it: its variables,
 * its environment and its uses. Its route entry adds `cleansUp: ['trash']` (the rooms' parts of a move to the trash:
 * their variables and uses come with them) and `bundledData: 'places'` (a carried place is named from the data).
 */

/** At most this many photos (kept and trashed together) in one resolve: each is read, and each copy trashed. */
export const MAX_RESOLVED_IMAGES = 100;

/** Every variable the carry-over reads: an edit route's, the albums table and the trash's days. */
export const CarryOverEnvSchema = ApiEnvSchema.extend({
  /** The search index table: the kept photo's postings follow its tags, favourite and place. */
  SEARCH_TABLE_NAME: z.string().min(1),
  /** The albums table (lambdas/albums/table-design.ts): the copies' albums, which the kept photo joins. */
  ALBUMS_TABLE: z.string().min(1),
  /** Days a trashed copy stays in the trash; 0 (no trash) refuses a resolve. */
  TRASH_DAYS: setting('trashDays'),
  /** The people table, with face grouping on: the owner's word on the copies' faces is carried (none: it is not). */
  PEOPLE_TABLE: z.string().min(1).optional(),
  /** The Rekognition face collection, with face grouping on `inference=rekognition`: a face taken out leaves it. */
  FACE_COLLECTION_ID: z.string().min(1).optional(),
  ...SinkEnvShape,
});
export type CarryOverEnv = z.output<typeof CarryOverEnvSchema>;

export interface CarryOverWiring extends ApiWiring, SinkWiring {
  readonly searchTableName: string;
  readonly albums?: AlbumsWiring;
  /** The people table, with `faceGrouping` on. */
  readonly people?: PeopleWiring;
  readonly settings: ApiWiring['settings'] & Pick<DeploymentSettings, 'trashDays'>;
}

/** The environment the stack and the local runner give the resolve route (with its own table's, if it reads one). */
export function carryOverEnvironment(wiring: CarryOverWiring): FunctionEnvironment {
  return {
    ...apiEnvironment(wiring),
    SEARCH_TABLE_NAME: wiring.searchTableName,
    ALBUMS_TABLE: albumsTableOf(wiring),
    TRASH_DAYS: String(wiring.settings.trashDays),
    ...(wiring.people && { PEOPLE_TABLE: wiring.people.tableName }),
    ...(wiring.people?.faceCollectionId && { FACE_COLLECTION_ID: wiring.people.faceCollectionId }),
    ...sinkEnvironment(wiring),
  };
}

/**
 * What the carry-over does with the deployment's resources (the trash's cleanups add theirs: `cleansUp`):
 * - the photos' records read by key; the kept one's edit and place written conditionally (UpdateItem), each copy
 *   moved to the trash (UpdateItem: store/image-trash.ts);
 * - the kept photo's postings (tags, favourite, place, with the place counters' transaction);
 * - `Image Updated`, `Image Place Changed`, `Image Trashed` to each sink;
 * - the albums table: each copy's albums (`byImageAlbums`), those albums by key (BatchGetItem), whether the kept photo
 *   is a member (BatchGetItem), whether its owner contributes to another's (GetItem), and a member put with its
 *   album's count raised (one transaction: PutItem, UpdateItem);
 * - with face grouping on, the people table as the face corrections use it (carry-people.ts): each photo's faces
 *   (Query), the people they name (GetItem), a kept face given to a person or drawn (face-assignment.ts: GetItem,
 *   Query, one transaction of PutItem, UpdateItem, DeleteItem) or taken out of one (`correct-faces`: with
 *   Rekognition, its vector leaves the collection).
 */
export const CARRY_OVER_USES: readonly Use[] = [
  uses.resultsItems('GetItem', 'UpdateItem'),
  uses.search('write'),
  ...SINK_USES,
  uses.declaredQuery(ALBUMS_TABLE.name, 'byImageAlbums'),
  uses.declaredItems(ALBUMS_TABLE.name, 'GetItem', 'BatchGetItem', 'PutItem', 'UpdateItem'),
  uses.people('correct-faces'),
  uses.peopleItems('GetItem', 'Query', 'UpdateItem', 'DeleteItem', 'PutItem'),
];
