import type { ApiRouteFactory } from '../api/route';
import { route as correctLabels } from './correct-labels/route';
import { route as createRendition } from './create-rendition/route';
import { route as createUpload } from './create-upload/route';
import { route as deleteImage } from './delete-image/route';
import { route as getImage } from './get-image/route';
import { route as listImages } from './list-images/route';
import { route as similarImages } from './similar-images/route';

/**
 * Every route of the API, each described in its function's `route.ts`: the OpenAPI document (`npm run openapi`,
 * the runner's `/openapi.json`) is made from this list. A unit test fails while a `route.ts` is missing here.
 */
export const API_ROUTES: readonly ApiRouteFactory[] = [
  createUpload,
  listImages,
  getImage,
  deleteImage,
  similarImages,
  correctLabels,
  createRendition,
];
