import type { RoomManifest } from '../kit/room';
import {
  SuggestPlacesEnvSchema,
  route as suggestPlaces,
  environmentFor as suggestPlacesEnvironment,
} from './functions/suggest-places/route';

/** The places' routes that have a manifest of their own (GET /places and the corrections are in lambdas/manifest/routes.ts). */
export const PLACES_ROOM: RoomManifest = {
  routes: [
    {
      room: 'places',
      route: suggestPlaces,
      environmentFor: suggestPlacesEnvironment,
      envSchema: SuggestPlacesEnvSchema,
      // Nothing but the places data beside its bundle: no table, no one's photos.
      uses: [],
      bundledData: 'places',
    },
  ],
};
