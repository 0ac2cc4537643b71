import type { TableDeclaration } from '../settings/resources';
import { shardOf } from '../store/list-shards';

/**
 * How many partition key values an owner's people are listed under in `byOwnerPeople`. A person's rank changes
 * with every face it gains, and each change rewrites its index entry (a delete and a put): an owner uploading at
 * the whole design rate (1,000 images a second, a face or two each) would put 2,000-4,000 index writes a second
 * on one key value, 500-1,000 on each of 4. More would only make every page of `GET /people` read more shards for
 * a list that is small (people, not faces). Must divide LIST_SHARDS (see `peopleShardOf`).
 */
export const PEOPLE_SHARDS = 4;

/** Zero-padded digits of the face count in `peopleRank`, so the string order is the numeric one. */
export const RANK_DIGITS = 10;

/** What a people list page shows of each person: the attributes `byOwnerPeople` projects. */
export const PEOPLE_LIST_ATTRIBUTES = ['personId', 'name', 'faceCount', 'cover', 'createdAt', 'updatedAt'] as const;

/**
 * The people table (made only with `faceGrouping` on), shared by the CDK construct, the store and the local runner.
 * Items (an owner is what store/owner.ts says; `nn` is a face's index in its image's `vision.faces`, 2 digits):
 *
 * | item                      | pk                                 | sk                   |
 * | ------------------------- | ---------------------------------- | -------------------- |
 * | face                      | `<owner>#IMAGE#<imageId>`          | `FACE#<nn>`          |
 * | person                    | `<owner>#PERSON#<personId>`        | `PERSON`             |
 * | a person's face           | `<owner>#PERSON#<personId>`        | `FACE#<imageId>#<nn>` |
 * | face bucket (offline)     | `<owner>#FB#<table>#<slots>`       | `<imageId>#<nn>`     |
 * | Rekognition face ref      | `<owner>#REK#<rekognitionFaceId>`  | `FACE`               |
 * | a word of a person's name | `<owner>#NAME#<prefix>`            | `<word>#<personId>`  |
 * | an unassigned face        | `<owner>#IMAGE#<imageId>`          | `UNASSIGNED#<nn>`    |
 * | a dismissed suggestion    | `<owner>#PERSON#<personId>`        | `DISMISSED#<otherId>` |
 *
 * Access patterns:
 *
 * | pattern                                    | how                                                                |
 * | ------------------------------------------ | ------------------------------------------------------------------ |
 * | the faces of an image (retry, delete)      | Query `<owner>#IMAGE#<imageId>`                                    |
 * | one person, by id                          | GetItem (`<owner>#PERSON#<id>`, `PERSON`), then `mergedInto` once  |
 * | an owner's people, most faces first        | Query `byOwnerPeople` on every `<owner>#<n>`, `peopleRank` desc; merge |
 * | a person's faces (a new cover)             | Query `<owner>#PERSON#<id>`, sk begins with `FACE#`                |
 * | offline: faces near a descriptor           | Query the 36 probed `<owner>#FB#...` buckets, 100 items each at most |
 * | Rekognition: our face for a collection hit | BatchGetItem of `<owner>#REK#<faceId>`, the hits of one face at once |
 * | people whose name has a word beginning so  | Query `<owner>#NAME#<prefix>`, sk begins with the word; each checked |
 * | an image's unassigned faces (grouping)     | Query `<owner>#IMAGE#<imageId>`, sk begins with `UNASSIGNED#`      |
 * | an owner's hidden people                   | Query `byOwnerPeople` on every `<owner>#H<n>`, as the people list  |
 * | was this merge suggestion dismissed        | GetItem (`<owner>#PERSON#<id>`, `DISMISSED#<otherId>`)             |
 *
 * No hot key: an image's faces are one partition written once by its own processing; a person's partition takes two
 * writes per face of that person, its item's count and its record of the face (even a face in every upload of an owner
 * uploading at the whole design rate is grouped one transaction at a time per person: its conditional writes
 * serialise, so its own rate is bounded by their latency, far below a partition's 1,000 writes a second); face buckets
 * spread an owner's faces by their descriptors' differences (lsh.ts: Euclidean LSH, 4 tables whose key is 8 slot
 * numbers, e.g. `0.-1.2.0.1.0.-3.1`, of projections from a fixed seed: changing it, or the slot width, needs a
 * regroup); the list index is sharded by PEOPLE_SHARDS; every key starts with the owner, so no owner shares a key
 * value with another, and a lookup cannot reach another owner's faces.
 */
export const PEOPLE_TABLE_DESIGN = {
  partitionKey: 'pk',
  sortKey: 'sk',
  indexes: {
    byOwnerPeople: {
      indexName: 'byOwnerPeople',
      /** `<owner>#<n>`, n = peopleShardOf(personId); absent on a merged person, which is not listed. */
      partitionKey: 'peopleShard',
      /** `<faceCount, RANK_DIGITS digits>#<personId>`: descending is most faces first, ties by id. */
      sortKey: 'peopleRank',
      projection: 'INCLUDE',
      nonKeyAttributes: PEOPLE_LIST_ATTRIBUTES,
    },
  },
} as const;

/** Which of the owner's PEOPLE_SHARDS list keys a person is under: its id's list shard, folded (16 = 4 x 4). */
export function peopleShardOf(personId: string): number {
  return shardOf(personId) % PEOPLE_SHARDS;
}

/**
 * The `byOwnerPeople` keys of a listed person with this many faces. A hidden person is listed under the hidden keys
 * `<owner>#H<n>` (`GET /people?hidden=true`): the same index, another list, so hiding is one write.
 */
export function listKeys(owner: string, personId: string, faceCount: number, hidden = false) {
  return {
    peopleShard: `${owner}#${hidden ? 'H' : ''}${peopleShardOf(personId)}`,
    peopleRank: `${String(faceCount).padStart(RANK_DIGITS, '0')}#${personId}`,
  };
}

/** The `<owner>#<n>` values a list page reads (`<owner>#H<n>`: the hidden people's). */
export function peoplePartitions(owner: string, hidden = false): string[] {
  return Array.from({ length: PEOPLE_SHARDS }, (_, shard) => `${owner}#${hidden ? 'H' : ''}${shard}`);
}

/**
 * The key of the correction saying that a face of an image is unassigned (taken out of a person, or its person
 * deleted): in the image's partition beside its face items, so that an image's re-cluster, which deletes and
 * regroups its `FACE#` items, keeps it, and the image's delete removes it with the faces.
 */
export function unassignedKey(owner: string, imageId: string, face: number) {
  return { pk: imageFacesKey(owner, imageId), sk: `${UNASSIGNED}${faceNumber(face)}` };
}

/** The sort key prefix of an image's unassigned-face corrections. */
export const UNASSIGNED = 'UNASSIGNED#';

/** The key of the item saying that its owner dismissed the suggestion to merge `personId` with `otherId`. */
export function dismissedKey(owner: string, personId: string, otherId: string) {
  return { pk: personPartition(owner, personId), sk: `DISMISSED#${otherId}` };
}

/** `nn`: a face's index, two digits (an index of 100 or more has its own digits, still unambiguous after the id). */
export function faceNumber(face: number): string {
  return String(face).padStart(2, '0');
}

/** The key of a face item. */
export function faceKey(owner: string, imageId: string, face: number) {
  return { pk: imageFacesKey(owner, imageId), sk: `FACE#${faceNumber(face)}` };
}

/** The partition of an image's face items. */
export function imageFacesKey(owner: string, imageId: string): string {
  return `${owner}#IMAGE#${imageId}`;
}

/** The partition of a person: its item (`PERSON`) and its faces (`FACE#...`). */
export function personPartition(owner: string, personId: string): string {
  return `${owner}#PERSON#${personId}`;
}

export function personKey(owner: string, personId: string) {
  return { pk: personPartition(owner, personId), sk: 'PERSON' };
}

/**
 * The key of the item saying that a word (normalised, search/terms.ts) is in a person's name, under the word's
 * search prefix. Written by every rename and never rewritten: a reader checks the person's name as it is now.
 */
export function nameWordKey(owner: string, prefix: string, word: string, personId: string) {
  return { pk: `${owner}#NAME#${prefix}`, sk: `${word}#${personId}` };
}

/** The key of the item saying that a face belongs to a person (under the person's own id, merged or not). */
export function memberKey(owner: string, personId: string, imageId: string, face: number) {
  return { pk: personPartition(owner, personId), sk: `FACE#${imageId}#${faceNumber(face)}` };
}

/** The id of the person a face founds: deterministic, so a retried message founds the same one. */
export function foundedPersonId(imageId: string, face: number): string {
  return `${imageId}${faceNumber(face)}`;
}

/** The key of a Rekognition face ref: which of this owner's faces a collection hit is (no item: another owner's). */
export function rekognitionRefKey(owner: string, rekognitionFaceId: string) {
  return { pk: `${owner}#REK#${rekognitionFaceId}`, sk: 'FACE' };
}

/** Faces and people, with `faceGrouping` on only (biometric data: docs/people.md). */
export const PEOPLE_TABLE: TableDeclaration = {
  name: 'people',
  ownConstruct: true,
  design: PEOPLE_TABLE_DESIGN,
  when: (settings) => settings.faceGrouping,
  wiring: (tableName) => ({ people: { tableName } }),
  output: { name: 'PeopleTableName', description: 'Faces and people (faceGrouping): biometric data' },
};
