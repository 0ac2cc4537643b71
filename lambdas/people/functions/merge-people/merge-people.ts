import { type RepointDeps, repointImage } from '../../../search/person-repoint';
import { BadRequestError, NotFoundError } from '../../../shared/errors';
import type { Caller } from '../../../store/owner';
import { type PeopleDeps, withCover } from '../people-api';
import type { PersonAnswer } from '../people-contract';
import type { Merge } from './route';

/** What a merge works with: the people routes' deps, and the images and index its re-pointing writes. */
export interface MergeDeps extends PeopleDeps, RepointDeps {}

/**
 * Images a merge request re-points at most: about 5 calls each (the record read and updated, its postings put and
 * the stale deleted, `unindexTerms` cleared), 8 at a time, well inside the route's time. A merge of people with more
 * images between them re-points the rest at the person's next merge; meanwhile its search reads those ids too.
 */
export const REPOINT_BUDGET = 400;

/**
 * Merge people into one of the caller's: each named person's faces become the target's, and its id answers the
 * target from then on. Into itself is a 400; an unknown, already merged or another owner's person (target or
 * source) is a 404 before anything is written; the store writes the merge at once or not at all. Then the merged
 * people's images are re-pointed to the target (their records' faces and `person=` postings), so that a search for
 * the person reads one term (docs/search.md); what is not done (past REPOINT_BUDGET, or an image that kept
 * changing) is still found through the merged ids, and done by the next merge into the person.
 */
export async function mergePeople(
  targetId: string,
  merge: Merge,
  caller: Caller,
  deps: MergeDeps,
): Promise<PersonAnswer> {
  if (merge.personIds.includes(targetId)) {
    throw new BadRequestError(`personIds: ${targetId} is the person merged into; a person cannot merge into itself`);
  }
  const target = await deps.people.get(caller.owner, targetId);
  // A merged person's id answers its target: merging into it would merge into someone else.
  if (!target || target.personId !== targetId) throw new NotFoundError(`person ${targetId} not found`);
  for (const sourceId of merge.personIds) {
    const source = await deps.people.get(caller.owner, sourceId);
    if (!source || source.personId !== sourceId) throw new NotFoundError(`person ${sourceId} not found`);
  }
  const merged = await deps.people.merge(caller.owner, targetId, merge.personIds);
  const repoint = (imageId: string, ids: ReadonlySet<string>) =>
    repointImage(deps, caller.owner, imageId, ids, targetId);
  await deps.people.repointMerged(caller.owner, targetId, repoint, { budget: REPOINT_BUDGET });
  return withCover(merged, deps.covers);
}
