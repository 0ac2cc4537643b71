import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { newestOfShard } from './image-list';
import { ImageSummarySchema } from './image-view';
import { listPartitions } from './list-shards';
import { decodeCursor, encodeCursor } from './page-cursor';
import { TABLE_DESIGN } from './table-design';
import { isTakenKey } from './timeline-key';

/** A timeline page's item: a list summary and, when the analysis found one, the date the photo was taken. */
export const TimelineSummarySchema = ImageSummarySchema.extend({ takenAt: z.string().optional() });
export type TimelineSummary = z.output<typeof TimelineSummarySchema>;

export interface TimelineQuery {
  /** Whose timeline: always one owner's (the index is keyed on the owner's shards). */
  owner: string;
  /** Their archive's timeline rather than their timeline. */
  archived?: boolean;
  /** Their locked folder's timeline (store/list-shards.ts). */
  locked?: boolean;
  /** `expand`: every frame of a stack, not its primary alone (store/list-shards.ts). */
  stacked?: 'expand';
  limit: number;
  /** The opaque cursor a previous page returned. */
  cursor?: string;
}

export interface TimelinePage {
  items: TimelineSummary[];
  /** Present while more items may follow. */
  cursor?: string;
}

/**
 * One page of an owner's images by date taken, newest first (`byOwnerTakenSharded`), as listImagePage pages by
 * upload time:
 * 1. decode the cursor: the last `takenKey` the previous page returned (bound to the owner and to this sort);
 * 2. query every one of the owner's shards in parallel for its `limit` highest keys below it;
 * 3. merge them highest first and keep `limit`: the key ends with the image id, so no two are equal and the order
 *    (ties of date included) is total, the same on every page, with nothing skipped or repeated;
 * 4. answer a cursor (the last key kept) while any shard may hold more.
 */
export async function listTimelinePage(
  client: DynamoDBDocumentClient,
  tableName: string,
  query: TimelineQuery,
): Promise<TimelinePage> {
  const index = TABLE_DESIGN.indexes.byOwnerTakenSharded;
  const binding = {
    owner: query.owner,
    sort: 'taken',
    ...(query.archived && { archived: 'true' }),
    ...(query.locked && { locked: 'true' }),
    ...(query.stacked && { stacked: query.stacked }),
  };
  const olderThan = query.cursor === undefined ? undefined : decodeCursor(query.cursor, binding, isTakenKey);
  const shards = await Promise.all(
    listPartitions({ owner: query.owner, archived: query.archived, locked: query.locked, stacked: query.stacked }).map(
      (partition) => newestOfShard(client, { tableName, index, partition, limit: query.limit, olderThan }),
    ),
  );
  const merged = shards.flatMap((shard) => shard.items).sort(byTakenKeyDescending);
  const kept = merged.slice(0, query.limit);
  const items = kept.map((item) => TimelineSummarySchema.parse(item));
  const more = merged.length > query.limit || shards.some((shard) => shard.more);
  const last = kept.at(-1)?.takenKey;
  return more && typeof last === 'string' ? { items, cursor: encodeCursor(binding, last) } : { items };
}

function byTakenKeyDescending(a: Record<string, unknown>, b: Record<string, unknown>): number {
  const [x, y] = [String(a.takenKey), String(b.takenKey)];
  return x < y ? 1 : x > y ? -1 : 0;
}
