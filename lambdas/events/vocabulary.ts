/*
 * The events' names every subscriber knows: each event's `detail-type` and the form of its id. Plain data, so a
 * description (the webhooks' routes, which take event types and ids) names them without loading the events' schemas
 * and builders (events.ts).
 */

/** The EventBridge `source` of every event this pipeline publishes. */
export const EVENT_SOURCE = 'image-intel';

/** EventBridge `detail-type` of each event. */
export const DETAIL_TYPES = {
  processed: 'Image Processed',
  rejected: 'Image Rejected',
  failed: 'Image Failed',
  deleted: 'Image Deleted',
  labelsChanged: 'Image Labels Changed',
  placeChanged: 'Image Place Changed',
  updated: 'Image Updated',
  trashed: 'Image Trashed',
  restored: 'Image Restored',
  webhookDisabled: 'Webhook Endpoint Disabled',
  shareCreated: 'Share Created',
  shareRevoked: 'Share Revoked',
} as const;
export type DetailType = (typeof DETAIL_TYPES)[keyof typeof DETAIL_TYPES];

/** What `eventIdOf` (events.ts) makes: `msg_`, the event's time, and 20 hex digits of its hash. */
export const EVENT_ID_PATTERN = /^msg_[0-9]{8}T[0-9]{9}Z_[0-9a-f]{20}$/;
