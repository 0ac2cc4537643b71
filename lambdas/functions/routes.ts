import type { ApiRouteFactory } from '../api/route';
import { environmentFor as correctLabelsEnvironment } from './correct-labels/contract';
import { route as correctLabels } from './correct-labels/route';
import { environmentFor as createRenditionEnvironment } from './create-rendition/contract';
import { route as createRendition } from './create-rendition/route';
import { environmentFor as createUploadEnvironment } from './create-upload/contract';
import { route as createUpload } from './create-upload/route';
import { environmentFor as deleteImageEnvironment } from './delete-image/contract';
import { route as deleteImage } from './delete-image/route';
import { environmentFor as getBackfillEnvironment } from './get-backfill/contract';
import { route as getBackfill } from './get-backfill/route';
import { environmentFor as getImageEnvironment } from './get-image/contract';
import { route as getImage } from './get-image/route';
import { environmentFor as listBackfillsEnvironment } from './list-backfills/contract';
import { route as listBackfills } from './list-backfills/route';
import { environmentFor as listImagesEnvironment } from './list-images/contract';
import { route as listImages } from './list-images/route';
import { environmentFor as similarImagesEnvironment } from './similar-images/contract';
import { route as similarImages } from './similar-images/route';
import { environmentFor as startBackfillEnvironment } from './start-backfill/contract';
import { route as startBackfill } from './start-backfill/route';

/**
 * Every function of the API: its route, described in its `route.ts`, and the environment its contract gives it.
 * Everything the API is made of comes from this list: the OpenAPI document (`npm run openapi`, the runner's
 * `/openapi.json`), the API Gateway resources, methods and models (lib/constructs/upload-api.ts), each function
 * with its environment (lib/constructs/api-handlers.ts) and the local runner's routes and environment
 * (lambdas/local/). A unit test fails while a `route.ts` is missing here.
 */
export const API_FUNCTIONS = [
  { route: createUpload, environmentFor: createUploadEnvironment },
  { route: listImages, environmentFor: listImagesEnvironment },
  { route: getImage, environmentFor: getImageEnvironment },
  { route: deleteImage, environmentFor: deleteImageEnvironment },
  { route: similarImages, environmentFor: similarImagesEnvironment },
  { route: correctLabels, environmentFor: correctLabelsEnvironment },
  { route: createRendition, environmentFor: createRenditionEnvironment },
  { route: startBackfill, environmentFor: startBackfillEnvironment },
  { route: listBackfills, environmentFor: listBackfillsEnvironment },
  { route: getBackfill, environmentFor: getBackfillEnvironment },
] as const;

/** Every route of the API, in the order of `API_FUNCTIONS`. */
export const API_ROUTES: readonly ApiRouteFactory[] = API_FUNCTIONS.map(({ route }) => route);
