import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { BadRequestError, NotFoundError } from '../shared/errors';
import { CANDIDATES_PER_PERSON, MAX_SUGGESTION_PEOPLE, type Person } from './contract';
import { describedOf, type FaceItem, FaceItemSchema } from './face-removal';
import { listPeople } from './people-list';
import { type PeopleTable, type PersonItem, readPerson, resolvePerson, toPerson } from './person-item';
import { dismissedKey, faceKey } from './table-design';

/** Two of an owner's people whose faces are close: perhaps one person, to merge or to dismiss. */
export interface MergeSuggestion {
  /** The person examined (the one listed first, with more faces) and the person one of its near faces is in. */
  people: [Person, Person];
  /** How far apart the two faces are (Euclidean offline; `1 - similarity/100` with Rekognition). */
  distance: number;
}

export interface SuggestionsPage {
  items: MergeSuggestion[];
  /** Present while more people may be examined: the people list's cursor. */
  cursor?: string;
}

/**
 * Merge suggestions for one page of the owner's people (the people list's order, most faces first), never all pairs
 * of a library at once:
 * 1. a page of at most MAX_SUGGESTION_PEOPLE people (`limit`, `cursor` as `GET /people` pages);
 * 2. for each, its cover face (a face of the person stands for it) is looked up in the face index with the wider
 *    SUGGESTION_DISTANCE (face-index.ts): the nearest faces of other people, merges followed, not hidden, at most
 *    CANDIDATES_PER_PERSON people;
 * 3. a pair its owner dismissed (`dismissedKey`, either way round) is left out; a pair found from both sides is given
 *    once.
 * A page may hold no suggestion and still have a cursor. Cost: per person examined, 2 GetItems, the index's probes
 * (36 Queries offline; one SearchFaces with Rekognition), and 2 GetItems per candidate.
 */
export async function listSuggestions(
  table: PeopleTable,
  owner: string,
  query: { limit: number; cursor?: string },
): Promise<SuggestionsPage> {
  const limit = Math.min(query.limit, MAX_SUGGESTION_PEOPLE);
  const page = await listPeople(table, owner, { limit, cursor: query.cursor });
  const found = await Promise.all(page.items.map((person) => suggestionsFor(table, owner, person.personId)));
  const seen = new Set<string>();
  const items = found.flat().filter((suggestion) => {
    const key = suggestion.people
      .map((person) => person.personId)
      .sort()
      .join('#');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return page.cursor === undefined ? { items } : { items, cursor: page.cursor };
}

async function suggestionsFor(table: PeopleTable, owner: string, personId: string): Promise<MergeSuggestion[]> {
  const person = await readPerson(table, owner, personId);
  if (person === undefined || person.mergedInto !== undefined || person.faceCount === 0) return [];
  const cover = await coverFace(table, owner, person);
  if (cover === undefined) return [];
  const matches = await table.index.nearest(owner, cover.imageId, describedOf(cover), { wider: true });
  const own = new Set([person.personId, ...(person.mergedFrom ?? [])]);
  const distances = new Map<string, number>();
  for (const match of matches) {
    if (own.has(match.personId) || distances.has(match.personId)) continue;
    distances.set(match.personId, match.distance);
    if (distances.size >= CANDIDATES_PER_PERSON) break;
  }
  const suggestions: MergeSuggestion[] = [];
  const taken = new Set<string>();
  for (const [matchedId, distance] of distances) {
    const other = await resolvePerson(table, owner, matchedId);
    if (other === undefined || other.hidden || other.faceCount === 0 || own.has(other.personId)) continue;
    if (taken.has(other.personId) || (await dismissed(table, owner, person.personId, other.personId))) continue;
    taken.add(other.personId);
    suggestions.push({ people: [toPerson(person), toPerson(other)], distance: Math.round(distance * 1e4) / 1e4 });
  }
  return suggestions;
}

/** The face item of the person's cover, with what the index needs (its descriptor, or its Rekognition id). */
async function coverFace(table: PeopleTable, owner: string, person: PersonItem): Promise<FaceItem | undefined> {
  const { Item } = await table.client.send(
    new GetCommand({ TableName: table.tableName, Key: faceKey(owner, person.cover.imageId, person.cover.face) }),
  );
  const face = Item === undefined ? undefined : FaceItemSchema.parse(Item);
  // A face its owner drew has no descriptor to look up.
  const indexed = face?.descriptor !== undefined || face?.rekognitionFaceId !== undefined;
  return face?.personId === undefined || !indexed ? undefined : face;
}

async function dismissed(table: PeopleTable, owner: string, personId: string, otherId: string): Promise<boolean> {
  const { Item } = await table.client.send(
    new GetCommand({ TableName: table.tableName, Key: dismissedKey(owner, personId, otherId) }),
  );
  return Item !== undefined;
}

/**
 * Dismiss the suggestion that two people are one: remembered under both (two items, so either side's suggestions
 * read it with one GetItem), never suggested again, through re-clusters too (people keep their ids). Both must be
 * the owner's people (merged ids: the people they are), and two.
 */
export async function dismissSuggestion(
  table: PeopleTable,
  owner: string,
  personIds: readonly [string, string],
): Promise<void> {
  const people = await Promise.all(personIds.map((id) => resolvePerson(table, owner, id)));
  people.forEach((person, i) => {
    if (person === undefined || person.faceCount === 0) throw new NotFoundError(`person ${personIds[i]} not found`);
  });
  const [a, b] = people.map((person) => person?.personId as string) as [string, string];
  if (a === b) throw new BadRequestError(`personIds: ${personIds.join(' and ')} are one person`);
  const at = table.now();
  for (const [one, other] of [
    [a, b],
    [b, a],
  ] as const) {
    await table.client.send(
      new PutCommand({ TableName: table.tableName, Item: { ...dismissedKey(owner, one, other), at } }),
    );
  }
}
