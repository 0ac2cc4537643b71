/*
 * The events' names every subscriber knows beside their detail types (declared by the rooms, lambdas/<room>/events.ts):
 * their source and the form of their id. Plain data.
 */

/** The EventBridge `source` of every event this pipeline publishes. */
export const EVENT_SOURCE = 'image-intel';

/** What `eventIdOf` (event-details.ts) makes: `msg_`, the event's time, and 20 hex digits of its hash. */
export const EVENT_ID_PATTERN = /^msg_[0-9]{8}T[0-9]{9}Z_[0-9a-f]{20}$/;
