import type { ApiRouteFactory, RouteSettings } from '../api/route';
import type { ApiFunction } from '../kit/api-function';
import type { RoomManifest } from '../kit/room';
import { DEFAULT_SETTINGS, type DeploymentSettings } from '../settings';
import { withCleanups } from './cleanups';
import { ROOMS } from './rooms';

export type { ApiFunction } from '../kit/api-function';

/**
 * The routes listed by hand before the rooms declared their own, in that list's order: they stay first, and in it, so
 * the OpenAPI document (`npm run openapi`) and everything else made in route order keep their order. Names only: each
 * route is declared in its room (room.ts); a route not named here follows in ROOMS' order.
 */
const FIRST_LISTED = [
  'create-upload',
  'list-images',
  'get-image',
  'delete-image',
  'restore-image',
  'correct-place',
  'reset-place',
  'empty-trash',
  'list-places',
  'similar-images',
  'correct-labels',
  'reown-image',
  'create-rendition',
  'start-backfill',
  'list-backfills',
  'get-backfill',
];

type Room = (typeof ROOMS)[number];
/** A room's routes, typed entry by entry where its manifest is (wiring.ts reads their wiring from them). */
type RoutesOf<R> = R extends { routes: readonly (infer A)[] } ? A : never;
export type RoomRoute = RoutesOf<Room>;

const rank = (fn: ApiFunction) => {
  const at = FIRST_LISTED.indexOf(operationIdOf(fn));
  return at < 0 ? FIRST_LISTED.length : at;
};

/** In route order: FIRST_LISTED's, then the rest in ROOMS' order (a stable sort). */
function inRouteOrder<F extends ApiFunction>(fns: readonly F[]): F[] {
  return [...fns].sort((a, b) => rank(a) - rank(b));
}

/** The rooms' routes, those that run the cleanups with their variables, environment and uses (cleanups.ts). */
const routesOf = (rooms: readonly RoomManifest[]): RoomRoute[] =>
  rooms.flatMap((room) => room.routes ?? []).map(withCleanups) as RoomRoute[];

/**
 * Every function of the API: its route, described in its `route.ts`, the environment its contract gives it, and what
 * it uses of the deployment's resources (kit/uses.ts), each granted exactly that by the stack; each declared in its
 * room's manifest (room.ts). Everything the API is made of comes from these: the OpenAPI document (`npm run openapi`,
 * the runner's `/openapi.json`), the API Gateway resources, methods and models (lib/constructs/upload-api.ts), each
 * function with its environment and grants (lib/constructs/api-handlers.ts) and the local runner's routes and
 * environment (lambdas/local/); a room a setting turns on has its routes only with it (`apiFunctionsFor`).
 * A unit test fails while a `route.ts` is in no room's manifest.
 */
export const API_FUNCTIONS: readonly RoomRoute[] = inRouteOrder(routesOf(ROOMS.filter((room) => !whenOf(room))));

/** The routes of the rooms a setting turns on, whatever the settings. */
export const ROOM_API_FUNCTIONS: readonly RoomRoute[] = inRouteOrder(routesOf(ROOMS.filter((room) => whenOf(room))));

function whenOf(room: RoomManifest) {
  return room.when;
}

/** A route's operationId: its function's folder, which no setting changes. */
function operationIdOf(fn: ApiFunction): string {
  return fn.route(DEFAULT_SETTINGS).operationId;
}

/** Every route of the API a deployment always has (the policy routes too), in the order of `apiFunctionsFor`. */
export const API_ROUTES: readonly ApiRouteFactory[] = API_FUNCTIONS.map(({ route }) => route);

/** Every route there is, the people and webhook routes included (in the order of `apiFunctionsFor`, all on). */
export const ALL_API_ROUTES: readonly ApiRouteFactory[] = [
  ...API_ROUTES,
  ...ROOM_API_FUNCTIONS.map(({ route }) => route),
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
    // The rooms a setting turns on, after the rooms every deployment has.
    ...inRouteOrder(routesOf(ROOMS.filter((room: RoomManifest) => room.when?.(settings)))),
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
