import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { ImageStatus } from './image-item';
import { type ImageSummary, ImageSummarySchema } from './image-view';
import { type ListScope, listPartitions } from './list-shards';
import { decodeCursor, encodeCursor } from './page-cursor';
import { TABLE_DESIGN } from './table-design';

export interface ListQuery {
  /** Whose images: one owner's, or everyone's (for admins). */
  scope: ListScope;
  status?: ImageStatus;
  limit: number;
  /** The opaque cursor a previous page returned. */
  cursor?: string;
}

export interface ListPage {
  items: ImageSummary[];
  /** Present while more items may follow. */
  cursor?: string;
}

/** A write-sharded list index: its partitions are merged, newest (highest sort key) first. */
export type ListIndex = (typeof TABLE_DESIGN.indexes)[
  | 'byCreatedSharded'
  | 'byStatusSharded'
  | 'byOwnerSharded'
  | 'byOwnerStatusSharded'
  | 'byOwnerTakenSharded'];

/** The index a list reads: by owner or not, by status or not. */
function indexFor(scope: ListScope, status: ImageStatus | undefined): ListIndex {
  const { indexes } = TABLE_DESIGN;
  // The archive is its owner's list under other key values (list-shards.ts); the locked folder is their lists,
  // by status too, under others again.
  if (scope.archived) return indexes.byOwnerSharded;
  if (scope.locked) return status ? indexes.byOwnerStatusSharded : indexes.byOwnerSharded;
  if (scope.owner === undefined) return status ? indexes.byStatusSharded : indexes.byCreatedSharded;
  return status ? indexes.byOwnerStatusSharded : indexes.byOwnerSharded;
}

/**
 * One page of images, newest first, from a write-sharded list index (one owner's or all images, optionally of one
 * status):
 * 1. decode the cursor: the last image id the previous page returned (ids are ULIDs, so "older" is "smaller");
 * 2. query every shard in parallel for its newest `limit` items older than that id;
 * 3. merge them newest first and keep the first `limit`: the newest `limit` overall are necessarily among the
 *    newest `limit` of each shard, so the page is exact, with nothing skipped or repeated across pages;
 * 4. answer a cursor (the last id kept) while any shard may hold more.
 */
export async function listImagePage(
  client: DynamoDBDocumentClient,
  tableName: string,
  query: ListQuery,
): Promise<ListPage> {
  const index = indexFor(query.scope, query.status);
  const filter = {
    owner: query.scope.owner,
    status: query.status,
    archived: query.scope.archived ? ('true' as const) : undefined,
    locked: query.scope.locked ? ('true' as const) : undefined,
    stacked: query.scope.stacked,
  };
  const olderThan = query.cursor === undefined ? undefined : decodeCursor(query.cursor, definedOnly(filter));
  const shards = await Promise.all(
    listPartitions(query.scope, query.status).map((partition) =>
      newestOfShard(client, { tableName, index, partition, limit: query.limit, olderThan }),
    ),
  );
  const merged = shards.flatMap((shard) => shard.items).sort(newestFirst);
  const items = merged.slice(0, query.limit).map((item) => ImageSummarySchema.parse(item));
  const more = merged.length > query.limit || shards.some((shard) => shard.more);
  const last = items.at(-1);
  return more && last ? { items, cursor: encodeCursor(definedOnly(filter), last.imageId) } : { items };
}

export interface ShardQuery {
  tableName: string;
  index: ListIndex;
  partition: string;
  limit: number;
  /** The sort key value (an image id, or a timeline's `takenKey`) the shard resumes below. */
  olderThan?: string;
}

/**
 * The newest `limit` items of one shard older than `olderThan`, and whether it may hold more. A query answers
 * fewer than its Limit only at DynamoDB's 1 MB page size (far above 100 projected summaries); it then goes on,
 * since a short shard could hide items newer than what the other shards give the merge.
 */
export async function newestOfShard(
  client: DynamoDBDocumentClient,
  query: ShardQuery,
): Promise<{ items: Record<string, unknown>[]; more: boolean }> {
  const { index, olderThan } = query;
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const { Items = [], LastEvaluatedKey } = await client.send(
      new QueryCommand({
        TableName: query.tableName,
        IndexName: index.indexName,
        KeyConditionExpression: olderThan === undefined ? '#pk = :pk' : '#pk = :pk AND #sk < :olderThan',
        ExpressionAttributeNames:
          olderThan === undefined ? { '#pk': index.partitionKey } : { '#pk': index.partitionKey, '#sk': index.sortKey },
        ExpressionAttributeValues:
          olderThan === undefined ? { ':pk': query.partition } : { ':pk': query.partition, ':olderThan': olderThan },
        ScanIndexForward: false,
        Limit: query.limit - items.length,
        ExclusiveStartKey: startKey,
      }),
    );
    items.push(...Items);
    startKey = LastEvaluatedKey;
  } while (startKey !== undefined && items.length < query.limit);
  return { items, more: startKey !== undefined };
}

function newestFirst(a: Record<string, unknown>, b: Record<string, unknown>): number {
  const [x, y] = [String(a.imageId), String(b.imageId)];
  return x < y ? 1 : x > y ? -1 : 0;
}

/** What a list's cursor is bound to (page-cursor.ts): whose list (absent: everyone's), which status, the archive. */
interface CursorFilter {
  owner?: string;
  status?: ImageStatus;
  archived?: 'true';
  locked?: 'true';
  stacked?: 'expand';
}

function definedOnly(filter: CursorFilter): Record<string, string> {
  return Object.fromEntries(Object.entries(filter).filter(([, value]) => value !== undefined));
}
