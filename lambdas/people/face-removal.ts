import { DeleteCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { BoxSchema } from '../core/vision-schema';
import type { DescribedFace } from './contract';
import { decodeDescriptor } from './descriptor';
import type { TransactItem } from './face-index';
import {
  type Cover,
  deletedPerson,
  type PeopleTable,
  PersonContentionError,
  type PersonItem,
  personUpdate,
  readPerson,
  resolvePerson,
  sameRevision,
  transact,
  WRITE_ATTEMPTS,
} from './person-item';
import {
  faceKey,
  faceNumber,
  imageFacesKey,
  listKeys,
  memberKey,
  personKey,
  personPartition,
  UNASSIGNED,
  unassignedKey,
} from './table-design';

/** A face item as stored (table-design.ts). */
export const FaceItemSchema = z.object({
  imageId: z.string(),
  face: z.number().int(),
  box: BoxSchema,
  descriptor: z.instanceof(Uint8Array).optional(),
  rekognitionFaceId: z.string().optional(),
  /** Absent on an unassigned face (face-corrections.ts): it is in no person and no index. */
  personId: z.string().optional(),
  /**
   * `owner`: its owner gave it its person (face-assignment.ts), or drew it; a re-cluster leaves it as it is. Such a
   * face may have no descriptor (drawn, or found too small to describe): it is then in no index.
   */
  source: z.literal('owner').optional(),
});
export type FaceItem = z.infer<typeof FaceItemSchema>;
/** A face item of a person. */
export type AssignedFace = FaceItem & { personId: string };

/**
 * Remove an image's faces (its delete), each in a transaction of its own:
 * 1. read the image's face items (none: nothing to do, as on a second run);
 * 2. per face: delete the face item (only if still there), the person's record of it and its index entries, and
 *    take it off its person (through `mergedInto`): one face fewer, a new cover if it was the cover (the person's
 *    next face), or the person deleted when it has no face left;
 * 3. a deleted person's merged ids, which now lead nowhere, are deleted after it.
 * A face another run removed first is skipped, so running it twice counts each face off once.
 */
export async function deleteImageFaces(
  table: PeopleTable,
  owner: string,
  imageId: string,
  options: RemovalOptions = {},
): Promise<void> {
  const faces = await imageFaces(table, owner, imageId);
  for (const face of faces) {
    // A re-cluster groups what the analysis found again; the owner's word on a face stays as it is.
    if (options.keepEmptyPeople && face.source === 'owner') continue;
    await removeFace(table, owner, face, options);
  }
  // The image goes: so do its corrections. A re-cluster (`keepEmptyPeople`) keeps them for the grouping after it.
  if (!options.keepEmptyPeople) await deleteCorrections(table, owner, imageId);
}

/** Delete the image's unassigned-face corrections (after its faces, so a retry still finds what it needs). */
async function deleteCorrections(table: PeopleTable, owner: string, imageId: string): Promise<void> {
  const { Items = [] } = await table.client.send(
    new QueryCommand({
      TableName: table.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :unassigned)',
      ExpressionAttributeValues: { ':pk': imageFacesKey(owner, imageId), ':unassigned': UNASSIGNED },
      ConsistentRead: true,
    }),
  );
  for (const item of Items) {
    await table.client.send(new DeleteCommand({ TableName: table.tableName, Key: { pk: item.pk, sk: item.sk } }));
  }
}

export interface RemovalOptions {
  /**
   * Keep a person left with no face (a re-cluster, which groups the image's faces again at once): it keeps its name
   * and merged ids, leaves the list and answers 404 until a face joins it again, as the face that founded it does
   * when it founds again (a person's id is its founding face's). Default false: the person is deleted.
   */
  keepEmptyPeople?: boolean;
}

export async function imageFaces(table: PeopleTable, owner: string, imageId: string): Promise<FaceItem[]> {
  const faces: FaceItem[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const { Items = [], LastEvaluatedKey } = await table.client.send(
      new QueryCommand({
        TableName: table.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :face)',
        ExpressionAttributeValues: { ':pk': imageFacesKey(owner, imageId), ':face': 'FACE#' },
        ConsistentRead: true,
        ExclusiveStartKey: startKey,
      }),
    );
    faces.push(...Items.map((item) => FaceItemSchema.parse(item)));
    startKey = LastEvaluatedKey;
  } while (startKey !== undefined);
  return faces;
}

/** The face as the index takes it, from its stored item. */
export function describedOf(face: FaceItem): DescribedFace {
  return {
    face: face.face,
    box: face.box,
    ...(face.descriptor === undefined ? {} : { descriptor: decodeDescriptor(face.descriptor) }),
    ...(face.rekognitionFaceId === undefined ? {} : { rekognitionFaceId: face.rekognitionFaceId }),
  };
}

/** The Deletes that take a face out of the index; none for a face without a descriptor (drawn by its owner). */
export async function indexRemoval(table: PeopleTable, owner: string, face: FaceItem): Promise<TransactItem[]> {
  if (face.descriptor === undefined && face.rekognitionFaceId === undefined) return [];
  return table.index.remove(owner, face.imageId, describedOf(face));
}

async function removeFace(table: PeopleTable, owner: string, face: FaceItem, options: RemovalOptions): Promise<void> {
  if (face.personId === undefined) {
    // Unassigned: in no person and no index already.
    await table.client.send(
      new DeleteCommand({ TableName: table.tableName, Key: faceKey(owner, face.imageId, face.face) }),
    );
    return;
  }
  const assigned = { ...face, personId: face.personId };
  const unindexed = await indexRemoval(table, owner, face);
  // A re-cluster of a face whose person its owner deleted: the face stays unassigned when it is grouped again.
  const remembered =
    options.keepEmptyPeople && (await deletedPerson(table, owner, face.personId))
      ? [unassignedCorrection(table, owner, assigned, [face.personId])]
      : [];
  for (let attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
    const person = await resolvePerson(table, owner, face.personId);
    const change = person === undefined ? undefined : await personWithout(table, owner, person, assigned, options);
    const items: TransactItem[] = [
      {
        Delete: {
          TableName: table.tableName,
          Key: faceKey(owner, face.imageId, face.face),
          ConditionExpression: 'attribute_exists(pk)',
        },
      },
      { Delete: { TableName: table.tableName, Key: memberKey(owner, face.personId, face.imageId, face.face) } },
      ...unindexed,
      ...remembered,
      ...(change === undefined ? [] : [change.write]),
    ];
    const cancelled = await transact(table, items);
    if (cancelled === undefined) {
      if (change?.deleted && person) await deleteMergedIds(table, owner, person);
      return;
    }
    // Removed by another run already.
    if (cancelled[0] === 'ConditionalCheckFailed') return;
  }
  throw new PersonContentionError(`face ${face.face} of image ${face.imageId}: its person changed under every attempt`);
}

/** The correction that keeps a face unassigned, naming the people it is not (kept through re-clusters). */
export function unassignedCorrection(
  table: PeopleTable,
  owner: string,
  face: FaceItem,
  notPeople: readonly string[],
): TransactItem {
  const item = { ...unassignedKey(owner, face.imageId, face.face), face: face.face, notPeople, at: table.now() };
  return { Put: { TableName: table.tableName, Item: item } };
}

/** The write that takes the face off its person, and whether it deletes the person. */
export async function personWithout(
  table: PeopleTable,
  owner: string,
  person: PersonItem,
  face: AssignedFace,
  options: RemovalOptions,
): Promise<{ write: TransactItem; deleted: boolean }> {
  const faceCount = person.faceCount - 1;
  const wasCover = person.cover.imageId === face.imageId && person.cover.face === face.face;
  const cover = faceCount <= 0 ? undefined : wasCover ? await nextFace(table, owner, person, face) : person.cover;
  const key = personKey(owner, person.personId);
  if (cover === undefined && options.keepEmptyPeople) return { write: emptied(table, owner, person), deleted: false };
  if (cover === undefined) {
    return { write: { Delete: { TableName: table.tableName, Key: key, ...sameRevision(person) } }, deleted: true };
  }
  const set = { faceCount, ...listKeys(owner, person.personId, faceCount, person.hidden), cover };
  return { write: { Update: personUpdate(table, owner, person, set) }, deleted: false };
}

/** A person with no face left, kept (`keepEmptyPeople`): no count, off the list, the rest as it was. */
function emptied(table: PeopleTable, owner: string, person: PersonItem): TransactItem {
  const remove = ['peopleShard', 'peopleRank'];
  return { Update: personUpdate(table, owner, person, { faceCount: 0 }, { remove }) };
}

/**
 * The person's first face other than `removed`, from its own records, then its merged people's (whose faces keep
 * their records under the id they joined). Reads two records of each at most: one may be the face removed.
 */
async function nextFace(
  table: PeopleTable,
  owner: string,
  person: PersonItem,
  removed: FaceItem,
): Promise<Cover | undefined> {
  const removedKey = `FACE#${removed.imageId}#${faceNumber(removed.face)}`;
  for (const personId of [person.personId, ...(person.mergedFrom ?? [])]) {
    const { Items = [] } = await table.client.send(
      new QueryCommand({
        TableName: table.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :face)',
        ExpressionAttributeValues: { ':pk': personPartition(owner, personId), ':face': 'FACE#' },
        ConsistentRead: true,
        Limit: 2,
      }),
    );
    const next = Items.find((item) => item.sk !== removedKey);
    if (next !== undefined) return { imageId: next.imageId, face: next.face, box: next.box };
  }
  return undefined;
}

/** The ids merged into a deleted person: they lead nowhere now. Each is deleted only if it still leads there. */
export async function deleteMergedIds(table: PeopleTable, owner: string, person: PersonItem): Promise<void> {
  for (const merged of person.mergedFrom ?? []) {
    const item = await readPerson(table, owner, merged);
    if (item?.mergedInto !== person.personId) continue;
    await table.client
      .send(
        new DeleteCommand({
          TableName: table.tableName,
          Key: personKey(owner, merged),
          ...sameRevision(item),
        }),
      )
      .catch((error: Error) => {
        // Changed meanwhile (its id founded a person again): it is not a dangling id any more.
        if (error.name !== 'ConditionalCheckFailedException') throw error;
      });
  }
}
