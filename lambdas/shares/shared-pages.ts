import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { sharedPageKey } from './table-design';

/*
 * A smart album's page as its links show it, kept in the shares table (table-design.ts) so its search runs once in
 * a while rather than on every view (lambdas/albums/functions/get-shared/smart-pages.ts says when). An item holds
 * which images the search found, in its order, and never anything of a link: no token, no hash.
 */

/** A smart album's page as its search found it. */
export interface SharedPage {
  /** The album's `updatedAt` when its search ran: a page of another version is never shown. */
  version: string;
  /** The images the page showed, in the search's order. */
  imageIds: string[];
  /** The search's cursor for the page after, if any. */
  nextCursor?: string;
  /** When its search ran (epoch milliseconds). */
  madeAt: number;
}

/** What the item of a page holds: the page, once a search put it; until when a view claimed its refresh. */
export interface SharedPageEntry {
  page?: SharedPage;
  refreshUntil?: number;
}

/** How long a page's item stays after it was made or claimed before DynamoDB's TTL deletes it: an hour. */
const KEEP_SECONDS = 3600;

/** The pages of smart albums that links show, one item each (`SP#<albumId>`, `PAGE#<digest>`). */
export class SharedPageStore {
  /**
   * @param writer the client a claim and a page are written with (default: `dynamo`): `GET /shared/{token}` gives
   *   one that tries once, so a write to a page's item throttled by a crowd of views fails at once (the view is
   *   answered anyway) rather than hold it for the SDK's retries.
   */
  constructor(
    private readonly dynamo: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly writer: DynamoDBDocumentClient = dynamo,
  ) {}

  /** The page's item, read eventually consistent (half a read unit up to 4 KB): a page a second old is as good. */
  async get(albumId: string, page: string): Promise<SharedPageEntry> {
    const { Item } = await this.dynamo.send(
      new GetCommand({ TableName: this.tableName, Key: sharedPageKey(albumId, page) }),
    );
    if (!Item) return {};
    const refreshUntil = typeof Item.refreshUntil === 'number' ? { refreshUntil: Item.refreshUntil } : {};
    if (typeof Item.version !== 'string' || !Array.isArray(Item.imageIds) || typeof Item.madeAt !== 'number') {
      return refreshUntil;
    }
    return {
      page: {
        version: Item.version,
        imageIds: Item.imageIds.map(String),
        ...(typeof Item.nextCursor === 'string' && { nextCursor: Item.nextCursor }),
        madeAt: Item.madeAt,
      },
      ...refreshUntil,
    };
  }

  /**
   * Claim the page's refresh until `until` (epoch ms), if no claim holds at `now`: true for the one view that may run
   * the search now, false for every other (a conditional write: those refused cost a write unit each).
   */
  async claim(albumId: string, page: string, now: number, until: number): Promise<boolean> {
    try {
      await this.writer.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: sharedPageKey(albumId, page),
          UpdateExpression: 'SET #until = :until, #ttl = if_not_exists(#ttl, :ttl)',
          ConditionExpression: 'attribute_not_exists(#until) OR #until < :now',
          ExpressionAttributeNames: { '#until': 'refreshUntil', '#ttl': 'ttl' },
          ExpressionAttributeValues: { ':until': until, ':now': now, ':ttl': ttlAfter(until) },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /**
   * Keep the page a search found, and free its claim; a page of an older album version than the one kept is
   * dropped (a search that ran before the album changed and finished after one that ran since).
   */
  async put(albumId: string, page: string, found: SharedPage): Promise<void> {
    const next = found.nextCursor !== undefined;
    try {
      await this.writer.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: sharedPageKey(albumId, page),
          UpdateExpression: [
            `SET #version = :version, #ids = :ids, #madeAt = :madeAt, #ttl = :ttl${next ? ', #next = :next' : ''}`,
            `REMOVE #until${next ? '' : ', #next'}`,
          ].join(' '),
          ConditionExpression: 'attribute_not_exists(#version) OR #version <= :version',
          ExpressionAttributeNames: {
            '#version': 'version',
            '#ids': 'imageIds',
            '#madeAt': 'madeAt',
            '#ttl': 'ttl',
            '#next': 'nextCursor',
            '#until': 'refreshUntil',
          },
          ExpressionAttributeValues: {
            ':version': found.version,
            ':ids': found.imageIds,
            ':madeAt': found.madeAt,
            ':ttl': ttlAfter(found.madeAt),
            ...(next && { ':next': found.nextCursor }),
          },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
}

function ttlAfter(epochMs: number): number {
  return Math.ceil(epochMs / 1000) + KEEP_SECONDS;
}
