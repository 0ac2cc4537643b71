import { type RoomManifest, stepElsewhere } from '../kit/room';
import { uses } from '../kit/uses';
import { MEANING_CLEANUP, POSTINGS_CLEANUP } from './cleanup-contract';
import {
  route as similarImages,
  environmentFor as similarImagesEnvironment,
  SimilarImagesEnvSchema as similarImagesEnvSchema,
} from './functions/similar-images/route';
import { SEARCH_TABLE } from './postings-design';
import { DUPLICATES_STEP } from './steps/duplicates-contract';
import { EMBED_STEP, VECTOR_STEP } from './steps/embed-contract';
import { INDEX_STEP } from './steps/search-index-contract';

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
  // An exact copy found; with search by meaning on, the image embedded and its vector put in the index before the
  // record says it is there; the record's postings, from the terms `store` gave it.
  steps: [
    {
      declaration: DUPLICATES_STEP,
      runtime: process.env.IMAGE_INTEL_STEPS_ELSEWHERE
        ? stepElsewhere
        : () => (require('./steps/duplicates') as typeof import('./steps/duplicates')).duplicatesStep,
    },
    {
      declaration: EMBED_STEP,
      runtime: process.env.IMAGE_INTEL_STEPS_ELSEWHERE
        ? stepElsewhere
        : () => (require('./steps/embed') as typeof import('./steps/embed')).embedStep,
    },
    {
      declaration: VECTOR_STEP,
      runtime: process.env.IMAGE_INTEL_STEPS_ELSEWHERE
        ? stepElsewhere
        : () => (require('./steps/embed') as typeof import('./steps/embed')).vectorStep,
    },
    {
      declaration: INDEX_STEP,
      runtime: process.env.IMAGE_INTEL_STEPS_ELSEWHERE
        ? stepElsewhere
        : () => (require('./steps/search-index') as typeof import('./steps/search-index')).searchIndexStep,
    },
  ],
  cleanups: [
    {
      contract: POSTINGS_CLEANUP,
      runtime: () => (require('./cleanup') as typeof import('./cleanup')).POSTINGS_CLEANUP_MODULE,
    },
    {
      contract: MEANING_CLEANUP,
      runtime: () => (require('./cleanup') as typeof import('./cleanup')).MEANING_CLEANUP_MODULE,
    },
  ],
} satisfies RoomManifest;
