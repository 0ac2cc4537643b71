import type { RoomManifest } from '../kit/room';
import { uses } from '../kit/uses';
import {
  route as similarImages,
  environmentFor as similarImagesEnvironment,
  SimilarImagesEnvSchema as similarImagesEnvSchema,
} from './functions/similar-images/route';
import { SEARCH_TABLE } from './postings-design';

/** The search index's table (its postings), and the images like one. */
export const SEARCH_ROOM = {
  routes: [
    {
      room: 'search',
      route: similarImages,
      environmentFor: similarImagesEnvironment,
      envSchema: similarImagesEnvSchema,
      // The image's own record (owner, hash), then the postings of its hash bands.
      uses: [uses.resultsItems('GetItem'), uses.search('query')],
    },
  ],
  tables: [SEARCH_TABLE],
} satisfies RoomManifest;
