import type { RoomManifest } from '../manifest/room';

/** The places' routes that have a manifest of their own (GET /places and the corrections are in lambdas/manifest/routes.ts). */
export const PLACES_ROOM: RoomManifest = {
  routes: [],
};
