import type { Box } from '../core/vision-schema';
import { ConflictError, NotFoundError } from '../shared/errors';
import type { Person } from './contract';
import type { TransactItem } from './face-index';
import {
  type AssignedFace,
  deleteMergedIds,
  type FaceItem,
  FaceItemSchema,
  imageFaces,
  indexRemoval,
  personWithout,
  unassignedCorrection,
} from './face-removal';
import {
  imageFaceItems,
  type PeopleTable,
  type PersonItem,
  personUpdate,
  resolvePerson,
  toPerson,
  transact,
  WRITE_ATTEMPTS,
} from './person-item';
import { faceKey, listKeys, memberKey, UNASSIGNED } from './table-design';

/*
 * What an owner corrects of the grouping (docs/people.md, corrections): a face taken out of a person ("not this
 * person"), a person hidden, a person deleted. Each is data the grouping reads: an unassigned face has a correction
 * item in its image's partition (table-design.ts `unassignedKey`), which the processor's grouping and a re-cluster
 * honour; a deleted person stays as a marker (`deletedAt`) its faces lead to, so no face makes it again.
 */

/** What taking an image's faces out of a person did. */
export interface FacesRemoved {
  /** The faces (their index in the image's `vision.faces`) taken out. */
  faces: number[];
  /** The person now; undefined when that was its last face (it is then deleted). */
  person?: Person;
}

/**
 * Take an image's faces out of a person ("not this person"), each in a transaction of its own:
 * 1. the person (a merged id: the person it is; 404 if none) and the image's faces in it (`face`: only that one;
 *    404 if none is);
 * 2. per face: its item loses its person (conditional on the person it had), the person's record of it and its index
 *    entries go (with Rekognition, its vector leaves the collection), a correction names the person it is not, and
 *    the person counts one face fewer (a new cover if it was the cover; deleted when it was its last face).
 * The face then joins and founds no one: the processor's grouping and a re-cluster keep it unassigned.
 */
export async function removeFacesFromPerson(
  table: PeopleTable,
  owner: string,
  personId: string,
  imageId: string,
  face?: number,
): Promise<FacesRemoved> {
  const person = await livePerson(table, owner, personId);
  const ids = new Set([person.personId, ...(person.mergedFrom ?? [])]);
  const faces = (await imageFaces(table, owner, imageId)).filter(
    (item): item is AssignedFace =>
      item.personId !== undefined && ids.has(item.personId) && (face === undefined || item.face === face),
  );
  if (faces.length === 0) {
    const which = face === undefined ? 'no face' : `no face ${face}`;
    throw new NotFoundError(`image ${imageId} has ${which} of person ${person.personId}`);
  }
  let deleted = false;
  for (const item of faces) deleted = (await unassign(table, owner, item)) || deleted;
  const now = deleted ? undefined : await resolvePerson(table, owner, person.personId);
  const faceNumbers = faces.map((item) => item.face);
  return now === undefined || now.faceCount === 0
    ? { faces: faceNumbers }
    : { faces: faceNumbers, person: toPerson(now) };
}

/** Take one face out of its person; true when that deleted the person (its last face). */
async function unassign(table: PeopleTable, owner: string, face: AssignedFace): Promise<boolean> {
  const unindexed = await indexRemoval(table, owner, face);
  for (let attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
    const person = await resolvePerson(table, owner, face.personId);
    if (person === undefined) return false;
    const change = await personWithout(table, owner, person, face, {});
    const items: TransactItem[] = [
      {
        Update: {
          TableName: table.tableName,
          Key: faceKey(owner, face.imageId, face.face),
          UpdateExpression: 'SET unassigned = :yes REMOVE personId',
          ConditionExpression: 'personId = :person',
          ExpressionAttributeValues: { ':yes': true, ':person': face.personId },
        },
      },
      { Delete: { TableName: table.tableName, Key: memberKey(owner, face.personId, face.imageId, face.face) } },
      ...unindexed,
      unassignedCorrection(table, owner, face, [...new Set([person.personId, face.personId])]),
      change.write,
    ];
    const cancelled = await transact(table, items);
    if (cancelled === undefined) {
      if (change.deleted) await deleteMergedIds(table, owner, person);
      return change.deleted;
    }
    // Taken out (or its image deleted) by another request meanwhile: nothing left to do.
    if (cancelled[0] === 'ConditionalCheckFailed') return false;
  }
  throw new ConflictError(`face ${face.face} of image ${face.imageId}: its person kept changing; try again`);
}

/**
 * Hide a person (`hidden` true) or show it again: it moves between the people list and the hidden list (the same
 * index, other keys: table-design.ts `listKeys`). A merged id hides the person it is. Grouping goes on as before.
 */
export async function setHidden(table: PeopleTable, owner: string, personId: string, hidden: boolean): Promise<Person> {
  return updateLive(table, owner, personId, (person) => {
    const keys = person.faceCount > 0 ? listKeys(owner, person.personId, person.faceCount, hidden) : {};
    return personUpdate(table, owner, person, { hidden, ...keys });
  });
}

/**
 * Delete a person: one write, whatever its number of faces. It keeps only a marker (`deletedAt`; its name, list
 * keys and hidden flag go), which every read of a person treats as none: it is not listed, answers 404, its name
 * finds nothing and `person=` reads no postings. Its faces keep naming it and so read as unassigned; a face whose
 * person a re-cluster finds deleted gets a correction and stays unassigned, and the face that founded it does not
 * found it again. Its id must be its own (a merged id is a 404: delete the person it was merged into).
 */
export async function deletePerson(table: PeopleTable, owner: string, personId: string): Promise<void> {
  await updateLive(table, owner, personId, (person) => {
    if (person.personId !== personId) throw new NotFoundError(`person ${personId} was merged into ${person.personId}`);
    const remove = ['peopleShard', 'peopleRank', 'hidden'];
    return personUpdate(table, owner, person, { deletedAt: table.now(), name: null }, { remove });
  });
}

/** The person an id is, with faces (an empty one a re-cluster keeps is not there yet): else 404. */
async function livePerson(table: PeopleTable, owner: string, personId: string): Promise<PersonItem> {
  const person = await resolvePerson(table, owner, personId);
  if (person === undefined || person.faceCount === 0) throw new NotFoundError(`person ${personId} not found`);
  return person;
}

/** Read the person and write `update` of it, reading again while another write changed it meanwhile. */
async function updateLive(
  table: PeopleTable,
  owner: string,
  personId: string,
  update: (person: PersonItem) => ReturnType<typeof personUpdate>,
): Promise<Person> {
  for (let attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
    const person = await livePerson(table, owner, personId);
    const cancelled = await transact(table, [{ Update: update(person) }]);
    if (cancelled === undefined) return toPerson((await resolvePerson(table, owner, person.personId)) ?? person);
  }
  throw new ConflictError(`person ${personId} kept changing; try again`);
}

/** What its owner said of one of an image's faces, as the people table keeps it. */
export interface FaceWord {
  face: number;
  /** Where it is, as fractions of the image. */
  box: Box;
  /** The person it is in now (none: unassigned). */
  personId?: string;
  /** Its owner gave it its person, or drew it (`source: 'owner'`): grouping never moves it. */
  byOwner: boolean;
  /** The people its owner said it is not ("not this person"), while it stays unassigned. */
  notPeople: string[];
}

/**
 * An image's faces with what its owner said of each: one Query of the image's partition (its faces and their
 * unassigned corrections, a few items), read consistently.
 */
export async function faceWords(table: PeopleTable, owner: string, imageId: string): Promise<FaceWord[]> {
  const faces: FaceItem[] = [];
  const notPeople = new Map<number, string[]>();
  for (const item of await imageFaceItems(table, owner, imageId)) {
    const sk = String(item.sk);
    if (sk.startsWith('FACE#')) faces.push(FaceItemSchema.parse(item));
    else if (sk.startsWith(UNASSIGNED))
      notPeople.set(Number(item.face), (item.notPeople as string[] | undefined) ?? []);
  }
  return faces.map((item) => ({
    face: item.face,
    box: item.box,
    ...(item.personId !== undefined && { personId: item.personId }),
    byOwner: item.source === 'owner',
    notPeople: item.personId === undefined ? (notPeople.get(item.face) ?? []) : [],
  }));
}
