import type { TableDeclaration } from '../settings/resources';

/**
 * How many partition key values each list index spreads its writes over (the design: 1,000 images a second).
 * - At least 8, so that no key value takes more than 1/8 of an index's writes. An image writes a list key value
 *   about twice (its PENDING put, then its final state; in `byStatusSharded` a status change deletes it from the
 *   PENDING key and inserts it under the new one), so at the design rate a key value takes about 2,000/N writes a
 *   second against the ~1,000 one partition can absorb: 250 with 8 shards, 125 with 16, leaving room for bursts
 *   and for the hash's unevenness.
 * - At most what one list page can afford: a page queries every shard in parallel (each query at least half a
 *   read unit, its latency that of the slowest of N): 16 is one round of parallel requests (the SDK's default
 *   pool has 50 sockets), where 64 would multiply the cost of a small page by 4 for headroom not needed.
 * Changing it moves new images to other key values while old ones keep theirs: a backfill (architecture.md).
 */
export const LIST_SHARDS = 16;

/** The partition key value of `byCreatedSharded` is `IMAGE#<n>`. */
export const IMAGE_ENTITY = 'IMAGE';

/**
 * What a list page shows of each image, besides its id: the attributes the list indexes project. Nothing else
 * is copied into them, so a write that changes nothing listed (the event flag, the analysis) costs no index write.
 */
export const LIST_ITEM_ATTRIBUTES = ['status', 'createdAt', 'updatedAt', 'filename', 'contentType', 'size'] as const;

/**
 * What the timeline index projects: a list page's attributes and when the photo was taken (`takenAt`, the EXIF
 * date the processor read, copied to the top of the record so the index can carry it: the date headers need it).
 */
export const TIMELINE_ITEM_ATTRIBUTES = [...LIST_ITEM_ATTRIBUTES, 'takenAt'] as const;

/**
 * The results table's key design, shared by the CDK construct, the store and the local runner so the three
 * cannot drift. Access patterns (an owner is a Cognito user's `sub`, an API client's name, or `local`):
 *
 * | pattern                                       | how                                                                    |
 * | --------------------------------------------- | ---------------------------------------------------------------------- |
 * | get one image by id                           | GetItem on `imageId`, then its `owner` must be the caller's            |
 * | an owner's images, newest first, paginated    | Query `byOwnerSharded` on every `<owner>#<n>`, `imageId` desc; merge   |
 * | an owner's images by status                   | Query `byOwnerStatusSharded` on every `<owner>#<STATUS>#<n>`; merge    |
 * | an owner's images by date taken, newest first | Query `byOwnerTakenSharded` on every `<owner>#<n>`, `takenKey` desc    |
 * | every image (admins), newest first            | Query `byCreatedSharded` on every `IMAGE#<n>`, `imageId` desc; merge   |
 * | every image by status (admins)                | Query `byStatusSharded` on every `<STATUS>#<n>`, `imageId` desc; merge |
 * | the owner's earlier images with the same bytes | Query `byOwnerSha256` (`<owner>#<sha256>`), oldest first              |
 *
 * Image ids are ULIDs, which sort by creation time, so the id itself is the "newest first" sort key.
 *
 * The list indexes are write-sharded: one partition key value takes about 1,000 writes a second, and since every
 * new image has the highest sort key of its partition, DynamoDB cannot relieve a hot list partition by splitting
 * it. Each image is listed under one of LIST_SHARDS key values instead, picked by a hash of its id, and a page
 * merges the newest of every shard (see image-list.ts). An owner's keys are sharded the same way, so one busy
 * owner (an API client uploading for a whole application) is no hotter a key than the whole deployment was, and
 * no owner shares a key with another. An image without an owner (stored before owners existed, or an object put
 * in the bucket without an upload URL) carries no owner keys: it is listed for admins only.
 *
 * The timeline (`byOwnerTakenSharded`) shares `ownerShard` as its partition key, so whatever takes an image out of
 * its owner's list (removing `ownerShard`, as the trash does) takes it out of the timeline too, and a re-own moves
 * both. Its sort key `takenKey` is `<date taken>#<imageId>` (timeline-key.ts): the date the photo was taken, else
 * the upload's `createdAt`, so a backfill of old photos lands in the years they were taken.
 */
export const TABLE_DESIGN = {
  partitionKey: 'imageId',
  /** Epoch seconds; set only on PENDING items (an upload URL that was never used expires with its item). */
  timeToLiveAttribute: 'expiresAt',
  // A migrating table lists the new indexes after the ones it had, so none ever changes places.
  indexes: {
    byCreatedSharded: {
      indexName: 'byCreatedSharded',
      partitionKey: 'listShard',
      sortKey: 'imageId',
      projection: 'INCLUDE',
      nonKeyAttributes: LIST_ITEM_ATTRIBUTES,
    },
    byStatusSharded: {
      indexName: 'byStatusSharded',
      partitionKey: 'statusShard',
      sortKey: 'imageId',
      projection: 'INCLUDE',
      nonKeyAttributes: LIST_ITEM_ATTRIBUTES,
    },
    byOwnerSha256: {
      indexName: 'byOwnerSha256',
      partitionKey: 'ownerSha256',
      sortKey: 'imageId',
      projection: 'KEYS_ONLY',
    },
    byOwnerSharded: {
      indexName: 'byOwnerSharded',
      partitionKey: 'ownerShard',
      sortKey: 'imageId',
      projection: 'INCLUDE',
      nonKeyAttributes: LIST_ITEM_ATTRIBUTES,
    },
    byOwnerStatusSharded: {
      indexName: 'byOwnerStatusSharded',
      partitionKey: 'ownerStatusShard',
      sortKey: 'imageId',
      projection: 'INCLUDE',
      nonKeyAttributes: LIST_ITEM_ATTRIBUTES,
    },
    byOwnerTakenSharded: {
      indexName: 'byOwnerTakenSharded',
      partitionKey: 'ownerShard',
      sortKey: 'takenKey',
      projection: 'INCLUDE',
      nonKeyAttributes: TIMELINE_ITEM_ATTRIBUTES,
    },
  },
  /**
   * Indexes of earlier versions. Nothing reads them; the table construct keeps them only while an existing
   * deployment migrates (CloudFormation adds or removes one index per update, see architecture.md).
   */
  retiredIndexes: {
    byCreated: { indexName: 'byCreated', partitionKey: 'entity', sortKey: 'imageId', projection: 'ALL' },
    byStatus: { indexName: 'byStatus', partitionKey: 'status', sortKey: 'imageId', projection: 'ALL' },
    /** Duplicates across every owner: replaced by `byOwnerSha256`, since an owner must not learn of another's. */
    bySha256: { indexName: 'bySha256', partitionKey: 'sha256', sortKey: 'imageId', projection: 'KEYS_ONLY' },
  },
} as const;

/** Every key attribute is a string. */
export const KEY_ATTRIBUTE_TYPE = 'S';

/** The results table: every image's record. */
export const RESULTS_TABLE: TableDeclaration = {
  name: 'images',
  ownConstruct: true,
  design: TABLE_DESIGN,
  wiring: (tableName) => ({ tableName }),
  output: { name: 'TableName', description: 'Image records' },
};
