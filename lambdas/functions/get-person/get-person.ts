import { type PeopleDeps, type PersonAnswer, withCover } from '../../api/people';
import { NotFoundError } from '../../shared/errors';
import type { Caller } from '../../store/owner';

/**
 * One of the caller's people, with its cover's link. A merged person's id answers the person it was merged into
 * (the store resolves it); an unknown id and another owner's person are the same 404, so ids reveal nothing.
 */
export async function getPerson(personId: string, caller: Caller, deps: PeopleDeps): Promise<PersonAnswer> {
  const person = await deps.people.get(caller.owner, personId);
  if (!person) throw new NotFoundError(`person ${personId} not found`);
  return withCover(person, deps.covers);
}
