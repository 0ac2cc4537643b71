import { z } from 'zod';
import { type PeopleDeps, type PersonAnswer, withCover } from '../../api/people';
import { MAX_NAME_LENGTH, PersonNameSchema } from '../../people/people-store';
import { NotFoundError } from '../../shared/errors';
import type { Caller } from '../../store/owner';

/** `PATCH /people/{id}` body. */
export const RenameSchema = z.strictObject(
  {
    name: PersonNameSchema.nullable().meta({
      description: `The name, 1 to ${MAX_NAME_LENGTH} characters once trimmed, valid Unicode without control characters; null takes it away`,
    }),
  },
  { error: 'must be a JSON object {"name": string | null}' },
);
export type Rename = z.output<typeof RenameSchema>;

/**
 * Name one of the caller's people (or take its name away); an unknown or another owner's person is a 404. The name
 * is checked before the store sees it (RenameSchema).
 */
export async function renamePerson(
  personId: string,
  rename: Rename,
  caller: Caller,
  deps: PeopleDeps,
): Promise<PersonAnswer> {
  const person = await deps.people.get(caller.owner, personId);
  if (!person) throw new NotFoundError(`person ${personId} not found`);
  // A merged person's id names the person it was merged into, as GET answers it: that one is renamed.
  return withCover(await deps.people.rename(caller.owner, person.personId, rename.name), deps.covers);
}
