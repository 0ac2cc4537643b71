import { ALBUMS_ROOM } from '../albums/room';
import { BACKFILL_ROOM } from '../backfill/room';
import { DUPLICATES_ROOM } from '../duplicates/room';
import { IMAGES_ROOM } from '../images/room';
import { INGEST_ROOM } from '../ingest/room';
import { LIVE_ROOM } from '../live/room';
import { LOCKED_ROOM } from '../locked/room';
import { PARTNERS_ROOM } from '../partners/room';
import { PEOPLE_ROOM } from '../people/room';
import { PLACES_ROOM } from '../places/room';
import { POLICY_ROOM } from '../policy/room';
import { PROVENANCE_ROOM } from '../provenance/room';
import { RENDITIONS_ROOM } from '../renditions/room';
import { SEARCH_ROOM } from '../search/room';
import { STACKS_ROOM } from '../stacks/room';
import { TRASH_ROOM } from '../trash/room';
import { VISION_ROOM } from '../vision/room';
import { WEBHOOKS_ROOM } from '../webhooks/room';

/**
 * Every room that adds something to the deployment, each by its manifest (`lambdas/<room>/room.ts`): the registry's
 * one list. The routes, the functions, the tables, queues and schedules, the processor's steps and the trash's
 * cleanups are all read from it (routes.ts, manifest.ts, resources.ts, steps.ts, cleanups.ts); the routes are listed
 * in this order, but for those of FIRST_LISTED (routes.ts), and so are a phase's steps and the cleanups.
 */
export const ROOMS = [
  POLICY_ROOM,
  PLACES_ROOM,
  IMAGES_ROOM,
  TRASH_ROOM,
  SEARCH_ROOM,
  RENDITIONS_ROOM,
  BACKFILL_ROOM,
  INGEST_ROOM,
  VISION_ROOM,
  PEOPLE_ROOM,
  WEBHOOKS_ROOM,
  ALBUMS_ROOM,
  PROVENANCE_ROOM,
  LOCKED_ROOM,
  PARTNERS_ROOM,
  DUPLICATES_ROOM,
  STACKS_ROOM,
  LIVE_ROOM,
] as const;
