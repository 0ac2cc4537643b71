/**
 * The results table's key design, shared by the CDK construct, the store and the local runner so the three
 * cannot drift. Access patterns:
 *
 * | pattern                                   | how                                                        |
 * | ----------------------------------------- | ---------------------------------------------------------- |
 * | get one image by id                       | GetItem on `imageId`                                       |
 * | list all images, newest first, paginated  | Query `byCreated` (entity = IMAGE), sort key `imageId` desc |
 * | list by status, newest first, paginated   | Query `byStatus` (status = X), sort key `imageId` desc      |
 * | earlier images with the same bytes        | Query `bySha256` (sha256 = X), oldest first                |
 *
 * Image ids are ULIDs, which sort by creation time, so the id itself is the "newest first" sort key.
 */
export const TABLE_DESIGN = {
  partitionKey: 'imageId',
  /** Epoch seconds; set only on PENDING items (an upload URL that was never used expires with its item). */
  timeToLiveAttribute: 'expiresAt',
  indexes: {
    byCreated: { indexName: 'byCreated', partitionKey: 'entity', sortKey: 'imageId', projection: 'ALL' },
    byStatus: { indexName: 'byStatus', partitionKey: 'status', sortKey: 'imageId', projection: 'ALL' },
    bySha256: { indexName: 'bySha256', partitionKey: 'sha256', sortKey: 'imageId', projection: 'KEYS_ONLY' },
  },
} as const;

/** The constant partition of `byCreated`. */
export const IMAGE_ENTITY = 'IMAGE';

/** Every key attribute is a string. */
export const KEY_ATTRIBUTE_TYPE = 'S';

/** Redrive for the ingest queue: the processor also reads this to know a message's last attempt. */
export const INGEST_QUEUE_DESIGN = {
  maxReceiveCount: 5,
  dlqRetentionDays: 14,
  /** Visibility timeout = this many times the processor's timeout (AWS's guidance for SQS event sources). */
  visibilityTimeoutFactor: 6,
} as const;

/** The EventBridge `source` of every event this pipeline publishes. */
export const EVENT_SOURCE = 'image-intel';
