import { BadRequestError, ConflictError, NotFoundError } from '../shared/errors';
import type { Person } from './contract';
import type { TransactItem } from './face-index';
import {
  type PeopleTable,
  type PersonItem,
  personUpdate,
  readPerson,
  toPerson,
  transact,
  WRITE_ATTEMPTS,
} from './person-item';
import { listKeys, personKey } from './table-design';

/** People merged by one request at most (`POST /people/{id}/merge`). */
export const MAX_MERGE_SOURCES = 10;

/**
 * Ids a person may stand for besides its own. A merge re-points every one of them in one transaction with the
 * target and its sources, and a transaction takes 100 items: 99 plus the target. It also bounds `person=` at 100
 * terms and the reads of a new cover (face-removal.ts).
 */
export const MAX_MERGED_FROM = 99;

/**
 * Merge people into `targetId`, in one transaction:
 * 1. check the request: 1-MAX_MERGE_SOURCES other ids (into itself: 400), each of them and the target a person of
 *    this owner that is not merged (else 404);
 * 2. the target's `mergedFrom` gains the sources and everything merged into them (at most MAX_MERGED_FROM, else
 *    409), its count their counts, its name the first source's name if it had none;
 * 3. each source gets `mergedInto` and leaves the list; the ids merged into a source now lead to the target, so
 *    `mergedInto` is always one hop; the target's `repointing` gains every id merged in, whose images still carry
 *    it until merged-images.ts re-points them (a search reads those ids' postings until then);
 * 4. every write is conditional on what was read: a person changed meanwhile, or reads that saw a merge between
 *    them (one person in another's `mergedFrom`), make the whole merge read again.
 */
export async function mergePeople(
  table: PeopleTable,
  owner: string,
  targetId: string,
  sourceIds: readonly string[],
): Promise<Person> {
  const wanted = [...new Set(sourceIds)];
  if (wanted.length === 0 || wanted.length > MAX_MERGE_SOURCES) {
    throw new BadRequestError(`personIds: must name 1 to ${MAX_MERGE_SOURCES} people`);
  }
  if (wanted.includes(targetId)) throw new BadRequestError(`personIds: cannot merge person ${targetId} into itself`);
  for (let attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
    const target = await unmerged(table, owner, targetId);
    const sources = await Promise.all(wanted.map((id) => unmerged(table, owner, id)));
    const redirects = sources.flatMap((source) => (source.mergedFrom ?? []).map((id) => ({ id, source })));
    // The people are read one at a time, so an opposite merge (B into A while this merges A into B) can land between
    // two reads: one of them then already lists another in its `mergedFrom`, and the transaction would name that
    // person twice, which DynamoDB refuses outright (ValidationException, a 500). Such reads are torn: read again,
    // and the person merged away meanwhile answers 404.
    const written = [targetId, ...wanted, ...redirects.map(({ id }) => id)];
    if (new Set(written).size !== written.length) continue;
    const mergedFrom = [
      ...new Set([...(target.mergedFrom ?? []), ...sources.flatMap((s) => [s.personId, ...(s.mergedFrom ?? [])])]),
    ];
    if (mergedFrom.length > MAX_MERGED_FROM) {
      throw new ConflictError(
        `person ${targetId} would stand for ${mergedFrom.length} merged people; at most ${MAX_MERGED_FROM} can be`,
      );
    }
    const mergedIn = sources.flatMap((s) => [s.personId, ...(s.mergedFrom ?? [])]);
    const merged: PersonItem = {
      ...target,
      name: target.name ?? sources.find((source) => source.name !== null)?.name ?? null,
      faceCount: target.faceCount + sources.reduce((sum, source) => sum + source.faceCount, 0),
      mergedFrom,
      repointing: [...new Set([...(target.repointing ?? target.mergedFrom ?? []), ...mergedIn])],
      revision: target.revision + 1,
      updatedAt: table.now(),
    };
    const items: TransactItem[] = [
      targetWrite(table, owner, target, merged),
      ...sources.map((source) => sourceWrite(table, owner, source, targetId, merged.updatedAt)),
      ...redirects.map(({ id, source }) => ({
        Update: {
          TableName: table.tableName,
          Key: personKey(owner, id),
          UpdateExpression: 'SET mergedInto = :target, updatedAt = :now ADD revision :one',
          ConditionExpression: 'mergedInto = :source',
          ExpressionAttributeValues: {
            ':target': targetId,
            ':source': source.personId,
            ':now': merged.updatedAt,
            ':one': 1,
          },
        },
      })),
    ];
    if ((await transact(table, items)) === undefined) return toPerson(merged);
  }
  throw new ConflictError(`the people merged into ${targetId} kept changing; try again`);
}

/** A person of this owner that is not merged, or the 404 saying why not. */
async function unmerged(table: PeopleTable, owner: string, personId: string): Promise<PersonItem> {
  const person = await readPerson(table, owner, personId);
  if (person === undefined || person.deletedAt !== undefined) throw new NotFoundError(`person ${personId} not found`);
  if (person.mergedInto !== undefined) {
    throw new NotFoundError(`person ${personId} was merged into ${person.mergedInto}; use that id`);
  }
  return person;
}

function targetWrite(table: PeopleTable, owner: string, before: PersonItem, after: PersonItem): TransactItem {
  const { name, faceCount, mergedFrom, repointing } = after;
  const set = { name, faceCount, mergedFrom, repointing, ...listKeys(owner, after.personId, faceCount, after.hidden) };
  return { Update: personUpdate(table, owner, before, set, { now: after.updatedAt }) };
}

/** A merged person leaves the list (no `byOwnerPeople` keys) and keeps only the way to its target. */
function sourceWrite(
  table: PeopleTable,
  owner: string,
  source: PersonItem,
  targetId: string,
  now: string,
): TransactItem {
  const remove = ['peopleShard', 'peopleRank', 'mergedFrom', 'repointing'];
  return { Update: personUpdate(table, owner, source, { mergedInto: targetId }, { remove, now }) };
}
