import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '../shared/errors';
import { batchWrite } from '../store/batch-write';
import { decodeCursor, encodeCursor } from '../store/page-cursor';
import type { PageAsked } from './album-store';
import type { MemberRole } from './schemas';
import { ALBUMS_TABLE_DESIGN, albumPersonKey, MAX_ALBUM_MEMBERS } from './table-design';

/*
 * The owners an album is shared with (its members, in the API's words: not the images in it), as the albums table
 * keeps them (table-design.ts): an item per person in the album's partition, indexed by the person (`bySharedWith`).
 */

/** A person an album is shared with. */
export interface AlbumPerson {
  albumId: string;
  /** The owner it is shared with. */
  member: string;
  role: MemberRole;
  /** The album's owner. */
  owner: string;
  addedAt: string;
}

const SHARED_SORT = /^\d{4}-\d{2}-\d{2}T[\d:.]+Z#al_[0-9a-f]{20}$/;

export class AlbumPeople {
  constructor(
    private readonly dynamo: Pick<DynamoDBDocumentClient, 'send'>,
    private readonly tableName: string,
  ) {}

  /** The caller's item in the album, if it is shared with them (one GetItem). */
  async get(albumId: string, member: string): Promise<AlbumPerson | undefined> {
    const { Item } = await this.dynamo.send(
      new GetCommand({ TableName: this.tableName, Key: albumPersonKey(albumId, member), ConsistentRead: true }),
    );
    return Item && toPerson(Item);
  }

  /** Everyone the album is shared with, in the order they were added (one Query of at most MAX_ALBUM_MEMBERS). */
  async of(albumId: string): Promise<AlbumPerson[]> {
    const { Items = [] } = await this.dynamo.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :people)',
        ExpressionAttributeValues: { ':pk': albumPersonKey(albumId, '').pk, ':people': 'P#' },
        ConsistentRead: true,
        // One past the cap: a store holding more (two adds at once) still answers them all in one page.
        Limit: MAX_ALBUM_MEMBERS * 2,
      }),
    );
    return Items.map(toPerson).sort((a, b) => a.addedAt.localeCompare(b.addedAt) || a.member.localeCompare(b.member));
  }

  /** Put the person (a new one, or a new role: when first added is kept from `addedAt` of the one there). */
  async put(person: AlbumPerson): Promise<void> {
    const { bySharedWith } = ALBUMS_TABLE_DESIGN.indexes;
    await this.dynamo.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...albumPersonKey(person.albumId, person.member),
          ...person,
          [bySharedWith.partitionKey]: person.member,
          [bySharedWith.sortKey]: `${person.addedAt}#${person.albumId}`,
        },
      }),
    );
  }

  /** Take the person off; `false` when they were not on it. */
  async remove(albumId: string, member: string): Promise<boolean> {
    const { Attributes } = await this.dynamo.send(
      new DeleteCommand({ TableName: this.tableName, Key: albumPersonKey(albumId, member), ReturnValues: 'ALL_OLD' }),
    );
    return Attributes !== undefined;
  }

  /** Take these people off a deleted album (BatchWriteItem deletes of 25; one gone already is no error). */
  async removeAll(albumId: string, members: readonly string[]): Promise<void> {
    await batchWrite(
      this.dynamo,
      this.tableName,
      members.map((member) => ({ DeleteRequest: { Key: albumPersonKey(albumId, member) } })),
      { rounds: 5, leftOver: (left) => new ConflictError(`the albums table is busy: ${left} people left`) },
    );
  }

  /** The albums shared with `member`, newest shared first, a page at a time (`bySharedWith`). */
  async sharedWith(member: string, asked: PageAsked): Promise<{ items: AlbumPerson[]; cursor?: string }> {
    const index = ALBUMS_TABLE_DESIGN.indexes.bySharedWith;
    const binding = { sharedWith: member };
    const last = asked.cursor && decodeCursor(asked.cursor, binding, (value) => SHARED_SORT.test(value));
    const { Items = [], LastEvaluatedKey } = await this.dynamo.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: index.indexName,
        KeyConditionExpression: '#member = :member',
        ExpressionAttributeNames: { '#member': index.partitionKey },
        ExpressionAttributeValues: { ':member': member },
        ScanIndexForward: false,
        Limit: asked.limit,
        ...(last && {
          ExclusiveStartKey: {
            [index.partitionKey]: member,
            [index.sortKey]: last,
            ...albumPersonKey(last.slice(last.indexOf('#') + 1), member),
          },
        }),
      }),
    );
    const items = Items.map(toPerson);
    const next = LastEvaluatedKey?.[index.sortKey];
    return typeof next === 'string' ? { items, cursor: encodeCursor(binding, next) } : { items };
  }
}

function toPerson(item: Record<string, unknown>): AlbumPerson {
  return {
    albumId: String(item.albumId),
    member: String(item.member),
    role: item.role === 'contributor' ? 'contributor' : 'viewer',
    owner: String(item.owner),
    addedAt: String(item.addedAt),
  };
}
