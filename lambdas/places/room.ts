import { type RoomManifest, stepElsewhere } from '../kit/room';
import { uses } from '../kit/uses';
import { THUMBNAIL_PREFIX } from '../store/keys';
import {
  route as correctPlace,
  environmentFor as correctPlaceEnvironment,
  CorrectPlaceEnvSchema as correctPlaceEnvSchema,
} from './functions/correct-place/route';
import {
  route as listPlaces,
  environmentFor as listPlacesEnvironment,
  ListPlacesEnvSchema as listPlacesEnvSchema,
} from './functions/list-places/route';
import {
  route as resetPlace,
  environmentFor as resetPlaceEnvironment,
  ResetPlaceEnvSchema as resetPlaceEnvSchema,
} from './functions/reset-place/route';
import {
  SuggestPlacesEnvSchema,
  route as suggestPlaces,
  environmentFor as suggestPlacesEnvironment,
} from './functions/suggest-places/route';
import { PLACE_STEP } from './steps/place-contract';

/** The places' routes: an image's place corrected or reset, the owner's places, and the place names suggested. */
export const PLACES_ROOM = {
  routes: [
    {
      room: 'places',
      route: correctPlace,
      environmentFor: correctPlaceEnvironment,
      envSchema: correctPlaceEnvSchema,
      // As correcting labels: the record read, a conditional update of its place, its `place:` postings moved.
      uses: [uses.resultsItems('GetItem', 'UpdateItem'), uses.search('write'), uses.putEvents(), uses.webhookQueue()],
      bundledData: 'places',
    },
    {
      room: 'places',
      route: resetPlace,
      environmentFor: resetPlaceEnvironment,
      envSchema: resetPlaceEnvSchema,
      uses: [uses.resultsItems('GetItem', 'UpdateItem'), uses.search('write'), uses.putEvents(), uses.webhookQueue()],
      bundledData: 'places',
    },
    {
      room: 'places',
      route: listPlaces,
      environmentFor: listPlacesEnvironment,
      envSchema: listPlacesEnvSchema,
      // The owner's place counters: a Query per shard (search/place-counts.ts); the covers' positions, by key; their
      // thumbnails, by presigned GETs signed with its role; `partner=`, the grant by key (partners/grants.ts).
      uses: [
        uses.search('query'),
        uses.resultsItems('BatchGetItem'),
        uses.objects(THUMBNAIL_PREFIX, 's3:GetObject'),
        uses.declaredItems('partners', 'GetItem'),
      ],
    },
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
  // The place named from the photo's GPS, offline.
  steps: [
    {
      declaration: PLACE_STEP,
      runtime: process.env.IMAGE_INTEL_STEPS_ELSEWHERE
        ? stepElsewhere
        : () => (require('./steps/place') as typeof import('./steps/place')).placeStep,
    },
  ],
} satisfies RoomManifest;
