import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type ImageItem, ImageItemSchema } from './image-item';
import { ownerSha256, shardAttributes } from './list-shards';

/** What moving an image to the trash writes, besides its status. */
export interface TrashMove {
  /** When it happens: the record's `trashedAt` and `updatedAt`. */
  at: string;
  /** When the scheduled purge may delete it. */
  purgeAt: string;
}

/**
 * The trash's writes on the results table. A TRASHED item keeps every attribute a restore needs (its terms, its
 * thumbnails, its people) and loses the keys that list it anywhere but the trash:
 * - `listShard` and `ownerShard` go, so it leaves `byCreatedSharded`, `byOwnerSharded` and every index keyed on them
 *   (the timeline's `byOwnerTakenSharded` too);
 * - `statusShard` and `ownerStatusShard` say `TRASHED`, so `byStatusSharded` and `byOwnerStatusSharded` under that
 *   status are the trash (the purge's and `GET /images?status=TRASHED`'s), with no index of its own;
 * - `ownerSha256` goes, so a trashed image is no duplicate of a new upload (`byOwnerSha256`).
 * An archived image's `ownerShard` (its archive's key) goes likewise, and a restore files it back in its archive.
 * A locked image's trash keys stay in its locked folder (`<owner>#LOCKED#TRASHED#<n>`): its owner's trash list does
 * not show it, and a restore files it back in the locked folder (list-shards.ts).
 * Both writes are conditional on the record being as it was read (`updatedAt`): one that raced a processing run or
 * another request writes nothing and answers undefined, and the caller reads again. A restore is also conditional on
 * no purge having begun (`purging`, set by `claimForPurge`), so a record never comes back while its objects go.
 */
export class ImageTrash {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Move the image to the trash; answers the record as it is now, or undefined when it changed since `item`. */
  async trash(item: ImageItem, move: TrashMove): Promise<ImageItem | undefined> {
    if (item.status === 'TRASHED') throw new Error(`image ${item.imageId} is already in the trash`);
    const keys = shardAttributes(item.imageId, 'TRASHED', item.owner, item);
    return this.update(
      item,
      {
        status: 'TRASHED',
        trashedFrom: item.status,
        trashedAt: move.at,
        purgeAt: move.purgeAt,
        updatedAt: move.at,
        statusShard: keys.statusShard,
        ownerStatusShard: keys.ownerStatusShard,
      },
      ['listShard', 'ownerShard', 'ownerSha256'],
    );
  }

  /** Put a trashed image back as it was; answers the record as it is now, or undefined when it changed since `item`. */
  async restore(item: ImageItem, at: string): Promise<ImageItem | undefined> {
    const status = item.trashedFrom;
    if (item.status !== 'TRASHED' || status === undefined) throw new Error(`image ${item.imageId} is not in the trash`);
    const keys = shardAttributes(item.imageId, status, item.owner, item);
    const content =
      item.owner !== undefined && item.sha256 !== undefined ? ownerSha256(item.owner, item.sha256) : undefined;
    return this.update(item, { ...keys, status, updatedAt: at, ownerSha256: content }, [
      'trashedFrom',
      'trashedAt',
      'purgeAt',
    ]);
  }

  /**
   * Mark a trashed image as being purged, before anything of it is deleted; false when it is no longer in the trash
   * (restored, or deleted). Marking one already marked (a retried purge) is true.
   */
  async claimForPurge(imageId: string): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { imageId },
          UpdateExpression: 'SET #purging = :true',
          ConditionExpression: '#status = :trashed',
          ExpressionAttributeNames: { '#purging': 'purging', '#status': 'status' },
          ExpressionAttributeValues: { ':true': true, ':trashed': 'TRASHED' },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  private async update(
    item: ImageItem,
    set: Record<string, unknown>,
    remove: readonly string[],
  ): Promise<ImageItem | undefined> {
    const names: Record<string, string> = { '#seen': 'updatedAt', '#status': 'status', '#purging': 'purging' };
    const values: Record<string, unknown> = { ':seen': item.updatedAt, ':was': item.status };
    const sets = Object.entries(set)
      .filter(([, value]) => value !== undefined)
      .map(([name, value], i) => {
        names[`#s${i}`] = name;
        values[`:s${i}`] = value;
        return `#s${i} = :s${i}`;
      });
    const removes = remove.map((name, i) => {
      names[`#r${i}`] = name;
      return `#r${i}`;
    });
    try {
      const { Attributes } = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { imageId: item.imageId },
          UpdateExpression: `SET ${sets.join(', ')} REMOVE ${removes.join(', ')}`,
          ConditionExpression: '#seen = :seen AND #status = :was AND attribute_not_exists(#purging)',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
        }),
      );
      return ImageItemSchema.parse(Attributes);
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return undefined;
      throw error;
    }
  }
}
