import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { AlbumStore } from '../albums/album-store';
import { ALBUMS_TABLE_DESIGN } from '../albums/table-design';
import { BadRequestError, NotFoundError } from '../shared/errors';
import { batchGetImages } from '../store/batch-get';
import { type ImageItem, isShown } from '../store/image-item';
import { listPartitions } from '../store/list-shards';
import type { Caller } from '../store/owner';
import { decodeCursor, encodeCursor, InvalidCursorError } from '../store/page-cursor';
import { TABLE_DESIGN, TIMELINE_ITEM_ATTRIBUTES } from '../store/table-design';
import { timelineAttributes } from '../store/timeline-key';
import { type TimelinePage, TimelineSummarySchema } from '../store/timeline-list';
import { type Grant, GrantStore } from './grants';

/** `partners=all` merges at most this many grants (the oldest received): a page queries each grantor's lists. */
export const MAX_MERGED_GRANTS = 10;

/**
 * What a partner asks of `GET /images`: one grantor's photos (`partner`), or every grantor's merged (`all`), and with
 * `mine` the caller's own timeline merged in too (`partners=include`).
 */
export interface PartnerAsked {
  partner?: string;
  all?: boolean;
  /** With `all`: the caller's own timeline is one more list of the merge. */
  mine?: boolean;
  limit: number;
  cursor?: string;
}

export interface PartnerTables {
  /** The results table: the grantor's timeline index and the records. */
  results: string;
  partners: string;
  albums: string;
}

/** One list a page reads: a shard of a grantor's timeline, or one of their granted albums in taken order. */
interface Source {
  grantor: string;
  tableName: string;
  index: { indexName: string; partitionKey: string; sortKey: string };
  partition: string;
  from?: string;
}

/** A key a page stops at: a timeline's `takenKey` or an album member's `memberTaken` (`<when>#<imageId>`). */
const SORT_KEY = /^[\d:.TZ-]+#[0-9A-HJKMNP-TV-Z]{26}$/;
/** Rounds of asking again for keys DynamoDB left unprocessed. */
const GET_ROUNDS = 4;
/** What a page reads of each image's record: whose it is, whether it is shown, and its timeline summary. */
const RECORD_ATTRIBUTES = ['imageId', 'owner', 'locked', 'archived', 'takenKey', ...TIMELINE_ITEM_ATTRIBUTES];

/**
 * What a partner reads of a grantor's library (docs/api.md#partners), on the grantor's own indexes: the grant read
 * by key first, then the grantor's timeline (`byOwnerTakenSharded`, from the grant's `from` on as a key condition)
 * or their granted albums (`byAlbumTaken`), newest taken first. Nothing is shown that its owner would not show on
 * their timeline: an image in the trash, locked (isShown) or archived is left out, and so is one no longer the
 * grantor's.
 */
export class PartnerReads {
  private readonly grants: GrantStore;
  private readonly albums: AlbumStore;

  constructor(
    private readonly dynamo: Pick<DynamoDBDocumentClient, 'send'>,
    private readonly tables: PartnerTables,
  ) {
    this.grants = new GrantStore(dynamo, tables.partners);
    this.albums = new AlbumStore(dynamo, tables.albums);
  }

  /**
   * One page for a partner, newest taken first:
   * 1. the grants: the one from `partner` to the caller (none: a 404 that says only that there is no grant), or for
   *    `all` the first MAX_MERGED_GRANTS the caller received, and with `mine` the caller's own timeline as one more
   *    (a whole library, the caller's to themselves: their own photos are shown as their timeline shows them);
   * 2. each grant's lists: the grantor's timeline shards, or the granted albums' taken order; each queried for its
   *    `limit` highest keys below the cursor (and not below `from`);
   * 3. merged highest first, an image met twice (in two albums) kept once, `limit` kept; the cursor is the last key
   *    kept, in the one key space every list shares (`<when>#<imageId>`);
   * 4. the kept images' records (one BatchGetItem), and those not shown to a partner left out: a page may be short
   *    while a cursor follows.
   */
  async page(caller: Caller, asked: PartnerAsked): Promise<TimelinePage> {
    const received = await this.grantsFor(caller, asked);
    const grants = asked.all && asked.mine ? [ownTimeline(caller), ...received] : received;
    // `*` and `*+mine` are no owner id (OwnerSchema): a cursor of one list is refused by the others.
    const all = asked.mine ? '*+mine' : '*';
    const binding = { partner: asked.all ? all : String(asked.partner), to: caller.owner, sort: 'taken' };
    let below: string | undefined;
    try {
      below = asked.cursor === undefined ? undefined : decodeCursor(asked.cursor, binding, (v) => SORT_KEY.test(v));
    } catch (error) {
      if (error instanceof InvalidCursorError) throw new BadRequestError(`cursor: ${error.message}`);
      throw error;
    }
    const sources = (await this.standing(grants)).flatMap(sourcesOf(this.tables));
    const read = await Promise.all(sources.map((source) => this.highest(source, asked.limit, below)));
    const seen = new Set<string>();
    const merged = read
      .flatMap(({ keys }) => keys)
      .sort((a, b) => (a.key < b.key ? 1 : a.key > b.key ? -1 : 0))
      .filter(({ imageId }) => !seen.has(imageId) && seen.add(imageId));
    const kept = merged.slice(0, asked.limit);
    const more = merged.length > asked.limit || read.some((one) => one.more);
    const records = await this.records(kept.map(({ imageId }) => imageId));
    const items = kept.flatMap(({ imageId, grantor }) => {
      const record = records.get(imageId);
      return record && shownTo(record, grantor) ? [TimelineSummarySchema.parse(record)] : [];
    });
    const last = kept.at(-1)?.key;
    return more && last !== undefined ? { items, cursor: encodeCursor(binding, last) } : { items };
  }

  /**
   * What a partner's search of `grantor`'s library may read: the grant's `from`, if any. No grant is a 404, as for a
   * list; a grant of albums is a 400, since the search's postings are the whole library's.
   */
  async searchScope(caller: Caller, grantor: string): Promise<{ from?: string }> {
    const [grant] = await this.grantsFor(caller, { partner: grantor, limit: 0 });
    if (grant?.albums !== undefined) {
      throw new BadRequestError(
        `partner: ${grantor} shares some albums with you; list them, a search is not there yet`,
      );
    }
    return grant?.from === undefined ? {} : { from: grant.from };
  }

  /** Those of these images a partner of `grantor` may see (a search found them): still theirs, and shown. */
  async shown(grantor: string, imageIds: readonly string[]): Promise<Set<string>> {
    const records = await this.records(imageIds);
    return new Set(imageIds.filter((imageId) => shownTo(records.get(imageId) ?? {}, grantor)));
  }

  /**
   * Whether the caller may read this image as a partner: another owner's, shown (not in the trash, not locked, not
   * archived), and covered by that owner's grant to the caller: every photo, one taken from its `from` on, or one in a
   * granted album that is still the grantor's.
   */
  async covers(caller: Caller, item: ImageItem): Promise<boolean> {
    if (item.owner === undefined || item.owner === caller.owner || !shownTo(item, item.owner)) return false;
    const grant = await this.grants.get(item.owner, caller.owner);
    if (!grant) return false;
    if (grant.from !== undefined && timelineAttributes(item).takenKey < grant.from) return false;
    if (grant.albums === undefined) return true;
    const granted = new Set(grant.albums);
    const inGranted = (await this.albums.albumIdsOf(item.imageId)).filter((id) => granted.has(id));
    if (inGranted.length === 0) return false;
    return (await this.albums.getMany(inGranted)).some((album) => album.owner === grant.grantor);
  }

  /**
   * The grants with their albums narrowed to those still the grantor's: a deleted album's members go after it
   * (albums/deleted-albums.ts), and until then they are not read (one BatchGetItem of the grants' albums).
   */
  private async standing(grants: Grant[]): Promise<Grant[]> {
    const ids = [...new Set(grants.flatMap((grant) => grant.albums ?? []))];
    if (ids.length === 0) return grants;
    const owners = new Map((await this.albums.getMany(ids)).map((album) => [album.albumId, album.owner]));
    return grants.map((grant) =>
      grant.albums === undefined
        ? grant
        : { ...grant, albums: grant.albums.filter((id) => owners.get(id) === grant.grantor) },
    );
  }

  private async grantsFor(caller: Caller, asked: PartnerAsked): Promise<Grant[]> {
    if (asked.all) return this.grants.received(caller.owner, MAX_MERGED_GRANTS);
    const grant = await this.grants.get(String(asked.partner), caller.owner);
    // A 404 that tells nothing of that owner's library, or whether they exist.
    if (!grant) throw new NotFoundError(`partner: ${asked.partner} has not shared their library with you`);
    return [grant];
  }

  /** A list's `limit` highest keys below `below` and not below its `from`, and whether it may hold more. */
  private async highest(
    source: Source,
    limit: number,
    below: string | undefined,
  ): Promise<{ keys: { key: string; imageId: string; grantor: string }[]; more: boolean }> {
    const { index, from } = source;
    // A cursor at or below this list's `from` (another grantor's, in a merged page) leaves nothing of it to read, and
    // BETWEEN with its bounds the wrong way round is a ValidationException.
    if (below !== undefined && from !== undefined && below <= from) return { keys: [], more: false };
    // One condition on the sort key: BETWEEN is inclusive, so the cursor's own key is read again and dropped.
    const condition =
      below !== undefined && from !== undefined
        ? '#pk = :pk AND #sk BETWEEN :from AND :below'
        : below !== undefined
          ? '#pk = :pk AND #sk < :below'
          : from !== undefined
            ? '#pk = :pk AND #sk >= :from'
            : '#pk = :pk';
    const values = {
      ':pk': source.partition,
      ...(below !== undefined && { ':below': below }),
      ...(from !== undefined && { ':from': from }),
    };
    const keys: { key: string; imageId: string; grantor: string }[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const { Items = [], LastEvaluatedKey } = await this.dynamo.send(
        new QueryCommand({
          TableName: source.tableName,
          IndexName: index.indexName,
          KeyConditionExpression: condition,
          ExpressionAttributeNames:
            condition === '#pk = :pk'
              ? { '#pk': index.partitionKey }
              : { '#pk': index.partitionKey, '#sk': index.sortKey },
          ExpressionAttributeValues: values,
          ScanIndexForward: false,
          Limit: limit - keys.length + 1,
          ExclusiveStartKey: start,
        }),
      );
      for (const item of Items) {
        const key = String(item[index.sortKey]);
        if (key === below) continue;
        keys.push({ key, imageId: key.slice(key.lastIndexOf('#') + 1), grantor: source.grantor });
      }
      start = LastEvaluatedKey;
    } while (start !== undefined && keys.length < limit);
    return { keys: keys.slice(0, limit), more: start !== undefined || keys.length > limit };
  }

  private async records(imageIds: readonly string[]): Promise<Map<string, Record<string, unknown>>> {
    if (imageIds.length === 0) return new Map();
    const names = Object.fromEntries(RECORD_ATTRIBUTES.map((name) => [`#${name}`, name]));
    const projection = { expression: Object.keys(names).join(', '), names };
    const found = await batchGetImages(this.dynamo, this.tables.results, imageIds, projection, GET_ROUNDS);
    return new Map(found.map((item) => [String(item.imageId), item]));
  }
}

/** The caller's own timeline as a merge reads it: a grant of their whole library to themselves. */
function ownTimeline(caller: Caller): Grant {
  return { grantor: caller.owner, partner: caller.owner, createdAt: '', updatedAt: '' };
}

/** Whether a partner of `grantor` may see this image: still theirs, and shown on their timeline. */
function shownTo(record: Record<string, unknown> | ImageItem, grantor: string): boolean {
  const { owner, status, locked, archived } = record as Partial<ImageItem>;
  return owner === grantor && status !== undefined && isShown({ status, locked }) && archived !== true;
}

/** The lists a grant covers: the grantor's timeline shards, or each granted album in its taken order. */
function sourcesOf(tables: PartnerTables) {
  return (grant: Grant): Source[] => {
    const common = { grantor: grant.grantor, ...(grant.from !== undefined && { from: grant.from }) };
    if (grant.albums !== undefined) {
      const index = ALBUMS_TABLE_DESIGN.indexes.byAlbumTaken;
      return grant.albums.map((albumId) => ({ ...common, tableName: tables.albums, index, partition: albumId }));
    }
    const index = TABLE_DESIGN.indexes.byOwnerTakenSharded;
    return listPartitions({ owner: grant.grantor }).map((partition) => ({
      ...common,
      tableName: tables.results,
      index,
      partition,
    }));
  };
}
