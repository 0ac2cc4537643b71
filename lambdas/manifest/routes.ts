import type { ApiRouteFactory, RouteSettings } from '../api/route';
import {
  route as getBackfill,
  environmentFor as getBackfillEnvironment,
  GetBackfillEnvSchema as getBackfillEnvSchema,
} from '../backfill/functions/get-backfill/route';
import {
  route as listBackfills,
  environmentFor as listBackfillsEnvironment,
  ListBackfillsEnvSchema as listBackfillsEnvSchema,
} from '../backfill/functions/list-backfills/route';
import {
  route as startBackfill,
  environmentFor as startBackfillEnvironment,
  StartBackfillEnvSchema as startBackfillEnvSchema,
} from '../backfill/functions/start-backfill/route';
import { cleanupUses } from '../cleanups/contract';
import {
  route as correctLabels,
  environmentFor as correctLabelsEnvironment,
  CorrectLabelsEnvSchema as correctLabelsEnvSchema,
} from '../images/functions/correct-labels/route';
import {
  route as createUpload,
  environmentFor as createUploadEnvironment,
  CreateUploadEnvSchema as createUploadEnvSchema,
} from '../images/functions/create-upload/route';
import {
  route as getImage,
  environmentFor as getImageEnvironment,
  GetImageEnvSchema as getImageEnvSchema,
} from '../images/functions/get-image/route';
import {
  route as listImages,
  environmentFor as listImagesEnvironment,
  ListImagesEnvSchema as listImagesEnvSchema,
} from '../images/functions/list-images/route';
import {
  route as reownImage,
  environmentFor as reownImageEnvironment,
  ReownImageEnvSchema as reownImageEnvSchema,
} from '../images/functions/reown-image/route';
import type { ApiFunction } from '../kit/api-function';
import { uses } from '../kit/uses';
import {
  route as correctPlace,
  environmentFor as correctPlaceEnvironment,
  CorrectPlaceEnvSchema as correctPlaceEnvSchema,
} from '../places/functions/correct-place/route';
import {
  route as listPlaces,
  environmentFor as listPlacesEnvironment,
  ListPlacesEnvSchema as listPlacesEnvSchema,
} from '../places/functions/list-places/route';
import {
  route as resetPlace,
  environmentFor as resetPlaceEnvironment,
  ResetPlaceEnvSchema as resetPlaceEnvSchema,
} from '../places/functions/reset-place/route';
import {
  route as createRendition,
  environmentFor as createRenditionEnvironment,
  CreateRenditionEnvSchema as createRenditionEnvSchema,
} from '../renditions/functions/create-rendition/route';
import {
  route as similarImages,
  environmentFor as similarImagesEnvironment,
  SimilarImagesEnvSchema as similarImagesEnvSchema,
} from '../search/functions/similar-images/route';
import type { DeploymentSettings } from '../settings';
import { THUMBNAIL_PREFIX, UPLOAD_PREFIX } from '../store/keys';
import {
  route as deleteImage,
  environmentFor as deleteImageEnvironment,
  DeleteImageEnvSchema as deleteImageEnvSchema,
} from '../trash/functions/delete-image/route';
import {
  route as emptyTrash,
  environmentFor as emptyTrashEnvironment,
  EmptyTrashEnvSchema as emptyTrashEnvSchema,
} from '../trash/functions/empty-trash/route';
import { TRASH_QUEUE } from '../trash/functions/purge-trash/contract';
import {
  route as restoreImage,
  environmentFor as restoreImageEnvironment,
  RestoreImageEnvSchema as restoreImageEnvSchema,
} from '../trash/functions/restore-image/route';
import { ROOMS } from './rooms';

export type { ApiFunction } from '../kit/api-function';

/**
 * Every function of the API: its route, described in its `route.ts`, the environment its contract gives it, and what
 * it uses of the deployment's resources (uses.ts), each granted exactly that by the stack. Everything the API is made
 * of comes from this list: the OpenAPI document (`npm run openapi`, the runner's `/openapi.json`), the API Gateway
 * resources, methods and models (lib/constructs/upload-api.ts), each function with its environment and grants
 * (lib/constructs/api-handlers.ts) and the local runner's routes and environment (lambdas/local/); the rooms with a
 * manifest of their own (rooms.ts) add theirs, those a setting turns on only with it (`apiFunctionsFor`). A unit test
 * fails while a `route.ts` is missing here or there.
 */
export const API_FUNCTIONS = [
  {
    room: 'images',
    route: createUpload,
    environmentFor: createUploadEnvironment,
    envSchema: createUploadEnvSchema,
    // The presigned POST is signed with this role, so the role must be allowed the upload it signs.
    // With `sha256`: the caller's image with those bytes, from the keys-only index, before anything is stored.
    uses: [
      uses.resultsItems('PutItem'),
      uses.resultsQuery('byOwnerSha256'),
      uses.objects(UPLOAD_PREFIX, 's3:PutObject'),
    ],
  },
  {
    room: 'images',
    route: listImages,
    environmentFor: listImagesEnvironment,
    envSchema: listImagesEnvSchema,
    uses: [
      // Every owner's images for admins; one owner's for everyone else.
      // `sort=taken`: one owner's timeline, by date taken (byOwnerTakenSharded).
      uses.resultsQuery(
        'byCreatedSharded',
        'byStatusSharded',
        'byOwnerSharded',
        'byOwnerStatusSharded',
        'byOwnerTakenSharded',
      ),
      // A plain page's details: its final images' records, by key.
      uses.resultsItems('BatchGetItem'),
      // Filtered lists read the search index's postings.
      uses.search('query'),
      // A page links to its images' thumbnails: the presigned GETs are signed with this role.
      uses.objects(THUMBNAIL_PREFIX, 's3:GetObject'),
      // With faceGrouping, `person=` reads the person (and the people merged into it); a word of `q=` reads the
      // people filed under its prefix (people/person-names.ts), then each of them.
      uses.people('read'),
      uses.peopleItems('Query'),
      // With searchByMeaning, a `q=` search embeds its text and queries the vector index.
      uses.meaning('query'),
    ],
  },
  {
    room: 'images',
    route: getImage,
    environmentFor: getImageEnvironment,
    envSchema: getImageEnvSchema,
    uses: [
      uses.resultsItems('GetItem'),
      uses.objects(UPLOAD_PREFIX, 's3:GetObject'),
      uses.objects(THUMBNAIL_PREFIX, 's3:GetObject'),
      // A PROCESSED image's answer has a signed rendition URL per preset.
      uses.signRenditions(),
      // With faceGrouping, the answer names the people of the image's faces.
      uses.people('read'),
      // A backfilled image's detail links to its original, where it stays: in its source bucket.
      uses.backfill('source-reads'),
    ],
  },
  {
    room: 'trash',
    route: deleteImage,
    environmentFor: deleteImageEnvironment,
    envSchema: deleteImageEnvSchema,
    uses: [
      // UpdateItem: a move to the trash (store/image-trash.ts); DeleteItem: a delete for good.
      uses.resultsItems('GetItem', 'UpdateItem', 'DeleteItem'),
      uses.objects(UPLOAD_PREFIX, 's3:DeleteObject'),
      uses.objects(THUMBNAIL_PREFIX, 's3:DeleteObject'),
      uses.putEvents(),
      // Each room's part of a delete for good and of a move to the trash: what its cleanup says it uses (its
      // renditions, postings, vector, faces, albums: lambdas/cleanups/contract.ts).
      ...cleanupUses('purge', 'trash'),
      // With webhooks on, its event also goes to the webhooks' queue.
      uses.webhookQueue(),
    ],
  },
  {
    room: 'trash',
    route: restoreImage,
    environmentFor: restoreImageEnvironment,
    envSchema: restoreImageEnvSchema,
    // Read the record, a conditional update of its status and list keys, then its postings back (the cleanups of
    // the occasion `trash`: lambdas/cleanups/contract.ts).
    uses: [uses.resultsItems('GetItem', 'UpdateItem'), ...cleanupUses('trash'), uses.putEvents(), uses.webhookQueue()],
  },
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
    room: 'trash',
    route: emptyTrash,
    environmentFor: emptyTrashEnvironment,
    envSchema: emptyTrashEnvSchema,
    // One message per shard of the caller's trash: the purge function reads and deletes.
    uses: [uses.declaredSend(TRASH_QUEUE.name)],
  },
  {
    room: 'places',
    route: listPlaces,
    environmentFor: listPlacesEnvironment,
    envSchema: listPlacesEnvSchema,
    // The owner's place counters: a Query per shard (search/place-counts.ts); the covers' positions, by key; their
    // thumbnails, by presigned GETs signed with its role.
    uses: [uses.search('query'), uses.resultsItems('BatchGetItem'), uses.objects(THUMBNAIL_PREFIX, 's3:GetObject')],
  },
  {
    room: 'search',
    route: similarImages,
    environmentFor: similarImagesEnvironment,
    envSchema: similarImagesEnvSchema,
    // The image's own record (owner, hash), then the postings of its hash bands.
    uses: [uses.resultsItems('GetItem'), uses.search('query')],
  },
  {
    room: 'images',
    route: correctLabels,
    environmentFor: correctLabelsEnvironment,
    envSchema: correctLabelsEnvSchema,
    // Read the record, then a conditional update of its labels; the label postings follow in batches.
    uses: [uses.resultsItems('GetItem', 'UpdateItem'), uses.search('write'), uses.putEvents(), uses.webhookQueue()],
  },
  {
    room: 'images',
    route: reownImage,
    environmentFor: reownImageEnvironment,
    envSchema: reownImageEnvSchema,
    // The record read, then one message to the processor, which moves everything keyed by the owner.
    uses: [uses.resultsItems('GetItem'), uses.ingestQueue()],
  },
  {
    room: 'renditions',
    route: createRendition,
    environmentFor: createRenditionEnvironment,
    envSchema: createRenditionEnvSchema,
    // The record (owner, status, size), the caller's per-minute counter and the image's custom specs
    // (store/rendition-quota.ts: both UpdateItem), then a URL signed with the current key.
    uses: [uses.resultsItems('GetItem', 'UpdateItem'), uses.signRenditions()],
  },
  // Each backfill route only the Step Functions calls it makes; the bucket and sources are checked, not read.
  {
    room: 'backfill',
    route: startBackfill,
    environmentFor: startBackfillEnvironment,
    envSchema: startBackfillEnvSchema,
    uses: [uses.backfill('start'), uses.backfill('check-overlap')],
  },
  {
    room: 'backfill',
    route: listBackfills,
    environmentFor: listBackfillsEnvironment,
    envSchema: listBackfillsEnvSchema,
    uses: [uses.backfill('list')],
  },
  {
    room: 'backfill',
    route: getBackfill,
    environmentFor: getBackfillEnvironment,
    envSchema: getBackfillEnvSchema,
    uses: [uses.backfill('describe'), uses.backfill('read-counts')],
  },
] as const satisfies readonly ApiFunction[];

/** The routes of the rooms that list theirs in a room manifest (rooms.ts), in ROOMS' order, whatever the settings. */
export const ROOM_API_FUNCTIONS: readonly ApiFunction[] = ROOMS.flatMap((room) => room.routes ?? []);

/** Every route of the API a deployment always has (the policy routes too), in the order of `apiFunctionsFor`. */
export const API_ROUTES: readonly ApiRouteFactory[] = [
  ...API_FUNCTIONS,
  ...ROOMS.flatMap((room) => (room.when ? [] : (room.routes ?? []))),
].map(({ route }) => route);

/** Every route there is, the people and webhook routes included (in the order of `apiFunctionsFor`, all on). */
export const ALL_API_ROUTES: readonly ApiRouteFactory[] = [
  ...API_ROUTES,
  ...ROOMS.flatMap((room) => (room.when ? (room.routes ?? []) : [])).map(({ route }) => route),
];

/** The settings that decide which routes a deployment has. */
export type RouteChoices = Pick<DeploymentSettings, 'faceGrouping' | 'webhooks'>;

/**
 * The functions of a deployment with these settings: the people routes only with `faceGrouping` on, the webhook
 * routes only with `webhooks` on.
 */
export function apiFunctionsFor(settings: RouteChoices) {
  return [
    ...API_FUNCTIONS,
    ...ROOMS.flatMap((room) => (room.when ? [] : (room.routes ?? []))),
    // The rooms a setting turns on, after the rooms every deployment has.
    ...ROOMS.flatMap((room) => (room.when?.(settings) ? (room.routes ?? []) : [])),
  ];
}

/** The routes of a deployment with these settings, in the order of `apiFunctionsFor`. */
export function apiRoutesFor(settings: RouteChoices): readonly ApiRouteFactory[] {
  return apiFunctionsFor(settings).map(({ route }) => route);
}

/** An API function's handler module, relative to lambdas/ and without its extension: what the stack and runner load. */
export function handlerModule({ room, route }: Pick<ApiFunction, 'room' | 'route'>, settings: RouteSettings): string {
  return `${room}/functions/${route(settings).operationId}/handler`;
}
