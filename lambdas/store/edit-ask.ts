import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { EditSent } from './image-item';
import { otherThan, type ReanalysingEdit, sameAs } from './reanalysing-edit';

/** One request's ask for an edit of an image (`PUT /images/{id}/rotation`, `.../crop`), as the store writes it. */
export interface EditAsk<V> {
  imageId: string;
  /** The owner the record had when the request read it: the write names it, as every owner's edit does. */
  owner: string | undefined;
  /** The value asked, as the record keeps it. */
  value: V;
  /** The values of the edits this one is made after (`edit.after`), as the request read them: the write requires them. */
  after: readonly { edit: ReanalysingEdit<unknown>; value: unknown }[];
  /** This request's message: when it is sent (also the record's `updatedAt`), and its token. */
  sent: EditSent;
  /** A message for this value sent before this time is taken as lost: the request may send it again. */
  resendBefore: string;
}

/**
 * What the write did: `changed` the record to the value asked (it had another), or took this request's message as the
 * one to `resend` for a value asked and not yet made whose message was lost; either way this request, and no other,
 * sends the image to the processor. False: neither (the record has that value and it is made, or its message is on
 * its way, or the record is not as the request read it), nothing written.
 */
export type EditAsked = 'changed' | 'resend' | false;

/**
 * Ask for an edit in one conditional UpdateItem, so that of any number of requests at once only one sends the image to
 * be analysed again: it sets the value (`rotation`), the mark of its message (`rotationSent`) and `updatedAt` while
 * the record is PROCESSED, still the owner's the request read, still as read in the edits this one is made after (a
 * crop, of the upright picture, requires the turn it was made of), and either has another value, or has this one not
 * yet made (`rotationApplied`) with no message sent since `resendBefore`. Concurrent requests read the same record,
 * but DynamoDB applies their writes one at a time: the first changes the value, and every other finds it changed and
 * its message fresh.
 * A write the SDK sent again because its answer was lost is refused on what its first attempt wrote: that one is known
 * by its token (`rotationSent.token`, the state on refusal coming back with the refusal) and answered as done. Its
 * time alone would not do: two requests in the same millisecond have the same.
 */
export async function askEdit<V>(
  client: Pick<DynamoDBDocumentClient, 'send'>,
  tableName: string,
  edit: ReanalysingEdit<V>,
  ask: EditAsk<V>,
): Promise<EditAsked> {
  const [value, applied, sent] = [`#${edit.name}`, `#${edit.applied}`, `#${edit.sent}`];
  const names: Record<string, string> = {
    '#status': 'status',
    '#owner': 'owner',
    [value]: edit.name,
    [applied]: edit.applied,
    [sent]: edit.sent,
    '#at': 'at',
    '#updatedAt': 'updatedAt',
  };
  const values: Record<string, unknown> = {
    ':processed': 'PROCESSED',
    [`:${edit.name}`]: ask.value,
    ':sent': ask.sent,
    ':now': ask.sent.at,
    ':before': ask.resendBefore,
  };
  if (ask.owner !== undefined) values[':owner'] = ask.owner;
  const owned = ask.owner === undefined ? 'attribute_not_exists(#owner)' : '#owner = :owner';
  const asRead = ask.after.map((read) => {
    names[`#${read.edit.name}`] = read.edit.name;
    values[`:${read.edit.name}`] = read.value;
    return `${sameAs(read.edit, `#${read.edit.name}`, read.value, `:${read.edit.name}`)} AND `;
  });
  const lost = `(attribute_not_exists(${sent}) OR ${sent}.#at < :before)`;
  const other = (attribute: string) => otherThan(edit, attribute, ask.value, `:${edit.name}`);
  const condition =
    `#status = :processed AND ${owned} AND ${asRead.join('')}` + `(${other(value)} OR (${other(applied)} AND ${lost}))`;
  try {
    const { Attributes } = await client.send(
      new UpdateCommand({
        TableName: tableName,
        Key: { imageId: ask.imageId },
        UpdateExpression: `SET ${value} = :${edit.name}, ${sent} = :sent, #updatedAt = :now`,
        ConditionExpression: condition,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        // The value before (absent for an image never edited so). The record as it was, since UPDATED_OLD may leave
        // out an attribute set to the value it had.
        ReturnValues: 'ALL_OLD',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return edit.same(Attributes?.[edit.name], ask.value) ? 'resend' : 'changed';
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    // This very write, landed by an earlier attempt whose answer was lost: its message is still this request's.
    return error.Item?.[edit.sent]?.M?.token?.S === ask.sent.token ? 'changed' : false;
  }
}

/**
 * A message that could not be sent is no message on its way: its mark is taken off (if it is still this request's),
 * so the request sent again finds none and sends it. Nothing else changes.
 */
export async function unmarkEditSent(
  client: Pick<DynamoDBDocumentClient, 'send'>,
  tableName: string,
  edit: ReanalysingEdit<unknown>,
  imageId: string,
  sent: EditSent,
): Promise<void> {
  try {
    await client.send(
      new UpdateCommand({
        TableName: tableName,
        Key: { imageId },
        UpdateExpression: 'REMOVE #sent',
        ConditionExpression: '#sent.#token = :token',
        ExpressionAttributeNames: { '#sent': edit.sent, '#token': 'token' },
        ExpressionAttributeValues: { ':token': sent.token },
      }),
    );
  } catch (error) {
    // Another request's message since, or the image gone: that one's mark stays.
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
}
