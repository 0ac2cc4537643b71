import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { BoxSchema } from '../core/vision-schema';
import { PERSON_ID_PATTERN, type Person } from './contract';
import type { FaceIndex, TransactItem } from './face-index';
import { imageFacesKey, personKey } from './table-design';

/** What the people store's parts share: the table, its index of faces, and the clock. */
export interface PeopleTable {
  client: DynamoDBDocumentClient;
  tableName: string;
  index: FaceIndex;
  now: () => string;
}

/**
 * Every item of an image's faces partition (its faces and their unassigned corrections, tens of items), read
 * consistently: what the grouping and a resolve's carry-over read of what its owner said of each face.
 */
export async function imageFaceItems(
  table: Pick<PeopleTable, 'client' | 'tableName'>,
  owner: string,
  imageId: string,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const { Items = [], LastEvaluatedKey } = await table.client.send(
      new QueryCommand({
        TableName: table.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': imageFacesKey(owner, imageId) },
        ConsistentRead: true,
        ExclusiveStartKey: startKey,
      }),
    );
    items.push(...Items);
    startKey = LastEvaluatedKey;
  } while (startKey !== undefined);
  return items;
}

/** Which face a person shows: the image, the face's index in it (so a deleted face can be recognised), the box. */
export const CoverSchema = z.object({ imageId: z.string(), face: z.number().int().min(0), box: BoxSchema });
export type Cover = z.infer<typeof CoverSchema>;

/**
 * A person item as stored (table-design.ts). `revision` goes up with every write, and every write is conditional
 * on the revision it read: a person is changed by grouping, deletes, renames and merges at once, and none of them
 * may overwrite another's count or list. A merged person keeps `mergedInto` (the person it now is) and nothing
 * listed; its target's `mergedFrom` lists every person merged into it, directly or through another, so following
 * `mergedInto` once always reaches a person that is not merged.
 */
export const PersonItemSchema = z.object({
  personId: z.string(),
  name: z.string().nullable(),
  faceCount: z.number().int(),
  cover: CoverSchema,
  mergedInto: z.string().optional(),
  mergedFrom: z.array(z.string()).optional(),
  /**
   * The ids of `mergedFrom` whose images may still carry them (their records and `person=` postings not yet
   * re-pointed to this person: merged-images.ts); a search reads their postings beside this person's own. Absent on
   * a person merged before merges re-pointed images: every id of `mergedFrom`.
   */
  repointing: z.array(z.string()).optional(),
  /** Hidden by its owner (`PATCH /people/{id}` `hidden`): listed under the hidden list keys, not the people list. */
  hidden: z.boolean().optional(),
  /**
   * Deleted by its owner (`DELETE /people/{id}`): kept as a marker, without name or list keys, so that its faces
   * (which still name it) read as unassigned and neither grouping nor a re-cluster makes the person again.
   */
  deletedAt: z.string().optional(),
  revision: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type PersonItem = z.infer<typeof PersonItemSchema>;

/** What the API answers of a person item (its listed attributes: what `byOwnerPeople` projects). */
export function toPerson(
  item: Pick<PersonItem, 'personId' | 'name' | 'faceCount' | 'cover' | 'createdAt' | 'updatedAt' | 'hidden'>,
): Person {
  const { imageId, box } = item.cover;
  return {
    personId: item.personId,
    name: item.name,
    faceCount: item.faceCount,
    cover: { imageId, box },
    ...(item.hidden ? { hidden: true as const } : {}),
    createdAt: item.createdAt,
    updatedAt: item.updatedAt,
  };
}

/**
 * The ids whose `person=` postings a search for this person reads: its own, and those merged into it whose images
 * are not re-pointed yet (none once a merge's re-pointing is done): one term, however many people were merged.
 */
export function searchIdsOf(person: Pick<PersonItem, 'personId' | 'mergedFrom' | 'repointing'>): string[] {
  return [person.personId, ...(person.repointing ?? person.mergedFrom ?? [])];
}

/** The person item of this id, as stored (merged or not), read consistently; undefined for an id of no person. */
export async function readPerson(table: PeopleTable, owner: string, personId: string): Promise<PersonItem | undefined> {
  if (!PERSON_ID_PATTERN.test(personId)) return undefined;
  const { Item } = await table.client.send(
    new GetCommand({ TableName: table.tableName, Key: personKey(owner, personId), ConsistentRead: true }),
  );
  return Item === undefined ? undefined : PersonItemSchema.parse(Item);
}

/**
 * The person an id now is: itself, or the one it was merged into (one hop, merges flatten); undefined for an id of
 * no person, or of a person its owner deleted (`deletedPerson` tells that case apart).
 */
export async function resolvePerson(
  table: PeopleTable,
  owner: string,
  personId: string,
): Promise<PersonItem | undefined> {
  const person = await resolveAny(table, owner, personId);
  return person?.deletedAt === undefined ? person : undefined;
}

/** Does this id lead (through `mergedInto`) to a person its owner deleted? Its faces are then unassigned. */
export async function deletedPerson(table: PeopleTable, owner: string, personId: string): Promise<boolean> {
  return (await resolveAny(table, owner, personId))?.deletedAt !== undefined;
}

async function resolveAny(table: PeopleTable, owner: string, personId: string): Promise<PersonItem | undefined> {
  const item = await readPerson(table, owner, personId);
  if (item?.mergedInto === undefined) return item;
  const target = await readPerson(table, owner, item.mergedInto);
  return target?.mergedInto === undefined ? target : undefined;
}

/**
 * Run one transaction. Answers the cancellation reasons' codes, by request, when DynamoDB cancelled it (a condition
 * failed, or another transaction held one of its items), and undefined when it was written.
 */
export async function transact(table: PeopleTable, items: TransactItem[]): Promise<string[] | undefined> {
  try {
    await table.client.send(new TransactWriteCommand({ TransactItems: items }));
    return undefined;
  } catch (error) {
    if (!(error instanceof TransactionCanceledException)) throw error;
    return (error.CancellationReasons ?? []).map((reason) => reason.Code ?? 'None');
  }
}

/** Attempts of a read-then-conditional-write before giving up on a person changed that often meanwhile. */
export const WRITE_ATTEMPTS = 8;

/** A person changed under every attempt to write it (WRITE_ATTEMPTS): the caller's retry starts again. */
export class PersonContentionError extends Error {
  override readonly name = 'PersonContentionError';
}

/** The condition of a write that read this revision of the person. */
export function sameRevision(item: PersonItem) {
  return {
    ConditionExpression: 'revision = :revision',
    ExpressionAttributeValues: { ':revision': item.revision },
  };
}

/**
 * An update of the person as it was read (`before`): `set` (and `remove`) these attributes, with `updatedAt` and the
 * next revision, only while the person is still at `before`'s revision (else ConditionalCheckFailed: read it again).
 */
export function personUpdate(
  table: PeopleTable,
  owner: string,
  before: PersonItem,
  set: Record<string, unknown>,
  { remove = [], now = table.now() }: { remove?: readonly string[]; now?: string } = {},
) {
  const condition = sameRevision(before);
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = { ...condition.ExpressionAttributeValues, ':now': now };
  const sets = Object.entries(set).map(([name, value], i) => {
    names[`#s${i}`] = name;
    values[`:s${i}`] = value;
    return `#s${i} = :s${i}`;
  });
  values[':next'] = before.revision + 1;
  const removed = remove.map((name, i) => {
    names[`#r${i}`] = name;
    return `#r${i}`;
  });
  return {
    TableName: table.tableName,
    Key: personKey(owner, before.personId),
    UpdateExpression: `SET ${[...sets, 'updatedAt = :now', 'revision = :next'].join(', ')}${
      removed.length > 0 ? ` REMOVE ${removed.join(', ')}` : ''
    }`,
    ConditionExpression: condition.ConditionExpression,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}
