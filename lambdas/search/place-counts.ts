import { type DynamoDBDocumentClient, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { PlaceNames } from '../core/place';
import { decodeCursor, encodeCursor } from '../store/page-cursor';
import { postingKey, SEARCH_SHARDS, SEARCH_TABLE_DESIGN, searchShardOf } from './postings-design';
import { term } from './vocabulary';

/*
 * How many photos an owner has at each place, exact under retries and re-analysis, without a scan. Each image with a
 * place is posted under one `placePath=<country>/<region>/<locality>` term (terms.ts `placePathOf`), and that
 * posting is only ever written in a transaction with its counter: put if absent with +1, delete if present with -1.
 * A retried message, a re-analysis that names the same place, or a second delete finds the condition false and
 * changes neither, so a counter is always the number of its postings.
 *
 * The counters are items of the search table, beside the postings:
 *
 * | pattern                              | how                                                                      |
 * | ------------------------------------ | ------------------------------------------------------------------------ |
 * | an owner's places with their counts  | Query `<owner>#places#<n>` for every shard n (sort key: the path), sum   |
 *
 * A counter is split over the SEARCH_SHARDS shards of its image's postings, so one owner uploading at the design
 * rate in one place writes each counter item at a quarter of it (250 transactions a second, 500 WCU).
 */

/** Where the counted term's value starts: `placePath=`. */
const PATH_TERM_PREFIX = term('placePath', '');

/** Is this a term whose posting is counted (written only through `countedPut` and `countedDelete`)? */
export function isCountedTerm(one: string): boolean {
  return one.startsWith(PATH_TERM_PREFIX);
}

/** The partition key of an owner's place counters in one shard; the sort key (`imageId`) holds the path. */
export function placeCountKey(owner: string, shard: number): string {
  return `${owner}#places#${shard}`;
}

/**
 * One counter as stored: the path, the names it was last written with, its share of the count, and its cover: the
 * image last counted in (a ULID: the newest upload of the shard's), dropped when that image is counted out.
 */
interface CounterItem {
  imageId: string;
  names?: PlaceNames;
  count?: number;
  cover?: string;
}

/** The counter transaction of one image's path posting: `+1` with a put if absent, `-1` with a delete if present. */
export async function countedWrite(
  client: DynamoDBDocumentClient,
  tableName: string,
  change: { owner: string; imageId: string; pathTerm: string; names?: PlaceNames; delta: 1 | -1 },
): Promise<'counted' | 'unchanged'> {
  const { owner, imageId, pathTerm, names, delta } = change;
  const key = { [SEARCH_TABLE_DESIGN.partitionKey]: postingKey(owner, pathTerm, imageId), imageId };
  const counterKey = {
    [SEARCH_TABLE_DESIGN.partitionKey]: placeCountKey(owner, searchShardOf(imageId)),
    imageId: pathTerm.slice(PATH_TERM_PREFIX.length),
  };
  const names$ = names ? ', #names = :names' : '';
  // The image counted in is the place's cover (the newest upload there, ULIDs sorting by time, but for re-analyses).
  const cover$ = delta === 1 ? ', #cover = :cover' : '';
  try {
    await client.send(
      new TransactWriteCommand({
        TransactItems: [
          delta === 1
            ? { Put: { TableName: tableName, Item: key, ConditionExpression: 'attribute_not_exists(imageId)' } }
            : { Delete: { TableName: tableName, Key: key, ConditionExpression: 'attribute_exists(imageId)' } },
          {
            Update: {
              TableName: tableName,
              Key: counterKey,
              UpdateExpression: `SET #count = if_not_exists(#count, :zero) + :delta${names$}${cover$}`,
              ExpressionAttributeNames: {
                '#count': 'count',
                ...(names ? { '#names': 'names' } : {}),
                ...(delta === 1 ? { '#cover': 'cover' } : {}),
              },
              ExpressionAttributeValues: {
                ':zero': 0,
                ':delta': delta,
                ...(names ? { ':names': names } : {}),
                ...(delta === 1 ? { ':cover': imageId } : {}),
              },
            },
          },
        ],
      }),
    );
    if (delta === -1) await dropCover(client, tableName, counterKey, imageId);
    return 'counted';
  } catch (error) {
    if (conditionFailed(error)) return 'unchanged';
    throw error;
  }
}

/**
 * The counter's cover, if it is the image counted out (one conditional write, no read; any other cover stays): the
 * shard then has none until a photo is counted in there, and `GET /places` takes another shard's. A transaction
 * cannot do this, its condition being on the whole item.
 */
async function dropCover(
  client: DynamoDBDocumentClient,
  tableName: string,
  key: Record<string, string>,
  imageId: string,
): Promise<void> {
  try {
    await client.send(
      new UpdateCommand({
        TableName: tableName,
        Key: key,
        UpdateExpression: 'REMOVE #cover',
        ConditionExpression: '#cover = :image',
        ExpressionAttributeNames: { '#cover': 'cover' },
        ExpressionAttributeValues: { ':image': imageId },
      }),
    );
  } catch (error) {
    if (!(error instanceof Error && error.name === 'ConditionalCheckFailedException')) throw error;
  }
}

/** A transaction cancelled only because its posting already was (or was not) there: nothing to count. */
function conditionFailed(error: unknown): boolean {
  if (!(error instanceof Error) || error.name !== 'TransactionCanceledException') return false;
  const reasons = (error as { CancellationReasons?: Array<{ Code?: string }> }).CancellationReasons;
  if (reasons) return reasons.some((reason) => reason.Code === 'ConditionalCheckFailed');
  return /ConditionalCheckFailed/.test(error.message);
}

/** One place an owner has photos at: its path, its names, how many photos, and its newest photo still there. */
export interface PlaceCount {
  path: string;
  names: PlaceNames;
  count: number;
  cover?: string;
}

export interface PlaceCountPage {
  /** By path: a country's places together, then a region's. */
  items: PlaceCount[];
  /** Present while more places may follow. */
  cursor?: string;
}

/**
 * A page of an owner's places with their counts, by path: each shard's counters from the cursor on (a Query each,
 * at most `limit` items), summed per path. A page ends at the first path a shard may have more past, so no path's
 * count is split over two pages; counters back at zero are left out.
 */
export async function placeCounts(
  client: DynamoDBDocumentClient,
  tableName: string,
  owner: string,
  page: { limit: number; cursor?: string },
): Promise<PlaceCountPage> {
  const binding = { owner, list: 'places' };
  const after = page.cursor === undefined ? undefined : decodeCursor(page.cursor, binding, (last) => last.length > 0);
  const shards = await Promise.all(
    Array.from({ length: SEARCH_SHARDS }, async (_, shard) => {
      const { Items = [], LastEvaluatedKey } = await client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: after === undefined ? '#pk = :pk' : '#pk = :pk AND #sk > :after',
          ExpressionAttributeNames: { '#pk': SEARCH_TABLE_DESIGN.partitionKey, ...(after ? { '#sk': 'imageId' } : {}) },
          ExpressionAttributeValues: { ':pk': placeCountKey(owner, shard), ...(after ? { ':after': after } : {}) },
          Limit: page.limit,
        }),
      );
      const items = Items as CounterItem[];
      return { items, more: LastEvaluatedKey !== undefined ? items.at(-1)?.imageId : undefined };
    }),
  );
  // The page ends where the shard that stopped earliest stopped: past it, that shard's counts are not read yet.
  const ends = shards.flatMap((shard) => (shard.more === undefined ? [] : [shard.more]));
  const end = ends.length > 0 ? ends.sort()[0] : undefined;
  const byPath = new Map<string, PlaceCount>();
  for (const item of shards.flatMap((shard) => shard.items)) {
    if (end !== undefined && item.imageId > end) continue;
    const known = byPath.get(item.imageId);
    if (known) {
      known.count += item.count ?? 0;
      if (item.names) known.names = item.names;
      if (item.cover !== undefined && (known.cover === undefined || item.cover > known.cover)) known.cover = item.cover;
    } else {
      const count = { path: item.imageId, names: item.names ?? {}, count: item.count ?? 0 };
      byPath.set(item.imageId, item.cover === undefined ? count : { ...count, cover: item.cover });
    }
  }
  const items = [...byPath.values()].filter((place) => place.count > 0).sort((a, b) => compare(a.path, b.path));
  return end === undefined ? { items } : { items, cursor: encodeCursor(binding, end) };
}

/** DynamoDB's order of string sort keys (UTF-8 bytes): `<` on strings matches it but for characters past U+FFFF. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
