import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import type { Box } from '../core/vision-schema';
import { BadRequestError, ConflictError, NotFoundError } from '../shared/errors';
import type { Person } from './contract';
import type { TransactItem } from './face-index';
import { deleteMergedIds, describedOf, type FaceItem, FaceItemSchema, imageFaces, personWithout } from './face-removal';
import {
  type PeopleTable,
  type PersonItem,
  personUpdate,
  resolvePerson,
  toPerson,
  transact,
  WRITE_ATTEMPTS,
} from './person-item';
import { fileNameWords } from './person-names';
import { faceKey, listKeys, memberKey, personKey, unassignedKey } from './table-design';

/*
 * A face given to a person by its owner (docs/people.md, corrections): a face grouping put in another person or
 * left unassigned ("Who is this?", "Someone else"), a face found but too small to describe, or one the detector
 * missed, drawn by its owner. The face item is marked `source: 'owner'`: the owner's word, which a re-cluster leaves
 * where it is (face-removal.ts) and a retry or re-analysis keeps (grouping.ts reads the item it finds first).
 */

/** Who the owner says the face is: one of their people (a merged id: the person it is), or a new person by name. */
export type FaceTarget = { personId: string } | { name: string };

/** What giving a face to a person did. */
export interface FaceAssigned {
  face: number;
  /** The person the face is in now. */
  person: Person;
  /**
   * The analysis described the face (it has a descriptor or a collection ref); false for a face found too small to
   * describe (or over the cap) and for one drawn: the image's record then keeps its box, and no longer counts it
   * among the faces not grouped.
   */
  described: boolean;
  /** The person it was in before, if any; `emptied`: that was its last face, and it was deleted. */
  previous?: { personId: string; emptied: boolean };
}

/** The first index a face drawn by its owner takes, past any `vision.faces` index a detector gives (three digits). */
export const DRAWN_FACE_FIRST = 900;
/** The last: the API's face index has at most three digits, so an image takes 100 drawn faces. */
export const DRAWN_FACE_LAST = 999;

/**
 * Give an image's face to a person, in one transaction:
 * 1. the face item (none: `box` makes one, without a descriptor: a face found too small to describe, or drawn);
 *    the person it is in now, through `mergedInto`;
 * 2. the target: the person the id is now (404 if none), or a new person with the name;
 * 3. one transaction: the face names the target (conditional on the person it named), the old person's record of
 *    it goes and the old person counts one face fewer (deleted when it was its last), the target's record of it is
 *    put and the target counts one more (or is put), the face's index entries name the target (so later faces near
 *    it join it), and an unassigned correction goes. A cancelled one is read again.
 * Giving a face to the person it is in already changes nothing.
 */
export async function assignFace(
  table: PeopleTable,
  owner: string,
  imageId: string,
  face: number,
  target: FaceTarget,
  { box, drawn = false }: { box?: Box; drawn?: boolean } = {},
): Promise<FaceAssigned> {
  const founded = 'name' in target ? ulid() : undefined;
  for (let attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
    const item = await readFace(table, owner, imageId, face);
    if (item === undefined && box === undefined) throw new NotFoundError(`image ${imageId} has no face ${face}`);
    if (item !== undefined && drawn) throw new FaceTakenError();
    const old = item?.personId === undefined ? undefined : await resolvePerson(table, owner, item.personId);
    const person = 'personId' in target ? await livePerson(table, owner, target.personId) : undefined;
    const targetId = person?.personId ?? (founded as string);
    const described = item?.descriptor !== undefined || item?.rekognitionFaceId !== undefined;
    if (old !== undefined && old.personId === targetId) return { face, person: toPerson(old), described };
    const stored: FaceItem = item ?? { imageId, face, box: box as Box };
    const change =
      old === undefined || item?.personId === undefined
        ? undefined
        : await personWithout(table, owner, old, { ...stored, personId: item.personId }, {});
    const items: TransactItem[] = [
      faceWrite(table, owner, stored, item, targetId),
      ...(item?.personId === undefined
        ? []
        : [{ Delete: { TableName: table.tableName, Key: memberKey(owner, item.personId, imageId, face) } }]),
      ...(change ? [change.write] : []),
      memberPut(table, owner, stored, targetId),
      person === undefined
        ? newPerson(table, owner, targetId, 'name' in target ? target.name : null, stored)
        : { Update: personUpdate(table, owner, person, withOneMore(owner, person)) },
      ...indexEntries(table, owner, stored, targetId, item?.personId !== undefined),
      { Delete: { TableName: table.tableName, Key: unassignedKey(owner, imageId, face) } },
    ];
    const cancelled = await transact(table, items);
    if (cancelled !== undefined) continue;
    if (change?.deleted && old) await deleteMergedIds(table, owner, old);
    if ('name' in target) await fileNameWords(table, owner, targetId, target.name);
    const now = await resolvePerson(table, owner, targetId);
    if (now === undefined) throw new ConflictError(`person ${targetId} changed meanwhile; try again`);
    return {
      face,
      person: toPerson(now),
      described,
      ...(old && { previous: { personId: old.personId, emptied: change?.deleted ?? false } }),
    };
  }
  throw new ConflictError(`face ${face} of image ${imageId}: it or its people kept changing; try again`);
}

/**
 * Draw a face the detector missed: a new face of the image at `box`, at the first free index from `first`
 * (DRAWN_FACE_FIRST, or past the image's `vision.faces` if it has more), given to the target as `assignFace` does.
 * Two drawn at once take the same index: one is written, the other read again and given the next.
 */
export async function drawFace(
  table: PeopleTable,
  owner: string,
  imageId: string,
  box: Box,
  target: FaceTarget,
  first = DRAWN_FACE_FIRST,
): Promise<FaceAssigned> {
  for (let attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
    const taken = (await imageFaces(table, owner, imageId)).map((item) => item.face).filter((face) => face >= first);
    const face = Math.max(first, ...taken.map((one) => one + 1));
    if (face > DRAWN_FACE_LAST) {
      throw new BadRequestError(`image ${imageId} has ${DRAWN_FACE_LAST - first + 1} drawn faces, as many as it takes`);
    }
    try {
      return await assignFace(table, owner, imageId, face, target, { box, drawn: true });
    } catch (error) {
      // The index was taken by another drawing meanwhile: take the next.
      if (!(error instanceof FaceTakenError)) throw error;
    }
  }
  throw new ConflictError(`image ${imageId}: faces kept being drawn at once; try again`);
}

/** A drawn face's index was taken by another drawing since it was chosen. */
class FaceTakenError extends Error {
  override readonly name = 'FaceTakenError';
}

async function readFace(table: PeopleTable, owner: string, imageId: string, face: number) {
  const { Item } = await table.client.send(
    new GetCommand({ TableName: table.tableName, Key: faceKey(owner, imageId, face), ConsistentRead: true }),
  );
  return Item === undefined ? undefined : FaceItemSchema.parse(Item);
}

/** The person an id is, with faces: else 404. */
async function livePerson(table: PeopleTable, owner: string, personId: string): Promise<PersonItem> {
  const person = await resolvePerson(table, owner, personId);
  if (person === undefined || person.faceCount === 0) throw new NotFoundError(`person ${personId} not found`);
  return person;
}

/** The face item naming the target, marked as the owner's; conditional on the person it named (or none). */
function faceWrite(
  table: PeopleTable,
  owner: string,
  face: FaceItem,
  before: FaceItem | undefined,
  personId: string,
): TransactItem {
  const Key = faceKey(owner, face.imageId, face.face);
  if (before === undefined) {
    const Item = { ...Key, imageId: face.imageId, face: face.face, box: face.box, personId, source: 'owner' };
    return {
      Put: {
        TableName: table.tableName,
        Item: { ...Item, createdAt: table.now() },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    };
  }
  const was = before.personId;
  return {
    Update: {
      TableName: table.tableName,
      Key,
      UpdateExpression: 'SET personId = :person, #source = :owner REMOVE unassigned',
      ConditionExpression:
        was === undefined ? 'attribute_exists(pk) AND attribute_not_exists(personId)' : 'personId = :was',
      ExpressionAttributeNames: { '#source': 'source' },
      ExpressionAttributeValues: { ':person': personId, ':owner': 'owner', ...(was !== undefined && { ':was': was }) },
    },
  };
}

function memberPut(table: PeopleTable, owner: string, face: FaceItem, personId: string): TransactItem {
  const Item = {
    ...memberKey(owner, personId, face.imageId, face.face),
    imageId: face.imageId,
    face: face.face,
    box: face.box,
  };
  return { Put: { TableName: table.tableName, Item } };
}

function withOneMore(owner: string, person: PersonItem) {
  const faceCount = person.faceCount + 1;
  return { faceCount, ...listKeys(owner, person.personId, faceCount, person.hidden) };
}

/** A person its owner names as they give it its first face (the face is its cover). */
function newPerson(
  table: PeopleTable,
  owner: string,
  personId: string,
  name: string | null,
  face: FaceItem,
): TransactItem {
  const now = table.now();
  const Item = {
    ...personKey(owner, personId),
    ...listKeys(owner, personId, 1),
    personId,
    owner,
    name,
    faceCount: 1,
    cover: { imageId: face.imageId, face: face.face, box: face.box },
    revision: 1,
    createdAt: now,
    updatedAt: now,
  };
  return { Put: { TableName: table.tableName, Item, ConditionExpression: 'attribute_not_exists(pk)' } };
}

/**
 * The face's index entries, naming the target, so a later face near it joins it: offline, the descriptor's buckets
 * (the same keys, rewritten); with Rekognition, its ref, while its vector is in the collection (an unassigned face's
 * was deleted from it). A face with no descriptor (drawn, or too small) is in no index.
 */
function indexEntries(table: PeopleTable, owner: string, face: FaceItem, personId: string, wasAssigned: boolean) {
  if (face.descriptor === undefined && !(wasAssigned && face.rekognitionFaceId !== undefined)) return [];
  return table.index.entries(owner, face.imageId, describedOf(face), personId);
}
