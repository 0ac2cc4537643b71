import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Rotation } from '../core/options';
import type { RotationSent } from './image-item';

/** One request's ask for a turn of an image (`PUT /images/{id}/rotation`), as the store writes it. */
export interface RotationAsk {
  imageId: string;
  /** The owner the record had when the request read it: the write names it, as every owner's edit does. */
  owner: string | undefined;
  rotation: Rotation;
  /** This request's message: when it is sent (also the record's `updatedAt`), and its token. */
  sent: RotationSent;
  /** A message for this turn sent before this time is taken as lost: the request may send it again. */
  resendBefore: string;
}

/**
 * What the write did: `turned` the record to the rotation asked (it had another), or took this request's message as
 * the one to `resend` for a turn asked and not yet made whose message was lost; either way this request, and no
 * other, sends the image to the processor. False: neither (the record has that turn and it is made, or its message
 * is on its way, or the record is not as the request read it), nothing written.
 */
export type RotationAsked = 'turned' | 'resend' | false;

/**
 * Ask for a turn in one conditional UpdateItem, so that of any number of requests at once only one sends the image to
 * be analysed again: it sets `rotation`, `rotationSent` and `updatedAt` while the record is PROCESSED, still the owner's
 * the request read, and either has another rotation, or has this one not yet made (`rotationApplied`) with no message
 * sent since `resendBefore`. Concurrent requests read the same record, but DynamoDB applies their writes one at a
 * time: the first changes the rotation, and every other finds it changed and its message fresh.
 * A write the SDK sent again because its answer was lost is refused on what its first attempt wrote: that one is known
 * by its token (`rotationSent.token`, the state on refusal coming back with the refusal) and answered as done. Its
 * time alone would not do: two requests in the same millisecond have the same.
 */
export async function askRotation(
  client: Pick<DynamoDBDocumentClient, 'send'>,
  tableName: string,
  ask: RotationAsk,
): Promise<RotationAsked> {
  const names: Record<string, string> = {
    '#status': 'status',
    '#owner': 'owner',
    '#rotation': 'rotation',
    '#applied': 'rotationApplied',
    '#sent': 'rotationSent',
    '#at': 'at',
    '#updatedAt': 'updatedAt',
  };
  const values: Record<string, unknown> = {
    ':processed': 'PROCESSED',
    ':turn': ask.rotation,
    ':sent': ask.sent,
    ':now': ask.sent.at,
    ':before': ask.resendBefore,
  };
  if (ask.owner !== undefined) values[':owner'] = ask.owner;
  const owned = ask.owner === undefined ? 'attribute_not_exists(#owner)' : '#owner = :owner';
  const lost = '(attribute_not_exists(#sent) OR #sent.#at < :before)';
  const condition =
    `#status = :processed AND ${owned} AND ` +
    `(${otherThan('#rotation', ask.rotation)} OR (${otherThan('#applied', ask.rotation)} AND ${lost}))`;
  try {
    const { Attributes } = await client.send(
      new UpdateCommand({
        TableName: tableName,
        Key: { imageId: ask.imageId },
        UpdateExpression: 'SET #rotation = :turn, #sent = :sent, #updatedAt = :now',
        ConditionExpression: condition,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        // The rotation before (absent, or `0`, for an image that was not turned). The record as it was, since
        // UPDATED_OLD may leave out an attribute set to the value it had.
        ReturnValues: 'ALL_OLD',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return (Attributes?.rotation ?? 0) === ask.rotation ? 'resend' : 'turned';
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    // This very write, landed by an earlier attempt whose answer was lost: its message is still this request's.
    return error.Item?.rotationSent?.M?.token?.S === ask.sent.token ? 'turned' : false;
  }
}

/**
 * The attribute says another turn than `turn`, an absent one being none (0): spelled for each side, whatever DynamoDB
 * makes of `<>` on an attribute that is not there.
 */
function otherThan(attribute: string, turn: Rotation): string {
  return turn === 0
    ? `(attribute_exists(${attribute}) AND ${attribute} <> :turn)`
    : `(attribute_not_exists(${attribute}) OR ${attribute} <> :turn)`;
}

/**
 * A message that could not be sent is no message on its way: its mark is taken off (if it is still this request's),
 * so the request sent again finds none and sends it. Nothing else changes.
 */
export async function unmarkRotationSent(
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
        ExpressionAttributeNames: { '#sent': 'rotationSent', '#token': 'token' },
        ExpressionAttributeValues: { ':token': sent.token },
      }),
    );
  } catch (error) {
    // Another request's message since, or the image gone: that one's mark stays.
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
}
