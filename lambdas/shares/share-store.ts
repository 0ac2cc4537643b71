import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { decodeCursor, encodeCursor } from '../store/page-cursor';
import { type CountedShare, type ShareItem, ShareItemSchema } from './share';
import { type AttemptScope, attemptsKey, SHARES_TABLE_DESIGN, savedKey, shareKey, viewsKey } from './table-design';

/** How long an expired or revoked link's item stays (answering 410) before DynamoDB's TTL deletes it. */
export const KEEP_ENDED_DAYS = 30;
const DAY_SECONDS = 86_400;
/** Rounds of a page's views asked for again while DynamoDB leaves some unprocessed (throttling), waiting more each. */
const VIEW_ROUNDS = 3;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A page of an owner's links, newest first, each with its views. */
export interface SharePage {
  items: CountedShare[];
  cursor?: string;
}

/** The shares table (table-design.ts) behind the operations the share routes need. */
export class ShareStore {
  /**
   * @param counter the client a view is counted with (default: `dynamo`): `GET /shared/{token}` gives one that tries
   *   once, so a throttled count (one item takes ~1,000 writes a second) fails at once rather than hold the view for
   *   the SDK's retries.
   */
  constructor(
    private readonly dynamo: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly counter: DynamoDBDocumentClient = dynamo,
  ) {}

  /** A new link; its hash is new (256 random bits), so an item already there would be a bug, refused by the condition. */
  async create(share: ShareItem): Promise<void> {
    const { hash, ...fields } = ShareItemSchema.parse(share);
    const ends = share.expiresAt === undefined ? undefined : ttlAfter(share.expiresAt);
    await this.dynamo.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...shareKey(hash),
          ...fields,
          ...(ends !== undefined && { ttl: ends }),
          shareOwner: share.owner,
          shareSort: `${share.createdAt}#${hash}`,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  /** The link with this hash, read strongly consistent: a revoke just answered holds for the next open. */
  async get(hash: string): Promise<ShareItem | undefined> {
    const { Item } = await this.dynamo.send(
      new GetCommand({ TableName: this.tableName, Key: shareKey(hash), ConsistentRead: true }),
    );
    return Item ? fromItem(Item) : undefined;
  }

  /**
   * A page of an owner's links, newest first (`byOwnerShares`), each with its views (one BatchGetItem of the page's
   * counters); a cursor for another owner is a 400 (InvalidCursorError).
   */
  async listOf(owner: string, limit: number, cursor?: string): Promise<SharePage> {
    const index = SHARES_TABLE_DESIGN.indexes.byOwnerShares;
    const after = cursor === undefined ? undefined : decodeCursor(cursor, { shares: owner }, isShareSort);
    const { Items = [], LastEvaluatedKey } = await this.dynamo.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: index.indexName,
        KeyConditionExpression: 'shareOwner = :owner',
        ExpressionAttributeValues: { ':owner': owner },
        ScanIndexForward: false,
        Limit: limit,
        ...(after !== undefined && {
          ExclusiveStartKey: { ...shareKey(after.split('#')[1] as string), shareOwner: owner, shareSort: after },
        }),
      }),
    );
    const links = Items.map(fromItem);
    const views = await this.viewsOf(links.map((link) => link.hash));
    const items = links.map((link) => ({ ...link, views: views.get(link.hash) ?? 0 }));
    const last = LastEvaluatedKey?.shareSort;
    return typeof last === 'string' ? { items, cursor: encodeCursor({ shares: owner }, last) } : { items };
  }

  /**
   * The owner's link named by `shareId` (the first 16 hex digits of its hash: `GET /shares` and events name links so),
   * or none: the owner's links read newest first from `byOwnerShares` until one's key starts with it. A link is found
   * by its hash alone only with its token, which is not kept, so this reads the owner's links (a page of up to 1 MB a
   * call, about 0.5 read units per 20 links), never another owner's; eventually consistent, as the list is.
   */
  async findOwned(owner: string, shareId: string): Promise<ShareItem | undefined> {
    let start: Record<string, unknown> | undefined;
    do {
      const { Items = [], LastEvaluatedKey } = await this.dynamo.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: SHARES_TABLE_DESIGN.indexes.byOwnerShares.indexName,
          KeyConditionExpression: 'shareOwner = :owner',
          FilterExpression: 'begins_with(pk, :key)',
          ExpressionAttributeValues: { ':owner': owner, ':key': shareKey(shareId).pk },
          ScanIndexForward: false,
          ...(start !== undefined && { ExclusiveStartKey: start }),
        }),
      );
      const [found] = Items;
      if (found) return fromItem(found);
      start = LastEvaluatedKey;
    } while (start !== undefined);
    return undefined;
  }

  /**
   * Mark the link revoked (once: false when it already was), to be deleted by the TTL `KEEP_ENDED_DAYS` later, its
   * views too (their item's TTL set first, if it has one: a revoke that fails between is asked again whole).
   */
  async revoke(hash: string, at: string): Promise<boolean> {
    try {
      await this.dynamo.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: viewsKey(hash),
          UpdateExpression: 'SET #ttl = :ttl',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#ttl': 'ttl' },
          ExpressionAttributeValues: { ':ttl': ttlAfter(at) },
        }),
      );
    } catch (error) {
      // Never opened: no views to delete.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    try {
      await this.dynamo.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: shareKey(hash),
          // An item an older version wrote kept the token itself: it goes now.
          UpdateExpression: 'SET revokedAt = :at, #ttl = :ttl REMOVE #token',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(revokedAt)',
          ExpressionAttributeNames: { '#ttl': 'ttl', '#token': 'token' },
          ExpressionAttributeValues: { ':at': at, ':ttl': ttlAfter(at) },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /**
   * One more view of a link (its own item: the link's, and its index entry, are not written), sent once with the
   * counter's client. The item of an expiring link's views goes with it (its TTL; a revoke's, set first, is kept).
   */
  async countView(share: Pick<ShareItem, 'hash' | 'expiresAt'>): Promise<void> {
    const ends = share.expiresAt === undefined ? undefined : ttlAfter(share.expiresAt);
    await this.counter.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: viewsKey(share.hash),
        UpdateExpression: `ADD #views :one${ends === undefined ? '' : ' SET #ttl = if_not_exists(#ttl, :ttl)'}`,
        ExpressionAttributeNames: { '#views': 'views', ...(ends !== undefined && { '#ttl': 'ttl' }) },
        ExpressionAttributeValues: { ':one': 1, ...(ends !== undefined && { ':ttl': ends }) },
      }),
    );
  }

  /** The views of these links (one BatchGetItem, eventually consistent: a count); a link never opened has none. */
  private async viewsOf(hashes: readonly string[]): Promise<Map<string, number>> {
    const views = new Map<string, number>();
    let keys: Record<string, unknown>[] = hashes.map(viewsKey);
    for (let round = 0; keys.length > 0 && round < VIEW_ROUNDS; round++) {
      if (round > 0) await sleep(50 * 2 ** round);
      const { Responses, UnprocessedKeys } = await this.dynamo.send(
        new BatchGetCommand({
          RequestItems: {
            [this.tableName]: {
              Keys: keys,
              ProjectionExpression: 'pk, #views',
              ExpressionAttributeNames: { '#views': 'views' },
            },
          },
        }),
      );
      for (const item of Responses?.[this.tableName] ?? []) {
        views.set(String(item.pk).replace(/^SH#/, ''), Number(item.views ?? 0));
      }
      // Still unprocessed after the rounds: shown as none rather than fail the list (views are best effort).
      keys = (UnprocessedKeys?.[this.tableName]?.Keys ?? []) as Record<string, unknown>[];
    }
    return views;
  }

  /**
   * Claim the copy `caller` makes of the link's photo `imageId`, named `copyId`: one conditional PutItem, so of two
   * saves at once one claims and the other is answered the first's id (a GetItem, strongly consistent). Answers the
   * copy's id, and whether this call claimed it.
   */
  async claimSave(
    share: Pick<ShareItem, 'hash' | 'expiresAt'>,
    save: { imageId: string; caller: string; copyId: string; savedAt: string },
  ): Promise<{ copyId: string; claimed: boolean }> {
    const Key = savedKey(share.hash, save.imageId, save.caller);
    const ends = share.expiresAt === undefined ? undefined : ttlAfter(share.expiresAt);
    try {
      await this.dynamo.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...Key, copyId: save.copyId, savedAt: save.savedAt, ...(ends !== undefined && { ttl: ends }) },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return { copyId: save.copyId, claimed: true };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    const { Item } = await this.dynamo.send(new GetCommand({ TableName: this.tableName, Key, ConsistentRead: true }));
    if (typeof Item?.copyId !== 'string') throw new Error(`the save of ${save.imageId} was claimed, but has no copy`);
    return { copyId: Item.copyId, claimed: false };
  }

  /**
   * Claim one password attempt in a window, before the password is checked: one conditional ADD, so attempts that
   * arrive together cannot all read a count under `max` (a read, then a write after the check, let 40 of 60
   * simultaneous guesses through). False: `max` attempts are claimed already, and this one is refused unchecked.
   * `scope` is the link's (every client) or one client's (`clientScope`); the item goes an hour after `until`.
   */
  async claimAttempt(hash: string, scope: AttemptScope, max: number, until: Date): Promise<boolean> {
    try {
      await this.dynamo.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: attemptsKey(hash, scope),
          UpdateExpression: 'ADD #count :one SET #ttl = :ttl',
          ConditionExpression: 'attribute_not_exists(#count) OR #count < :max',
          ExpressionAttributeNames: { '#count': 'count', '#ttl': 'ttl' },
          ExpressionAttributeValues: { ':one': 1, ':max': max, ':ttl': Math.ceil(until.getTime() / 1000) + 3600 },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /** Give back an attempt claimed for a password that was right: only wrong ones count against a window. */
  async releaseAttempt(hash: string, scope: AttemptScope): Promise<void> {
    await this.dynamo
      .send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: attemptsKey(hash, scope),
          UpdateExpression: 'ADD #count :less',
          ConditionExpression: '#count > :zero',
          ExpressionAttributeNames: { '#count': 'count' },
          ExpressionAttributeValues: { ':less': -1, ':zero': 0 },
        }),
      )
      .catch((error: unknown) => {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      });
  }
}

/** `<createdAt>#<hash>`, as `create` writes it: what a cursor may hold. */
function isShareSort(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}T[\d:.]+Z#[0-9a-f]{64}$/.test(value);
}

function ttlAfter(iso: string): number {
  return Math.ceil(Date.parse(iso) / 1000) + KEEP_ENDED_DAYS * DAY_SECONDS;
}

/** A link's item as a link: never its `token`, which an item an older version wrote may still hold. */
function fromItem(item: Record<string, unknown>): ShareItem {
  const hash = String(item.pk).replace(/^SH#/, '');
  const { pk: _pk, sk: _sk, ttl: _ttl, shareOwner: _owner, shareSort: _sort, token: _token, ...fields } = item;
  return ShareItemSchema.parse({ ...fields, hash });
}
