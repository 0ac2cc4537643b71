import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConflictError, TooManyRequestsError } from '../shared/errors';
import type { ImageItem } from './image-item';

/*
 * What one caller may ask of renditions, counted where the API signs them (POST /images/{id}/renditions), so a
 * legitimate user cannot grow the bill without bound: signings per owner per minute (each a render and a stored
 * object once fetched), and custom specs per image (each stored, in up to one object per allowed format).
 *
 * Both live in the results table, which is keyed on `imageId` alone:
 * - a counter item per owner per minute, `RATE#<owner>#<minute>`, added to with a condition and expiring by TTL a
 *   minute after its minute; no list index key, so it is in no index. One owner's key takes at most the limit's
 *   writes a minute: no hot partition, whatever the deployment's size;
 * - the image's own record holds the short hashes of the custom specs signed for it (`renditionSpecs`), appended
 *   with a condition that holds it to the cap, so two signings at once cannot both pass it.
 */

export interface RenditionQuotaLimits {
  /** `renditionsPerMinute`: custom rendition URLs one owner may have signed per minute. */
  perMinute: number;
  /** `renditionsPerImage`: different custom specs one image may have. */
  perImage: number;
}

/** The key of an owner's counter for the minute `now` falls in. */
export function rateKey(owner: string, now: Date): { imageId: string; minute: number } {
  const minute = Math.floor(now.getTime() / 60_000);
  return { imageId: `RATE#${owner}#${minute}`, minute };
}

export class RenditionQuota {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly limits: RenditionQuotaLimits,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Counts one signing for `owner` in this minute: a 429 saying when to try again once past the limit. */
  async countSigning(owner: string): Promise<void> {
    const now = this.now();
    const { imageId, minute } = rateKey(owner, now);
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { imageId },
          UpdateExpression: 'ADD signings :one SET expiresAt = if_not_exists(expiresAt, :expires)',
          ConditionExpression: 'attribute_not_exists(signings) OR signings < :limit',
          ExpressionAttributeValues: { ':one': 1, ':limit': this.limits.perMinute, ':expires': (minute + 2) * 60 },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const wait = Math.max(1, Math.ceil(((minute + 1) * 60_000 - now.getTime()) / 1000));
      throw new TooManyRequestsError(
        `renditions: ${this.limits.perMinute} custom rendition URLs a minute is the most this deployment signs for ` +
          `one owner (renditionsPerMinute); try again in ${wait} s`,
        wait,
      );
    }
  }

  /**
   * Admits a custom spec (its short hash, `specHash`) for the image: free when the image has it already, else
   * added while the image has fewer than the cap, else a 409 naming the cap and what to do instead.
   */
  async admitSpec(item: ImageItem, specHash: string): Promise<void> {
    if (item.renditionSpecs?.includes(specHash)) return;
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { imageId: item.imageId },
          UpdateExpression: 'SET renditionSpecs = list_append(if_not_exists(renditionSpecs, :none), :spec)',
          ConditionExpression:
            'attribute_exists(imageId) AND (attribute_not_exists(renditionSpecs) OR ' +
            '(size(renditionSpecs) < :cap AND NOT contains(renditionSpecs, :hash)))',
          ExpressionAttributeValues: {
            ':none': [],
            ':spec': [specHash],
            ':cap': this.limits.perImage,
            ':hash': specHash,
          },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const held = (error.Item?.renditionSpecs as { L?: { S?: string }[] } | undefined)?.L?.map((entry) => entry.S);
      if (held?.includes(specHash)) return; // signed at the same moment by another request
      throw new ConflictError(
        `renditions: image ${item.imageId} has ${this.limits.perImage} custom renditions, the most this deployment ` +
          'keeps of one image (renditionsPerImage): ask for one of those again (that is free), or use a preset',
      );
    }
  }
}
