import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ImageItem } from './image-item';

/*
 * The one shape of write an image's record takes after its first: an update of some attributes on a condition
 * (the version the writer read, the object version it processed), which answers false when the condition found the
 * record changed, so the caller reads again or says so. ImageStore's writes are all built on it.
 */

export interface ConditionalUpdate {
  sets: readonly string[];
  removes?: readonly string[];
  condition: string;
  names?: Record<string, string>;
  values: Record<string, unknown>;
}

/**
 * One conditional update of an image's item: false when its condition found it changed, else the attributes asked
 * back. A write that sets `updatedAt = :now` and finds the record already at that `updatedAt` is this very write
 * landed by an earlier attempt: the SDK sends a request again when its answer was lost (a 500, a reset connection),
 * and the retry's condition then fails on what the first attempt wrote. That is answered as done, not as a change
 * by someone else (an owner's edit answered 409 "try again" for nothing); the record's state on failure comes back
 * with the failure (ReturnValuesOnConditionCheckFailure), without a read.
 */
export async function updateImageIf(
  client: DynamoDBDocumentClient,
  tableName: string,
  imageId: string,
  update: ConditionalUpdate,
  returnValues: 'NONE' | 'ALL_OLD' = 'NONE',
): Promise<false | Record<string, unknown> | undefined> {
  const { sets, removes = [], condition, names, values } = update;
  try {
    const { Attributes } = await client.send(
      new UpdateCommand({
        TableName: tableName,
        Key: { imageId },
        UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
        ConditionExpression: condition,
        ...(names && Object.keys(names).length > 0 && { ExpressionAttributeNames: names }),
        ExpressionAttributeValues: values,
        ReturnValues: returnValues,
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return Attributes;
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    const now = values[':now'];
    const landed = typeof now === 'string' && sets.includes('updatedAt = :now') && error.Item?.updatedAt?.S === now;
    // Asked for the attributes before the write, a retry cannot give them: the caller reads again, as for a change.
    return landed && returnValues === 'NONE' ? undefined : false;
  }
}

/**
 * An owner's change of some fields (a label or people correction, a place correction, an edit): each set, or removed
 * when undefined, with the record's terms and `updatedAt`, on the condition that the record is as it was read
 * (`updatedAt` then). Every field by its alias (`position` is a DynamoDB reserved word).
 */
export function ownerFieldsUpdate(
  item: Pick<ImageItem, 'updatedAt' | 'indexedTerms' | 'unindexTerms'>,
  fields: Record<string, unknown>,
  seenUpdatedAt: string,
): ConditionalUpdate {
  const sets = ['indexedTerms = :terms', 'updatedAt = :now'];
  const removes: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {
    ':terms': item.indexedTerms ?? [],
    ':now': item.updatedAt,
    ':seen': seenUpdatedAt,
  };
  for (const [name, value] of Object.entries(fields)) {
    names[`#${name}`] = name;
    if (value === undefined) removes.push(`#${name}`);
    else {
      sets.push(`#${name} = :${name}`);
      values[`:${name}`] = value;
    }
  }
  if (item.unindexTerms) {
    sets.push('unindexTerms = :stale');
    values[':stale'] = item.unindexTerms;
  }
  return { sets, removes, condition: 'updatedAt = :seen', names, values };
}
