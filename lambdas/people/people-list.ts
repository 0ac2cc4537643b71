import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { BadRequestError } from '../shared/errors';
import { decodeCursor, encodeCursor } from '../store/page-cursor';
import type { Person } from './contract';
import { CoverSchema, type PeopleTable, toPerson } from './person-item';
import { PEOPLE_TABLE_DESIGN, peoplePartitions } from './table-design';

export interface PeopleQuery {
  /** People on the page at most (the API bounds it). */
  limit: number;
  /** The opaque cursor a previous page returned. */
  cursor?: string;
  /** List the people their owner hid instead (default false: the people list). */
  hidden?: boolean;
}

export interface PeoplePage {
  items: Person[];
  /** Present while more people may follow. */
  cursor?: string;
}

/** `peopleRank`: a face count of 10 digits, then the person's id. */
const RANK_PATTERN = /^\d{10}#[0-9A-Za-z]{1,64}$/;

/**
 * One page of an owner's people, most faces first (ties by id, descending), as image-list.ts pages images:
 * 1. decode the cursor: the last rank the previous page returned, bound to this owner's people list;
 * 2. query every `<owner>#<n>` of `byOwnerPeople` for its first `limit` ranks below it, descending;
 * 3. merge and keep the first `limit` (the top `limit` overall are among each shard's top `limit`);
 * 4. answer a cursor (the last rank kept) while any shard may hold more.
 * A person whose count changes between two pages moves in the list, so it may be shown twice or not at all: the
 * list is a view of counts that keep changing, as on any photo library's people page.
 */
export async function listPeople(table: PeopleTable, owner: string, query: PeopleQuery): Promise<PeoplePage> {
  if (!Number.isInteger(query.limit) || query.limit < 1)
    throw new BadRequestError('limit: must be a whole number, 1 or more');
  const binding = { list: query.hidden ? 'hidden-people' : 'people', owner };
  const below = query.cursor === undefined ? undefined : decodeCursor(query.cursor, binding, isRank);
  const shards = await Promise.all(
    peoplePartitions(owner, query.hidden).map((partition) => topOfShard(table, partition, query.limit, below)),
  );
  const merged = shards.flatMap((shard) => shard.items).sort((a, b) => (a.peopleRank < b.peopleRank ? 1 : -1));
  const page = merged.slice(0, query.limit);
  const more = merged.length > query.limit || shards.some((shard) => shard.more);
  const last = page.at(-1);
  const items = page.map((item) => toPerson({ ...item, cover: CoverSchema.parse(item.cover), hidden: query.hidden }));
  return more && last ? { items, cursor: encodeCursor(binding, last.peopleRank) } : { items };
}

function isRank(value: string): boolean {
  return RANK_PATTERN.test(value);
}

interface ListedPerson {
  personId: string;
  name: string | null;
  faceCount: number;
  cover: unknown;
  createdAt: string;
  updatedAt: string;
  peopleRank: string;
}

/** One shard's first `limit` people below `below`, and whether it may hold more (pages of 1 MB are followed). */
async function topOfShard(
  table: PeopleTable,
  partition: string,
  limit: number,
  below: string | undefined,
): Promise<{ items: ListedPerson[]; more: boolean }> {
  const index = PEOPLE_TABLE_DESIGN.indexes.byOwnerPeople;
  const items: ListedPerson[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const { Items = [], LastEvaluatedKey } = await table.client.send(
      new QueryCommand({
        TableName: table.tableName,
        IndexName: index.indexName,
        KeyConditionExpression: below === undefined ? '#pk = :pk' : '#pk = :pk AND #sk < :below',
        ExpressionAttributeNames:
          below === undefined ? { '#pk': index.partitionKey } : { '#pk': index.partitionKey, '#sk': index.sortKey },
        ExpressionAttributeValues: below === undefined ? { ':pk': partition } : { ':pk': partition, ':below': below },
        ScanIndexForward: false,
        Limit: limit - items.length,
        ExclusiveStartKey: startKey,
      }),
    );
    items.push(...(Items as ListedPerson[]));
    startKey = LastEvaluatedKey;
  } while (startKey !== undefined && items.length < limit);
  return { items, more: startKey !== undefined };
}
