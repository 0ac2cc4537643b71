import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { type ImageItem, ImageItemSchema, type ImageStatus } from './image-item';
import { isImageId } from './keys';
import { IMAGE_ENTITY, TABLE_DESIGN } from './table-design';

export interface ListQuery {
  status?: ImageStatus;
  limit: number;
  /** The opaque cursor a previous page returned. */
  cursor?: string;
}

export interface ListPage {
  items: ImageItem[];
  cursor?: string;
}

/** A cursor that does not decode to a key of the index being queried. */
export class InvalidCursorError extends Error {
  override readonly name = 'InvalidCursorError';
}

/**
 * The results table, behind the operations the handlers need. Every write that finalises an image is
 * conditional on the object version (ETag), which is what makes replayed and duplicated events harmless.
 */
export class ImageStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(imageId: string): Promise<ImageItem | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: { imageId }, ConsistentRead: true }),
    );
    return Item ? ImageItemSchema.parse(Item) : undefined;
  }

  /** Record an upload URL handed out; fails if the id exists (ULIDs do not collide, so that is a bug). */
  async createPending(item: ImageItem): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: item,
        ConditionExpression: 'attribute_not_exists(imageId)',
      }),
    );
  }

  /**
   * Write the final state of one object version, keeping what the upload recorded (filename, content type,
   * createdAt). Returns false, writing nothing, when this version is already final: a duplicate delivery.
   */
  async finalise(item: ImageItem): Promise<boolean> {
    const { imageId, createdAt, filename, contentType, ...rest } = item;
    const fields = Object.entries(rest).filter(([, value]) => value !== undefined);
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = { ':processed': 'PROCESSED', ':rejected': 'REJECTED' };
    const sets = fields.map(([name, value], i) => {
      names[`#f${i}`] = name;
      values[`:f${i}`] = value;
      return `#f${i} = :f${i}`;
    });
    const keep = { createdAt, filename, contentType };
    for (const [name, value] of Object.entries(keep)) {
      if (value === undefined) continue;
      names[`#${name}`] = name;
      values[`:${name}`] = value;
      sets.push(`#${name} = if_not_exists(#${name}, :${name})`);
    }
    // Whatever an earlier state of the item said that this one does not is removed, not left stale.
    const cleared = [
      'expiresAt',
      'rejection',
      'error',
      'duplicateOf',
      'analysis',
      'vision',
      'visionError',
      'sha256',
      'size',
      'thumbnails',
      'attempts',
      'eventPending',
    ]
      .filter((name) => !(name in rest) || rest[name as keyof typeof rest] === undefined)
      .map((name) => {
        names[`#r_${name}`] = name;
        return `#r_${name}`;
      });
    names['#status'] = 'status';
    if (item.etag !== undefined) {
      names['#etag'] = 'etag';
      values[':etag'] = item.etag;
    }
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { imageId },
          UpdateExpression: `SET ${sets.join(', ')}${cleared.length ? ` REMOVE ${cleared.join(', ')}` : ''}`,
          // A final state of this same version is never overwritten; anything else (new, PENDING, FAILED, another
          // version) is.
          // (Without a known ETag, as when the object could not be read, only "not final" is required.)
          ConditionExpression:
            item.etag === undefined
              ? 'NOT (#status IN (:processed, :rejected))'
              : 'attribute_not_exists(#etag) OR #etag <> :etag OR NOT (#status IN (:processed, :rejected))',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /** Record that an attempt failed for good (last SQS receive); never overwrites a final state. */
  async markFailed(item: ImageItem): Promise<boolean> {
    return this.finalise({ ...item, status: 'FAILED' });
  }

  /** The event for this item's final state has been published. */
  async clearEventPending(imageId: string, etag: string | undefined): Promise<void> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { imageId },
          UpdateExpression: 'REMOVE eventPending',
          ConditionExpression: etag === undefined ? 'attribute_exists(imageId)' : 'etag = :etag',
          ExpressionAttributeValues: etag === undefined ? undefined : { ':etag': etag },
        }),
      );
    } catch (error) {
      // A newer version or a delete got there first; its own flow owns the flag now.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  /** The oldest other image with these bytes. */
  async findDuplicate(sha256: string, imageId: string): Promise<string | undefined> {
    const index = TABLE_DESIGN.indexes.bySha256;
    const { Items = [] } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: index.indexName,
        KeyConditionExpression: '#sha = :sha AND #id < :id',
        ExpressionAttributeNames: { '#sha': index.partitionKey, '#id': index.sortKey },
        ExpressionAttributeValues: { ':sha': sha256, ':id': imageId },
        ScanIndexForward: true,
        Limit: 1,
      }),
    );
    return Items[0]?.imageId as string | undefined;
  }

  /** Newest first; `cursor` is present while more items may follow. */
  async list(query: ListQuery): Promise<ListPage> {
    const index = query.status ? TABLE_DESIGN.indexes.byStatus : TABLE_DESIGN.indexes.byCreated;
    const partition = query.status ?? IMAGE_ENTITY;
    const startKey = query.cursor === undefined ? undefined : decodeCursor(query.cursor, index.partitionKey, partition);
    const { Items = [], LastEvaluatedKey } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: index.indexName,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': index.partitionKey },
        ExpressionAttributeValues: { ':pk': partition },
        ScanIndexForward: false,
        Limit: query.limit,
        ExclusiveStartKey: startKey,
      }),
    );
    return {
      items: Items.map((item) => ImageItemSchema.parse(item)),
      cursor: LastEvaluatedKey ? encodeCursor(LastEvaluatedKey) : undefined,
    };
  }

  /** Remove the item; returns what was deleted, or undefined if there was nothing. */
  async delete(imageId: string): Promise<ImageItem | undefined> {
    const { Attributes } = await this.client.send(
      new DeleteCommand({ TableName: this.tableName, Key: { imageId }, ReturnValues: 'ALL_OLD' }),
    );
    return Attributes ? ImageItemSchema.parse(Attributes) : undefined;
  }
}

/** The cursor is the index key of the last item, base64url JSON: opaque to clients, checked when it returns. */
function encodeCursor(key: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

function decodeCursor(cursor: string, partitionKey: string, partition: string): Record<string, string> {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError('cursor is not one this API returned');
  }
  // Exactly the key a page of this index ends on, {<partition key>, imageId}: DynamoDB refuses a start key with
  // other attributes or an empty value with a ValidationException, which would be our 500, not the client's 400.
  const fields = typeof key === 'object' && key !== null ? (key as Record<string, unknown>) : {};
  const valid =
    Object.keys(fields).length === 2 &&
    fields[partitionKey] === partition &&
    typeof fields.imageId === 'string' &&
    isImageId(fields.imageId);
  if (!valid) throw new InvalidCursorError('cursor is not one this API returned, or belongs to another filter');
  return { [partitionKey]: partition, imageId: fields.imageId as string };
}
