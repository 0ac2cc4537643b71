import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { decodeCursor, encodeCursor } from '../../store/page-cursor';
import { type ShareItem, ShareItemSchema } from './share';
import { attemptsKey, SHARES_TABLE_DESIGN, shareKey } from './table-design';

/** How long an expired or revoked link's item stays (answering 410) before DynamoDB's TTL deletes it. */
export const KEEP_ENDED_DAYS = 30;
const DAY_SECONDS = 86_400;

/** A page of an owner's links, newest first. */
export interface SharePage {
  items: ShareItem[];
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

  /** A page of an owner's links, newest first (`byOwnerShares`); a cursor for another owner is a 400 (InvalidCursorError). */
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
    const items = Items.map(fromItem);
    const last = LastEvaluatedKey?.shareSort;
    return typeof last === 'string' ? { items, cursor: encodeCursor({ shares: owner }, last) } : { items };
  }

  /** Mark the link revoked (once: false when it already was), to be deleted by the TTL `KEEP_ENDED_DAYS` later. */
  async revoke(hash: string, at: string): Promise<boolean> {
    try {
      await this.dynamo.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: shareKey(hash),
          UpdateExpression: 'SET revokedAt = :at, #ttl = :ttl',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(revokedAt)',
          ExpressionAttributeNames: { '#ttl': 'ttl' },
          ExpressionAttributeValues: { ':at': at, ':ttl': ttlAfter(at) },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /** One more view of an existing link, sent once with the counter's client. */
  async countView(hash: string): Promise<void> {
    await this.counter.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: shareKey(hash),
        UpdateExpression: 'ADD #views :one',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#views': 'views' },
        ExpressionAttributeValues: { ':one': 1 },
      }),
    );
  }

  /** The wrong passwords given for a link in the window starting at `window`. */
  async failures(hash: string, window: string): Promise<number> {
    const { Item } = await this.dynamo.send(
      new GetCommand({ TableName: this.tableName, Key: attemptsKey(hash, window), ConsistentRead: true }),
    );
    return typeof Item?.count === 'number' ? Item.count : 0;
  }

  /** One more wrong password in the window (which ends at `until`, its item an hour later); the count now. */
  async countFailure(hash: string, window: string, until: Date): Promise<number> {
    const { Attributes } = await this.dynamo.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: attemptsKey(hash, window),
        UpdateExpression: 'ADD #count :one SET #ttl = :ttl',
        ExpressionAttributeNames: { '#count': 'count', '#ttl': 'ttl' },
        ExpressionAttributeValues: { ':one': 1, ':ttl': Math.ceil(until.getTime() / 1000) + 3600 },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return Number(Attributes?.count ?? 1);
  }
}

/** `<createdAt>#<hash>`, as `create` writes it: what a cursor may hold. */
function isShareSort(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}T[\d:.]+Z#[0-9a-f]{64}$/.test(value);
}

function ttlAfter(iso: string): number {
  return Math.ceil(Date.parse(iso) / 1000) + KEEP_ENDED_DAYS * DAY_SECONDS;
}

function fromItem(item: Record<string, unknown>): ShareItem {
  const hash = String(item.pk).replace(/^SH#/, '');
  const { pk: _pk, sk: _sk, ttl: _ttl, shareOwner: _owner, shareSort: _sort, ...fields } = item;
  return ShareItemSchema.parse({ ...fields, hash });
}
