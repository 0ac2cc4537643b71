import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { ConflictError, NotFoundError, TooManyRequestsError } from '../shared/errors';
import { deleteCounted, putWithinCount, transactReasons } from '../shared/transactions';
import { batchGetKeys } from '../store/batch-get';
import { batchWrite } from '../store/batch-write';
import { decodeCursor, encodeCursor } from '../store/page-cursor';
import type { Album, AlbumOrder } from './schemas';
import {
  ALBUMS_TABLE_DESIGN,
  albumCountKey,
  albumKey,
  MAX_ALBUM_IMAGES,
  MAX_ALBUMS_PER_OWNER,
  memberKey,
} from './table-design';

/** What a rename, a cover or an order changes. */
export type AlbumChange = Partial<Pick<Album, 'name' | 'coverImageId' | 'order'>>;

/** An image to add, with where it sorts by date taken (its record's `takenKey`). */
export interface NewMember {
  imageId: string;
  takenKey: string;
}

export interface PageAsked {
  cursor?: string;
  limit: number;
}

/** One page of ids, and while more may follow the cursor of the next. */
export interface IdPage {
  ids: string[];
  cursor?: string;
}

/** A transaction writes at most 100 items: the members of one, and the album's count. */
const MEMBERS_PER_TRANSACTION = 99;
/** Batches of a deleted album's members written at once. */
const DELETE_PARALLELISM = 4;
const ALBUM_SORT = /^\d{4}-\d{2}-\d{2}T[\d:.]+Z#al_[0-9a-f]{20}$/;
const MEMBER_SORT = /^[\d:.TZ-]+#[0-9A-HJKMNP-TV-Z]{26}$/;

/**
 * The albums table (table-design.ts): albums by id, listed per owner; their members added and removed by key, each
 * batch in a transaction with the album's count, so the count stays exact and the cap holds; members paged by the
 * album's order; an image's albums, which a purge leaves.
 */
export class AlbumStore {
  constructor(
    private readonly dynamo: Pick<DynamoDBDocumentClient, 'send'>,
    private readonly tableName: string,
  ) {}

  /** Put a new album, unless its owner has MAX_ALBUMS_PER_OWNER already (a 429 that says so). */
  async create(album: Album): Promise<void> {
    const { byOwnerAlbums } = ALBUMS_TABLE_DESIGN.indexes;
    const done = await putWithinCount(this.dynamo, {
      tableName: this.tableName,
      countKey: albumCountKey(album.owner),
      counter: 'albums',
      limit: MAX_ALBUMS_PER_OWNER,
      item: {
        ...albumKey(album.albumId),
        ...album,
        [byOwnerAlbums.partitionKey]: album.owner,
        [byOwnerAlbums.sortKey]: `${album.createdAt}#${album.albumId}`,
      },
    });
    if (done === 'limit') {
      throw new TooManyRequestsError(`at most ${MAX_ALBUMS_PER_OWNER} albums per owner: delete one first`, 3600);
    }
    if (done === 'conflict') {
      throw new ConflictError('another album of this owner was being made or deleted at once: try again');
    }
  }

  async get(albumId: string): Promise<Album | undefined> {
    const { Item } = await this.dynamo.send(
      new GetCommand({ TableName: this.tableName, Key: albumKey(albumId), ConsistentRead: true }),
    );
    return Item && toAlbum(Item);
  }

  /** These albums, those that exist (one BatchGetItem of up to 100 keys; keys left unprocessed are asked again). */
  async getMany(albumIds: readonly string[]): Promise<Album[]> {
    const found = await this.batchGet(albumIds.map(albumKey));
    return found.map(toAlbum);
  }

  /** An owner's albums, newest first, a page at a time (`byOwnerAlbums`). */
  async listOf(owner: string, asked: PageAsked): Promise<{ items: Album[]; cursor?: string }> {
    const index = ALBUMS_TABLE_DESIGN.indexes.byOwnerAlbums;
    const binding = { albums: owner };
    const last = asked.cursor && decodeCursor(asked.cursor, binding, (value) => ALBUM_SORT.test(value));
    const { Items = [], LastEvaluatedKey } = await this.dynamo.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: index.indexName,
        KeyConditionExpression: '#owner = :owner',
        ExpressionAttributeNames: { '#owner': index.partitionKey },
        ExpressionAttributeValues: { ':owner': owner },
        ScanIndexForward: false,
        Limit: asked.limit,
        ...(last && {
          ExclusiveStartKey: {
            [index.partitionKey]: owner,
            [index.sortKey]: last,
            ...albumKey(last.slice(last.indexOf('#') + 1)),
          },
        }),
      }),
    );
    const items = Items.map(toAlbum);
    const next = LastEvaluatedKey?.[index.sortKey];
    return typeof next === 'string' ? { items, cursor: encodeCursor(binding, next) } : { items };
  }

  /** Change an album that still exists; answers it as it is now. */
  async update(albumId: string, change: AlbumChange, updatedAt: string): Promise<Album> {
    const fields = Object.entries({ ...change, updatedAt }).filter(([, value]) => value !== undefined);
    const { Attributes } = await this.dynamo
      .send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: albumKey(albumId),
          UpdateExpression: `SET ${fields.map((_, i) => `#f${i} = :v${i}`).join(', ')}`,
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: Object.fromEntries(fields.map(([name], i) => [`#f${i}`, name])),
          ExpressionAttributeValues: Object.fromEntries(fields.map(([, value], i) => [`:v${i}`, value])),
          ReturnValues: 'ALL_NEW',
        }),
      )
      .catch((error: unknown) => {
        if ((error as Error).name === 'ConditionalCheckFailedException') {
          throw new NotFoundError(`album ${albumId} not found`);
        }
        throw error;
      });
    return toAlbum(Attributes ?? {});
  }

  /**
   * Delete an album and its owner's count of it (one transaction); `false` when it was gone already. Its members stay
   * for the deleted albums' queue to delete a page at a time (deleted-albums.ts): until then they are invisible, since
   * every read of a member starts from its album.
   */
  async delete(album: Album): Promise<boolean> {
    const done = await deleteCounted(this.dynamo, {
      tableName: this.tableName,
      key: albumKey(album.albumId),
      countKey: albumCountKey(album.owner),
      counter: 'albums',
    });
    if (done === 'conflict') throw new ConflictError('the album was being changed at once: try again');
    return done === 'deleted';
  }

  /**
   * Delete these members of a deleted album, without its count (it is gone): BatchWriteItem deletes of 25, those left
   * unprocessed asked again with a growing pause; throws when some are still left, for the caller's retry. Deleting a
   * member that is gone already is no error, so a retry is safe.
   */
  async deleteMembers(albumId: string, imageIds: readonly string[]): Promise<void> {
    await batchWrite(
      this.dynamo,
      this.tableName,
      imageIds.map((imageId) => ({ DeleteRequest: { Key: memberKey(albumId, imageId) } })),
      {
        rounds: 5,
        leftOver: (left) => new ConflictError(`the albums table is busy: ${left} members left`),
        parallel: DELETE_PARALLELISM,
      },
    );
  }

  /** Which of these images are in the album already (by key: one BatchGetItem). */
  async membersAmong(albumId: string, imageIds: readonly string[]): Promise<Set<string>> {
    const found = await this.batchGet(imageIds.map((imageId) => memberKey(albumId, imageId)));
    return new Set(found.map((item) => String(item.imageId)));
  }

  /**
   * Add images not in the album yet (the caller read which: `membersAmong`), in transactions of 99 with the album's
   * count raised within MAX_ALBUM_IMAGES. One added meanwhile by another request, or an album deleted meanwhile,
   * cancels its transaction: a 409 to try again (what was added before stays, and is counted).
   */
  async addMembers(albumId: string, members: readonly NewMember[], addedAt: string): Promise<number> {
    const { byAlbumAdded, byAlbumTaken, byImageAlbums } = ALBUMS_TABLE_DESIGN.indexes;
    let added = 0;
    for (let i = 0; i < members.length; i += MEMBERS_PER_TRANSACTION) {
      const chunk = members.slice(i, i + MEMBERS_PER_TRANSACTION);
      const reasons = await transactReasons(this.dynamo, {
        TransactItems: [
          this.countChange(albumId, chunk.length),
          ...chunk.map(({ imageId, takenKey }) => ({
            Put: {
              TableName: this.tableName,
              Item: {
                ...memberKey(albumId, imageId),
                imageId,
                addedAt,
                [byAlbumAdded.partitionKey]: albumId,
                [byAlbumAdded.sortKey]: `${addedAt}#${imageId}`,
                [byAlbumTaken.sortKey]: takenKey,
                [byImageAlbums.partitionKey]: imageId,
              },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          })),
        ],
      });
      if (reasons?.[0] === 'ConditionalCheckFailed') {
        throw new ConflictError(`an album holds at most ${MAX_ALBUM_IMAGES} images, or it was deleted meanwhile`);
      }
      if (reasons) throw new ConflictError('the album was being changed at once: try again');
      added += chunk.length;
    }
    return added;
  }

  /** Take these members out (the caller read which are: `membersAmong`), with the album's count. */
  async removeMembers(albumId: string, imageIds: readonly string[]): Promise<number> {
    let removed = 0;
    for (let i = 0; i < imageIds.length; i += MEMBERS_PER_TRANSACTION) {
      const chunk = imageIds.slice(i, i + MEMBERS_PER_TRANSACTION);
      const reasons = await transactReasons(this.dynamo, {
        TransactItems: [
          this.countChange(albumId, -chunk.length),
          ...chunk.map((imageId) => ({
            Delete: {
              TableName: this.tableName,
              Key: memberKey(albumId, imageId),
              ConditionExpression: 'attribute_exists(pk)',
            },
          })),
        ],
      });
      if (reasons) throw new ConflictError('the album was being changed at once: try again');
      removed += chunk.length;
    }
    return removed;
  }

  /**
   * A page of an album's image ids in its order, newest first (`byAlbumAdded` or `byAlbumTaken`). The cursor is
   * bound to the album and the order: another's is a 400.
   */
  async memberPage(albumId: string, order: AlbumOrder, asked: PageAsked): Promise<IdPage> {
    const { byAlbumAdded, byAlbumTaken } = ALBUMS_TABLE_DESIGN.indexes;
    const index = order === 'taken' ? byAlbumTaken : byAlbumAdded;
    const binding = { album: albumId, order };
    const last = asked.cursor && decodeCursor(asked.cursor, binding, (value) => MEMBER_SORT.test(value));
    const { Items = [], LastEvaluatedKey } = await this.dynamo.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: index.indexName,
        KeyConditionExpression: '#album = :album',
        ExpressionAttributeNames: { '#album': index.partitionKey },
        ExpressionAttributeValues: { ':album': albumId },
        ScanIndexForward: false,
        Limit: asked.limit,
        ...(last && {
          ExclusiveStartKey: {
            [index.partitionKey]: albumId,
            [index.sortKey]: last,
            ...memberKey(albumId, last.slice(last.lastIndexOf('#') + 1)),
          },
        }),
      }),
    );
    const ids = Items.map((item) => String(item.sk).slice(2));
    const next = LastEvaluatedKey?.[index.sortKey];
    return typeof next === 'string' ? { ids, cursor: encodeCursor(binding, next) } : { ids };
  }

  /** The ids of the albums an image is in, deleted albums' left-over members among them (`byImageAlbums`). */
  async albumIdsOf(imageId: string): Promise<string[]> {
    const index = ALBUMS_TABLE_DESIGN.indexes.byImageAlbums;
    const ids: string[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const { Items = [], LastEvaluatedKey } = await this.dynamo.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: index.indexName,
          KeyConditionExpression: '#image = :image',
          ExpressionAttributeNames: { '#image': index.partitionKey },
          ExpressionAttributeValues: { ':image': imageId },
          ExclusiveStartKey: start,
        }),
      );
      ids.push(...Items.map((item) => String(item[index.sortKey])));
      start = LastEvaluatedKey;
    } while (start);
    return ids;
  }

  /**
   * An image deleted for good leaves every album it was in, each album's count lowered and its cover taken off if it
   * was the image (a deleted album's left-over member goes alone). Idempotent: a retried purge finds none left.
   */
  async removeImage(imageId: string): Promise<void> {
    for (const albumId of await this.albumIdsOf(imageId)) {
      const reasons = await transactReasons(this.dynamo, {
        TransactItems: [
          {
            Delete: {
              TableName: this.tableName,
              Key: memberKey(albumId, imageId),
              ConditionExpression: 'attribute_exists(pk)',
            },
          },
          this.countChange(albumId, -1),
        ],
      });
      // The member gone already (another purge's), or its album deleted: then the member goes alone.
      if (reasons?.[1] === 'ConditionalCheckFailed') {
        await this.dynamo.send(new DeleteCommand({ TableName: this.tableName, Key: memberKey(albumId, imageId) }));
      } else if (reasons && reasons[0] !== 'ConditionalCheckFailed') {
        throw new ConflictError(`album ${albumId} was being changed at once`);
      } else {
        await this.clearCover(albumId, imageId);
      }
    }
  }

  /** The album's cover taken off, if it is this image (an image taken out, or purged); else nothing changes. */
  async clearCover(albumId: string, imageId: string): Promise<void> {
    await this.dynamo
      .send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: albumKey(albumId),
          UpdateExpression: 'REMOVE coverImageId',
          ConditionExpression: 'coverImageId = :image',
          ExpressionAttributeValues: { ':image': imageId },
        }),
      )
      .catch((error: unknown) => {
        if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
      });
  }

  /** The album's count moved by `by`, if the album exists and stays within MAX_ALBUM_IMAGES. */
  private countChange(albumId: string, by: number) {
    return {
      Update: {
        TableName: this.tableName,
        Key: albumKey(albumId),
        UpdateExpression: 'ADD #count :by',
        ConditionExpression: 'attribute_exists(pk) AND #count <= :room',
        ExpressionAttributeNames: { '#count': 'count' },
        ExpressionAttributeValues: { ':by': by, ':room': MAX_ALBUM_IMAGES - Math.max(by, 0) },
      },
    };
  }

  /** These keys' items, read consistently; a busy table that leaves some unread is a 409 to try again. */
  private async batchGet(keys: readonly Record<string, string>[]): Promise<Record<string, unknown>[]> {
    const { found, unprocessed } = await batchGetKeys(this.dynamo, this.tableName, keys, {
      consistent: true,
      rounds: 4,
    });
    if (unprocessed.length > 0) throw new ConflictError('the albums table is busy: try again');
    return found;
  }
}

/** The album of an item, without the table's keys and index attributes. */
function toAlbum(item: Record<string, unknown>): Album {
  const { pk: _pk, sk: _sk, albumOwner: _owner, albumSort: _sort, ...album } = item;
  return album as unknown as Album;
}
