import type { ApiRouteFactory } from '../api/route';
import type { DeploymentSettings } from '../settings';
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
import { environmentFor as getPersonEnvironment } from './get-person/contract';
import { route as getPerson } from './get-person/route';
import { environmentFor as listBackfillsEnvironment } from './list-backfills/contract';
import { route as listBackfills } from './list-backfills/route';
import { environmentFor as listImagesEnvironment } from './list-images/contract';
import { route as listImages } from './list-images/route';
import { environmentFor as listPeopleEnvironment } from './list-people/contract';
import { route as listPeople } from './list-people/route';
import { environmentFor as mergePeopleEnvironment } from './merge-people/contract';
import { route as mergePeople } from './merge-people/route';
import { environmentFor as renamePersonEnvironment } from './rename-person/contract';
import { route as renamePerson } from './rename-person/route';
import { environmentFor as similarImagesEnvironment } from './similar-images/contract';
import { route as similarImages } from './similar-images/route';
import { environmentFor as startBackfillEnvironment } from './start-backfill/contract';
import { route as startBackfill } from './start-backfill/route';

/**
 * Every function of the API: its route, described in its `route.ts`, and the environment its contract gives it.
 * Everything the API is made of comes from this list: the OpenAPI document (`npm run openapi`, the runner's
 * `/openapi.json`), the API Gateway resources, methods and models (lib/constructs/upload-api.ts), each function
 * with its environment (lib/constructs/api-handlers.ts) and the local runner's routes and environment
 * (lambdas/local/); those of `PEOPLE_API_FUNCTIONS` are added with `faceGrouping` on (`apiFunctionsFor`). A unit
 * test fails while a `route.ts` is missing here.
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

/**
 * The people routes (docs/people.md): a deployment has them only with `faceGrouping` on, and has no people table
 * otherwise. Their environment needs the wiring's `peopleTableName`.
 */
export const PEOPLE_API_FUNCTIONS = [
  { route: listPeople, environmentFor: listPeopleEnvironment },
  { route: getPerson, environmentFor: getPersonEnvironment },
  { route: renamePerson, environmentFor: renamePersonEnvironment },
  { route: mergePeople, environmentFor: mergePeopleEnvironment },
] as const;

/** Every route of the API a deployment always has, in the order of `API_FUNCTIONS`. */
export const API_ROUTES: readonly ApiRouteFactory[] = API_FUNCTIONS.map(({ route }) => route);

/** Every route there is, the people routes included: for checks that each `route.ts` is listed. */
export const ALL_API_ROUTES: readonly ApiRouteFactory[] = [
  ...API_ROUTES,
  ...PEOPLE_API_FUNCTIONS.map(({ route }) => route),
];

/** The functions of a deployment with these settings: the people routes only with `faceGrouping` on. */
export function apiFunctionsFor(settings: Pick<DeploymentSettings, 'faceGrouping'>) {
  return settings.faceGrouping ? [...API_FUNCTIONS, ...PEOPLE_API_FUNCTIONS] : [...API_FUNCTIONS];
}

/** The routes of a deployment with these settings, in the order of `apiFunctionsFor`. */
export function apiRoutesFor(settings: Pick<DeploymentSettings, 'faceGrouping'>): readonly ApiRouteFactory[] {
  return apiFunctionsFor(settings).map(({ route }) => route);
}
