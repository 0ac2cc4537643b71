import { DUPLICATES_EVENTS } from '../duplicates/events';
import type { EventDeclaration, EventOf, EventWords } from '../events/declare';
import { IMAGES_EVENTS } from '../images/events';
import { INGEST_EVENTS } from '../ingest/events';
import { PARTNERS_EVENTS } from '../partners/events';
import { PLACES_EVENTS } from '../places/events';
import { SHARES_EVENTS } from '../shares/events';
import { TRASH_EVENTS } from '../trash/events';
import { WEBHOOKS_EVENTS } from '../webhooks/events';

/*
 * Every event type the pipeline publishes, gathered from the rooms that declare them (lambdas/<room>/events.ts): the
 * catalogue (docs/events.md's table, `npm run docs:events`; the web app's webhook form, whose words the build writes in
 * as data, web/vite.config.ts), the detail types, the details' schemas (and the committed JSON Schemas made from them,
 * test/unit/events/json-schemas.test.ts) and the union of every event. A room's events are read from its declarations
 * here and not from its manifest (room.ts): the webhooks' routes take every event type, and room.ts reads the routes.
 * Rooms in ROOMS' order (rooms.ts), then the share links' (their routes are the albums'); a test keeps every
 * lambdas/<room>/events.ts listed.
 */
const ROOM_EVENTS = [
  PLACES_EVENTS,
  IMAGES_EVENTS,
  TRASH_EVENTS,
  INGEST_EVENTS,
  WEBHOOKS_EVENTS,
  SHARES_EVENTS,
  PARTNERS_EVENTS,
  DUPLICATES_EVENTS,
] as const;

/** Every declaration, typed one by one. */
type Declared = (typeof ROOM_EVENTS)[number] extends infer R ? (R extends unknown ? R[keyof R] : never) : never;

const DECLARED: readonly Declared[] = ROOM_EVENTS.flatMap((room): Declared[] => Object.values(room));

/** Every event type with its words, in the catalogue's order (`order`): the webhooks' API's and the docs'. */
export const EVENT_CATALOGUE: readonly (Declared & EventWords)[] = [...DECLARED].sort((a, b) => a.order - b.order);

/** EventBridge `detail-type` of each event, by its key. */
export const DETAIL_TYPES = Object.fromEntries(EVENT_CATALOGUE.map(({ key, detailType }) => [key, detailType])) as {
  readonly [D in Declared as D['key']]: D['detailType'];
};
export type DetailType = Declared['detailType'];

/** Every detail type, in the catalogue's order. */
export const EVENT_TYPES = EVENT_CATALOGUE.map(({ detailType }) => detailType) as [DetailType, ...DetailType[]];

/** Each detail type's schema. */
export const DETAIL_SCHEMAS = Object.fromEntries(
  EVENT_CATALOGUE.map(({ detailType, detail }) => [detailType, detail]),
) as { readonly [D in Declared as D['detailType']]: D['detail'] } satisfies Record<
  DetailType,
  EventDeclaration['detail']
>;

/** Any event the pipeline publishes: its type, and its detail as that type's schema gives it. */
export type ImageEvent = EventOf<Declared>;
