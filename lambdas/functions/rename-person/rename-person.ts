import { z } from 'zod';
import { type PeopleDeps, type PersonAnswer, withCover } from '../../api/people';
import { NotFoundError } from '../../shared/errors';
import type { Caller } from '../../store/owner';

/** Characters a person's name may have at most, once trimmed. */
export const MAX_PERSON_NAME = 64;

/**
 * A person's name as a client gives it: no control character (`\p{Cc}`: a newline, a tab, NUL...), then trimmed,
 * 1 to MAX_PERSON_NAME characters (code points, so a name in any script counts as it reads).
 */
export const PersonNameSchema = z
  .string({ error: 'must be a string or null' })
  .refine((name) => !/\p{Cc}/u.test(name), 'must not contain control characters')
  .transform((name) => name.trim())
  .refine((name) => name.length > 0, 'must not be empty')
  .refine((name) => [...name].length <= MAX_PERSON_NAME, `must be at most ${MAX_PERSON_NAME} characters`);

/** `PATCH /people/{id}` body. */
export const RenameSchema = z.strictObject(
  {
    name: PersonNameSchema.nullable().meta({
      description: `The name, 1 to ${MAX_PERSON_NAME} characters once trimmed, no control characters; null takes it away`,
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
