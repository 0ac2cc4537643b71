import { EVENT_CATALOGUE } from './catalogue';

/*
 * The events' names every subscriber knows: each event's `detail-type` (declared in catalogue.ts) and the form of
 * its id. Plain data, so a description (the webhooks' routes, which take event types and ids) names them without
 * loading the events' schemas and builders (events.ts).
 */

/** The EventBridge `source` of every event this pipeline publishes. */
export const EVENT_SOURCE = 'image-intel';

type Declared = (typeof EVENT_CATALOGUE)[number];

/** EventBridge `detail-type` of each event, by its key: from its declaration (catalogue.ts). */
export const DETAIL_TYPES = Object.fromEntries(
  EVENT_CATALOGUE.map((declared) => [declared.key, declared.detailType]),
) as { readonly [E in Declared as E['key']]: E['detailType'] };
export type DetailType = (typeof DETAIL_TYPES)[keyof typeof DETAIL_TYPES];

/** What `eventIdOf` (events.ts) makes: `msg_`, the event's time, and 20 hex digits of its hash. */
export const EVENT_ID_PATTERN = /^msg_[0-9]{8}T[0-9]{9}Z_[0-9a-f]{20}$/;
