import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type Crop, isFullFrame } from '../core/crop';
import type { Rotation } from '../core/options';
import type { RotationSent } from './image-item';

/** One request's ask for a crop of an image (`PUT` or `DELETE /images/{id}/crop`), as the store writes it. */
export interface CropAsk {
  imageId: string;
  /** The owner the record had when the request read it: the write names it, as every owner's edit does. */
  owner: string | undefined;
  /** The crop, of the picture before its owner's turn (core/crop.ts); the whole picture for none. */
  crop: Crop;
  /** The turn the request read, which made `crop` of the upright picture it was asked of: the write requires it. */
  rotation: Rotation;
  /** This request's message: when it is sent (also the record's `updatedAt`), and its token. */
  sent: RotationSent;
  /** A message for this crop sent before this time is taken as lost: the request may send it again. */
  resendBefore: string;
}

/** As a rotation's (rotation-ask.ts): `cropped` (the crop changed), `resend` (a lost message), or false. */
export type CropAsked = 'cropped' | 'resend' | false;

/**
 * Ask for a crop in one conditional UpdateItem, exactly as a turn is asked (rotation-ask.ts, which says why): it
 * sets `crop`, `cropSent` and `updatedAt` while the record is PROCESSED, still the owner's the request read, still
 * turned as the request read it (the crop was made of that upright picture), and either has another crop, or has
 * this one not yet made (`cropApplied`) with no message sent since `resendBefore`. DynamoDB compares maps whole; the
 * crop's numbers are normalised (core/crop.ts), so the same crop is the same map.
 */
export async function askCrop(
  client: Pick<DynamoDBDocumentClient, 'send'>,
  tableName: string,
  ask: CropAsk,
): Promise<CropAsked> {
  const names: Record<string, string> = {
    '#status': 'status',
    '#owner': 'owner',
    '#rotation': 'rotation',
    '#crop': 'crop',
    '#applied': 'cropApplied',
    '#sent': 'cropSent',
    '#at': 'at',
    '#updatedAt': 'updatedAt',
  };
  const values: Record<string, unknown> = {
    ':processed': 'PROCESSED',
    ':crop': ask.crop,
    ':turn': ask.rotation,
    ':sent': ask.sent,
    ':now': ask.sent.at,
    ':before': ask.resendBefore,
  };
  if (ask.owner !== undefined) values[':owner'] = ask.owner;
  const owned = ask.owner === undefined ? 'attribute_not_exists(#owner)' : '#owner = :owner';
  const turned = ask.rotation === 0 ? '(attribute_not_exists(#rotation) OR #rotation = :turn)' : '#rotation = :turn';
  const lost = '(attribute_not_exists(#sent) OR #sent.#at < :before)';
  const condition =
    `#status = :processed AND ${owned} AND ${turned} AND ` +
    `(${otherCrop('#crop', ask.crop)} OR (${otherCrop('#applied', ask.crop)} AND ${lost}))`;
  try {
    const { Attributes } = await client.send(
      new UpdateCommand({
        TableName: tableName,
        Key: { imageId: ask.imageId },
        UpdateExpression: 'SET #crop = :crop, #sent = :sent, #updatedAt = :now',
        ConditionExpression: condition,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ReturnValues: 'ALL_OLD',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return sameMap(Attributes?.crop, ask.crop) ? 'resend' : 'cropped';
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    // This very write, landed by an earlier attempt whose answer was lost: its message is still this request's.
    return error.Item?.cropSent?.M?.token?.S === ask.sent.token ? 'cropped' : false;
  }
}

/** The crop an attribute held (absent: none) is `crop`. */
function sameMap(held: unknown, crop: Crop): boolean {
  if (held === undefined) return isFullFrame(crop);
  const h = held as Crop;
  return h.left === crop.left && h.top === crop.top && h.width === crop.width && h.height === crop.height;
}

/**
 * The attribute says another crop than `crop`, an absent one being none (the whole picture): spelled for each side,
 * as rotation-ask.ts spells a turn.
 */
export function otherCrop(attribute: string, crop: Crop, value = ':crop'): string {
  return isFullFrame(crop)
    ? `(attribute_exists(${attribute}) AND ${attribute} <> ${value})`
    : `(attribute_not_exists(${attribute}) OR ${attribute} <> ${value})`;
}

/** The attribute says `crop`, an absent one being none. */
export function sameCrop(attribute: string, crop: Crop, value = ':crop'): string {
  return isFullFrame(crop)
    ? `(attribute_not_exists(${attribute}) OR ${attribute} = ${value})`
    : `${attribute} = ${value}`;
}

/** A crop message that could not be sent comes off, if it is still this request's (as unmarkRotationSent). */
export async function unmarkCropSent(
  client: Pick<DynamoDBDocumentClient, 'send'>,
  tableName: string,
  imageId: string,
  sent: RotationSent,
): Promise<void> {
  try {
    await client.send(
      new UpdateCommand({
        TableName: tableName,
        Key: { imageId },
        UpdateExpression: 'REMOVE #sent',
        ConditionExpression: '#sent.#token = :token',
        ExpressionAttributeNames: { '#sent': 'cropSent', '#token': 'token' },
        ExpressionAttributeValues: { ':token': sent.token },
      }),
    );
  } catch (error) {
    // Another request's message since, or the image gone: that one's mark stays.
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
}
