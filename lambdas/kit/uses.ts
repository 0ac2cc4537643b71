import type { TABLE_DESIGN } from '../store/table-design';

/**
 * What a function does with the deployment's resources, declared beside it in its room's manifest (room.ts): the stack
 * grants each use exactly (lib/constructs/grant-uses.ts), nothing more, and the permission tests compare those
 * grants with the calls the functions make. Plain data, so the runtime, the runner and the docs can read it too.
 */
export type Use =
  /** Item actions on the results table itself (not its indexes). */
  | { resource: 'results'; kind: 'results-items'; actions: readonly ResultsItemAction[] }
  /** `Query` on the results table's named indexes, by their exact ARNs. */
  | { resource: 'results'; kind: 'results-query'; indexes: readonly ResultsIndexName[] }
  /** Exact object actions on the images bucket's keys under one prefix. */
  | { resource: 'storage'; kind: 'objects'; prefix: string; actions: readonly ObjectAction[] }
  /** `s3:ListBucket` on the images bucket, for keys under these prefixes only. */
  | { resource: 'storage'; kind: 'list'; prefixes: readonly string[] }
  /** `events:PutEvents` on the pipeline's bus. */
  | { resource: 'bus'; kind: 'put-events' }
  /** Reading the rendition signing keys (GetSecretValue), to sign or verify rendition URLs. */
  | { resource: 'renditions'; kind: 'sign-renditions' }
  /** Rotating the rendition signing keys: the secret read, a new version put and its stages moved. */
  | { resource: 'renditions'; kind: 'rotate-signing-keys' }
  /**
   * The vision backend: invoking the offline models' function (its ARN alone), or Rekognition's Detect APIs (which
   * have no resource); nothing with inference none.
   */
  | { resource: 'vision'; kind: 'vision' }
  /** The people table, with face grouping on (a deployment without it has no people, and the use grants nothing). */
  | { resource: 'people'; kind: 'people'; access: PeopleAccess }
  /** The backfill state machine's runs and counters. */
  | { resource: 'backfill'; kind: 'backfill'; access: BackfillAccess }
  /** With `searchByMeaning` on, the vector index and its model (without it the use grants nothing). */
  | { resource: 'meaning'; kind: 'meaning'; access: MeaningAccess }
  /** `sqs:SendMessage` to the ingest queue: one image sent to the processor again (a re-own). */
  | { resource: 'ingest'; kind: 'ingest-queue' }
  /**
   * A table a room declared (its room.ts) that the stack makes with its generic construct
   * (lib/constructs/declared.ts), by the declaration's name: these item actions on the table itself.
   */
  | { resource: string; kind: 'declared-items'; actions: readonly DeclaredItemAction[] }
  /** `Query` on such a table itself (`table`) or on its named indexes. */
  | { resource: string; kind: 'declared-query'; on: readonly string[] }
  /** `sqs:SendMessage` to a queue a room declared, by the declaration's name. */
  | { resource: string; kind: 'declared-send' };

/** The resources uses name: each is one construct of the stack, which grants its own uses (lib/constructs/). */
export type UsedResource = Use['resource'];

/** The uses of one resource: what its construct's `grantUse` takes. */
export type UseOf<R extends UsedResource> = Extract<Use, { resource: R }>;

/** The uses of a declared table or queue (any name): what the generic construct grants. */
export type DeclaredUse = Extract<Use, { kind: 'declared-items' | 'declared-query' | 'declared-send' }>;

/** The item-level actions the handlers use on the results table; nothing here can scan, batch-write or alter it. */
export type ResultsItemAction = 'GetItem' | 'BatchGetItem' | 'PutItem' | 'UpdateItem' | 'DeleteItem';
export type ResultsIndexName = keyof typeof TABLE_DESIGN.indexes;
export type ObjectAction =
  | 's3:GetObject'
  | 's3:PutObject'
  | 's3:DeleteObject'
  | 's3:ListMultipartUploadParts'
  | 's3:AbortMultipartUpload';
/** Create and delete are transactions, authorized as each of their items' actions (Put, Update, Delete). */
export type WebhookItemAction = 'GetItem' | 'PutItem' | 'UpdateItem' | 'DeleteItem';
/**
 * What a use of a declared table may do to its items: never a scan or a change of the table. A batch write only
 * where a page of items goes at once (a deleted album's members).
 */
export type DeclaredItemAction =
  | 'GetItem'
  | 'BatchGetItem'
  | 'BatchWriteItem'
  | 'PutItem'
  | 'UpdateItem'
  | 'DeleteItem';
export type PeopleItemAction = 'GetItem' | 'BatchGetItem' | 'Query' | 'PutItem' | 'UpdateItem' | 'DeleteItem';

/**
 * - `group-faces`: the processor's grouping (grouping.ts): faces and people read, put and updated, an image's faces
 *   removed before a regroup; with Rekognition, its faces indexed, searched and deleted in the collection;
 * - `read`: a person by key (`GET /images`'s `person=`, the people named on an image);
 * - `listing`: `Query` on the owners' people index (`GET /people`);
 * - `remove-image`: an image's faces, their people and (Rekognition) their vectors removed;
 * - `correct-faces`: faces taken out of a person ("not this person"): as `remove-image`, and the correction put;
 * - `suggest`: merge suggestions (read only): the people listing, people and faces by key, the face index's buckets
 *   queried (offline) or searched (Rekognition: SearchFaces, and BatchGetItem of the refs of its matches);
 * - `items`: these item actions on the table.
 */
export type PeopleAccess =
  | 'group-faces'
  | 'read'
  | 'listing'
  | 'remove-image'
  | 'correct-faces'
  | 'suggest'
  | { items: readonly PeopleItemAction[] };

/**
 * - `start`: StartExecution of the backfill state machine;
 * - `list`: its runs (ListExecutions);
 * - `check-overlap`: what a new run is checked against (runs, their inputs and counters) and the bucket's lease;
 * - `describe`: a run and its map runs;
 * - `read-counts`: a run's counters, and no image's item;
 * - `source-reads`: the objects of the `sourceBuckets` a backfill may bring in, which stay where they are (GetObject,
 *   and ListBucket so that one deleted before it is read is a 404).
 */
export type BackfillAccess = 'start' | 'list' | 'check-overlap' | 'describe' | 'read-counts' | 'source-reads';

/**
 * - `embed-images`: the processor's: the model invoked for each image, its vector put (an earlier one deleted);
 * - `query`: `GET /images`'s: the model invoked for a query's text, the index queried;
 * - `remove`: `DELETE /images/{id}`'s: the image's vector deleted;
 * - `lookalikes`: the processor's near-duplicates: the current index queried with an image's own vector (no model).
 */
export type MeaningAccess = 'embed-images' | 'query' | 'remove' | 'lookalikes';

/** The uses, made readable in the manifest: `uses.objects(UPLOAD_PREFIX, 's3:GetObject')`. */
export const uses = {
  resultsItems: (...actions: ResultsItemAction[]): Use => ({ resource: 'results', kind: 'results-items', actions }),
  resultsQuery: (...indexes: ResultsIndexName[]): Use => ({ resource: 'results', kind: 'results-query', indexes }),
  /**
   * The search index's postings (lambdas/search/postings-design.ts): queried on the table's own key, or written:
   * postings put and deleted in batches (search/index-table.ts), and a place path's posting with its counter in a
   * transaction of Put, Delete and Update (search/place-counts.ts).
   */
  search: (access: 'query' | 'write'): Use =>
    access === 'query'
      ? { resource: 'search', kind: 'declared-query', on: ['table'] }
      : {
          resource: 'search',
          kind: 'declared-items',
          actions: ['BatchWriteItem', 'PutItem', 'DeleteItem', 'UpdateItem'],
        },
  objects: (prefix: string, ...actions: ObjectAction[]): Use => ({
    resource: 'storage',
    kind: 'objects',
    prefix,
    actions,
  }),
  list: (...prefixes: string[]): Use => ({ resource: 'storage', kind: 'list', prefixes }),
  putEvents: (): Use => ({ resource: 'bus', kind: 'put-events' }),
  signRenditions: (): Use => ({ resource: 'renditions', kind: 'sign-renditions' }),
  rotateSigningKeys: (): Use => ({ resource: 'renditions', kind: 'rotate-signing-keys' }),
  vision: (): Use => ({ resource: 'vision', kind: 'vision' }),
  people: (access: PeopleAccess): Use => ({ resource: 'people', kind: 'people', access }),
  peopleItems: (...items: PeopleItemAction[]): Use => ({ resource: 'people', kind: 'people', access: { items } }),
  backfill: (access: BackfillAccess): Use => ({ resource: 'backfill', kind: 'backfill', access }),
  /** The objects of the `sourceBuckets` setting, read where they are (`backfill('source-reads')`). */
  sourceObjects: (): Use => ({ resource: 'backfill', kind: 'backfill', access: 'source-reads' }),
  meaning: (access: MeaningAccess): Use => ({ resource: 'meaning', kind: 'meaning', access }),
  /** With `webhooks` on, item actions on the webhooks table (lambdas/webhooks/table-design.ts); off, nothing. */
  webhookItems: (...actions: WebhookItemAction[]): Use => ({ resource: 'webhooks', kind: 'declared-items', actions }),
  /**
   * With `webhooks` on, `Query` on the webhooks table itself (`table`: the delivery log) or its indexes (the webhooks'
   * room checks the names against its table's design: lambdas/webhooks/room.ts).
   */
  webhookQuery: (...on: string[]): Use => ({ resource: 'webhooks', kind: 'declared-query', on }),
  /** With `webhooks` on, `sqs:SendMessage` to the webhooks' queue: an event for its endpoints, an attempt, a replay. */
  webhookQueue: (): Use => ({ resource: 'webhooks', kind: 'declared-send' }),
  ingestQueue: (): Use => ({ resource: 'ingest', kind: 'ingest-queue' }),
  declaredItems: (name: string, ...actions: DeclaredItemAction[]): Use => ({
    resource: name,
    kind: 'declared-items',
    actions,
  }),
  declaredQuery: (name: string, ...on: string[]): Use => ({ resource: name, kind: 'declared-query', on }),
  declaredSend: (name: string): Use => ({ resource: name, kind: 'declared-send' }),
};
