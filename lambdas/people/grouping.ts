import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Box } from '../core/vision-schema';
import { ConflictError, NotFoundError } from '../shared/errors';
import {
  type DescribedFace,
  type FaceAssignment,
  type FaceDescriptions,
  type ImagePeople,
  MAX_FACES_PER_IMAGE,
} from './contract';
import { checkedDescriptor, encodeDescriptor } from './descriptor';
import type { FaceMatch, TransactItem } from './face-index';
import {
  deletedPerson,
  imageFaceItems,
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
import { MAX_MERGE_SOURCES, mergePeople } from './person-merge';
import { faceKey, foundedPersonId, listKeys, memberKey, personKey, UNASSIGNED, unassignedKey } from './table-design';

/**
 * Group the described faces of one image, each in a transaction of its own (so a crash between two faces leaves
 * the first grouped and the second not, never half of one):
 * 1. a face whose item exists was grouped by an earlier attempt: it keeps its person, merges followed (none if its owner took it out
 *    of its person, or deleted the person); a face its owner unassigned (a correction, kept through a re-cluster)
 *    is written unassigned: it joins and founds no one, and no other face finds it;
 * 2. otherwise the nearest face of the owner's OTHER images within the match distance names the person it joins,
 *    through `mergedInto` once; none (or none whose person still exists), and the face founds a person whose id is
 *    `<imageId><nn>`, so a retry founds the same one;
 * 3. one transaction puts the face item (only if absent), the person's face, the index entries, and adds the face
 *    to its person (conditional on the revision read) or puts the new person; a cancelled one is read again.
 * Running it twice gives the same people and counts the faces once. Cost: a face reads its item, 36 buckets (offline
 * index) and the people it may join, and writes 7 items transactionally (face, the person's record of it, the
 * person, 4 buckets; about 14 write units, transactions costing twice).
 */
export async function groupFaces(
  table: PeopleTable,
  owner: string,
  imageId: string,
  descriptions: FaceDescriptions,
  options: GroupingOptions = {},
): Promise<ImagePeople> {
  const described = [...descriptions.faces].sort((a, b) => a.face - b.face);
  if (new Set(described.map((face) => face.face)).size !== described.length) {
    throw new Error(`image ${imageId}: two described faces have the same index`);
  }
  // The vision step caps the faces it describes; a caller that did not is capped here, its extra faces counted.
  const grouped = described.slice(0, MAX_FACES_PER_IMAGE);
  const { unassigned, ownerFaces } = await correctionsOf(table, owner, imageId);
  const faces: FaceAssignment[] = [];
  for (const face of grouped) {
    const personId = unassigned.has(face.face)
      ? await keepUnassigned(table, owner, imageId, face)
      : await groupFace(table, owner, imageId, face, options);
    if (personId !== null) faces.push({ face: face.face, personId });
  }
  // Faces its owner gave a person that the analysis did not describe (drawn, or too small): kept, with their box.
  const describedNow = new Set(grouped.map((face) => face.face));
  for (const face of ownerFaces) {
    // A person its owner deleted since: the face reads as unassigned.
    const person = describedNow.has(face.face) ? undefined : await resolvePerson(table, owner, face.personId);
    if (person) faces.push({ face: face.face, personId: person.personId, box: face.box });
  }
  // The person each face is now: a face that founded a person merged meanwhile into an earlier founder (an album's
  // photos grouped at once) is recorded as that one, so the record needs no re-pointing (merged-images.ts).
  const now = new Map<string, string>();
  for (const id of new Set(faces.map((face) => face.personId))) {
    now.set(id, (await resolvePerson(table, owner, id))?.personId ?? id);
  }
  const { tooSmall, overCap } = descriptions.skipped;
  return {
    faces: faces.map((face) => ({ ...face, personId: now.get(face.personId) ?? face.personId })),
    skipped: { tooSmall, overCap: overCap + described.length - grouped.length },
  };
}

export interface GroupingOptions {
  /**
   * The image's faces were just removed to be grouped again (a re-cluster): a face that joins another person than
   * the one it founded, kept while empty (face-removal.ts), merges the two, so the founded person's name is kept
   * whichever of its images is regrouped first. Costs a face one more GetItem.
   */
  regroup?: boolean;
  /** Called after each search of the face index (the nearest faces): with Rekognition, each is a paid SearchFaces. */
  onSearch?: () => void;
}

/**
 * The image's corrections: the faces its owner unassigned (face-corrections.ts), by index, and the faces its owner
 * gave a person (face-assignment.ts). One Query of the image's partition (its faces and corrections, tens of items).
 */
async function correctionsOf(table: PeopleTable, owner: string, imageId: string) {
  const unassigned = new Set<number>();
  const ownerFaces: Array<{ face: number; personId: string; box: Box }> = [];
  for (const item of await imageFaceItems(table, owner, imageId)) {
    if (String(item.sk).startsWith(UNASSIGNED)) unassigned.add(item.face as number);
    else if (item.source === 'owner' && typeof item.personId === 'string') {
      ownerFaces.push({ face: item.face as number, personId: item.personId, box: item.box as Box });
    }
  }
  return { unassigned, ownerFaces };
}

/**
 * Write an unassigned face's item (once: a retry finds it): no person, no index entries, so no later face joins it.
 * With Rekognition the vision step indexed it again: that vector is deleted from the collection.
 */
async function keepUnassigned(table: PeopleTable, owner: string, imageId: string, face: DescribedFace): Promise<null> {
  const unindexed = await table.index.remove(owner, imageId, face);
  const item = faceItem(table, owner, imageId, face, undefined);
  const cancelled = await transact(table, [item, ...unindexed]);
  // Written by an earlier attempt: it is unassigned all the same.
  if (cancelled !== undefined && cancelled[0] !== 'ConditionalCheckFailed') {
    throw new PersonContentionError(`face ${face.face} of image ${imageId}: its unassigned item was not written`);
  }
  return null;
}

/** A face that founds a person its owner deleted: unassigned from now on, and remembered so (a correction). */
async function unassignDeleted(
  table: PeopleTable,
  owner: string,
  imageId: string,
  face: DescribedFace,
  personId: string,
): Promise<null> {
  const correction = {
    Put: {
      TableName: table.tableName,
      Item: { ...unassignedKey(owner, imageId, face.face), face: face.face, notPeople: [personId], at: table.now() },
    },
  };
  await table.client.send(new PutCommand(correction.Put));
  return keepUnassigned(table, owner, imageId, face);
}

async function groupFace(
  table: PeopleTable,
  owner: string,
  imageId: string,
  face: DescribedFace,
  options: GroupingOptions,
): Promise<string | null> {
  const grouped = await groupedPerson(table, owner, imageId, face);
  if (grouped !== undefined) return grouped;
  const matches = await table.index.nearest(owner, imageId, face);
  options.onSearch?.();
  for (let attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
    const joined = await personToJoin(table, owner, matches);
    const founded = foundedPersonId(imageId, face.face);
    // The id this face founds may be taken: by the person it founded before its image was deleted and processed
    // again (join it, or what it was merged into), or by a merged person whose target is gone (replace it).
    const previous = joined === undefined ? await readPerson(table, owner, founded) : undefined;
    // Its owner deleted the person this face founded: the face is not to make it again.
    if (previous !== undefined && (await deletedPerson(table, owner, founded))) {
      return unassignDeleted(table, owner, imageId, face, founded);
    }
    const again = previous === undefined ? undefined : await resolvePerson(table, owner, founded);
    const person = joined ?? again;
    const personId = person?.personId ?? founded;
    const items: TransactItem[] = [
      faceItem(table, owner, imageId, face, personId),
      memberItem(table, owner, imageId, face, personId),
      person === undefined ? newPerson(table, owner, imageId, face, previous) : addFace(table, owner, person),
      ...table.index.entries(owner, imageId, face, personId),
    ];
    const cancelled = await transact(table, items);
    if (cancelled === undefined) {
      // It saw no near face (it founded a person, or found its own again): any it sees now was written meanwhile.
      if (joined === undefined) await joinConcurrentFounders(table, owner, imageId, face, personId, options);
      else if (options.regroup && (await readPerson(table, owner, founded))) {
        await mergeIntoEarliest(table, owner, [founded, personId]);
      }
      return personId;
    }
    if (cancelled[0] === 'ConditionalCheckFailed') {
      const raced = await groupedPerson(table, owner, imageId, face);
      if (raced !== undefined) return raced;
    }
  }
  throw new PersonContentionError(`face ${face.face} of image ${imageId}: its person changed under every attempt`);
}

/**
 * The person a face of this image was grouped into, if it was: null when it is unassigned (taken out of its person,
 * or its person deleted since). With Rekognition, a retried or re-analysed image
 * was indexed again (IndexFaces gives its faces new ids): the face keeps its first id, and the new vector is deleted
 * from the collection, where no ref would ever name it (SearchFaces would keep returning it, and it would be billed).
 */
async function groupedPerson(
  table: PeopleTable,
  owner: string,
  imageId: string,
  face: DescribedFace,
): Promise<string | null | undefined> {
  const { Item } = await table.client.send(
    new GetCommand({ TableName: table.tableName, Key: faceKey(owner, imageId, face.face), ConsistentRead: true }),
  );
  if (Item === undefined) return undefined;
  const kept = Item.rekognitionFaceId as string | undefined;
  if (face.rekognitionFaceId !== undefined && kept !== undefined && kept !== face.rekognitionFaceId) {
    // Its ref was never written, so only the collection's side of the removal is needed.
    await table.index.remove(owner, imageId, face);
  }
  const personId = Item.personId as string | undefined;
  if (personId === undefined) return null;
  // The person it is now (none when deleted): a merge re-points the image's record to its target, and a re-analysis
  // must not undo it. One read: resolvePerson answers nothing for a deleted person, as deletedPerson would say.
  return (await resolvePerson(table, owner, personId))?.personId ?? null;
}

/**
 * Photos of a new person grouped at the same moment (an album uploaded at once) each found a person, none seeing
 * the others' faces yet. So a face that saw no near face (it founded a person, or its founding face's person again
 * after a re-cluster took it away) looks again once its own write is in: any face of another image
 * now within the match distance was written meanwhile, and its person is this one: the people found that way are
 * merged, as `POST /people/{id}/merge` would, into the one founded first (the smallest id: ids start with their
 * image's ULID). Every side of such a group merges what it sees; each merge follows the merges made meanwhile, so
 * they end as one person whatever their order.
 */
async function joinConcurrentFounders(
  table: PeopleTable,
  owner: string,
  imageId: string,
  face: DescribedFace,
  founded: string,
  options: GroupingOptions,
): Promise<void> {
  const matches = await table.index.nearest(owner, imageId, face);
  options.onSearch?.();
  await mergeIntoEarliest(table, owner, [founded, ...matches.map((match) => match.personId)]);
}

/**
 * Merge the people these ids lead to (merges followed) into the one founded first, the smallest id. Each attempt
 * follows the merges made meanwhile; it stops when they are one, or when one stands for as many merged people as one
 * can (they stay apart, to be merged by hand).
 */
async function mergeIntoEarliest(table: PeopleTable, owner: string, ids: string[]): Promise<void> {
  const seen = [...new Set(ids)];
  if (seen.length < 2) return;
  for (let attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
    const people = await Promise.all(seen.map((id) => resolvePerson(table, owner, id)));
    const [target, ...sources] = [...new Set(people.flatMap((person) => (person ? [person.personId] : [])))].sort();
    if (target === undefined || sources.length === 0) return;
    try {
      await mergePeople(table, owner, target, sources.slice(0, MAX_MERGE_SOURCES));
      return;
    } catch (error) {
      if (error instanceof ConflictError) return;
      // One was merged meanwhile: look again.
      if (!(error instanceof NotFoundError)) throw error;
    }
  }
}

/** The person of the nearest match that still exists, merges followed; undefined when none does. */
async function personToJoin(table: PeopleTable, owner: string, matches: FaceMatch[]): Promise<PersonItem | undefined> {
  const tried = new Set<string>();
  for (const match of matches) {
    if (tried.has(match.personId)) continue;
    tried.add(match.personId);
    const person = await resolvePerson(table, owner, match.personId);
    if (person !== undefined) return person;
  }
  return undefined;
}

/** A face's item: with its person, or (`personId` undefined) unassigned. */
function faceItem(
  table: PeopleTable,
  owner: string,
  imageId: string,
  face: DescribedFace,
  personId: string | undefined,
) {
  const described =
    face.descriptor === undefined
      ? {}
      : { descriptor: encodeDescriptor(checkedDescriptor(face.descriptor, face.face)) };
  const rekognition = face.rekognitionFaceId === undefined ? {} : { rekognitionFaceId: face.rekognitionFaceId };
  return {
    Put: {
      TableName: table.tableName,
      Item: {
        ...faceKey(owner, imageId, face.face),
        imageId,
        face: face.face,
        box: face.box,
        ...described,
        ...rekognition,
        ...(personId === undefined ? { unassigned: true } : { personId }),
        createdAt: table.now(),
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

/** The person's own record of the face: where a new cover is found when the cover's image is deleted. */
function memberItem(table: PeopleTable, owner: string, imageId: string, face: DescribedFace, personId: string) {
  return {
    Put: {
      TableName: table.tableName,
      Item: { ...memberKey(owner, personId, imageId, face.face), imageId, face: face.face, box: face.box },
    },
  };
}

function newPerson(
  table: PeopleTable,
  owner: string,
  imageId: string,
  face: DescribedFace,
  replaced: PersonItem | undefined,
): TransactItem {
  const personId = foundedPersonId(imageId, face.face);
  const now = table.now();
  return {
    Put: {
      TableName: table.tableName,
      Item: {
        ...personKey(owner, personId),
        ...listKeys(owner, personId, 1),
        personId,
        owner,
        name: null,
        faceCount: 1,
        cover: { imageId, face: face.face, box: face.box },
        revision: (replaced?.revision ?? 0) + 1,
        createdAt: now,
        updatedAt: now,
      },
      ...(replaced === undefined ? { ConditionExpression: 'attribute_not_exists(pk)' } : sameRevision(replaced)),
    },
  };
}

function addFace(table: PeopleTable, owner: string, person: PersonItem): TransactItem {
  const faceCount = person.faceCount + 1;
  const keys = listKeys(owner, person.personId, faceCount, person.hidden);
  return { Update: personUpdate(table, owner, person, { faceCount, ...keys }) };
}
