import { z } from 'zod';
import { BadRequestError } from '../../../shared/errors';
import type { Caller } from '../../../store/owner';
import { type PeopleDeps, type PersonAnswer, withCover } from '../people-api';

export { peopleQueryOf } from '../people-api';

export const DEFAULT_PEOPLE_LIMIT = 50;
/** Larger requests are served this many, as `GET /images` serves its own maximum. */
export const MAX_PEOPLE_LIMIT = 100;

/** `GET /people` query string. */
export const ListPeopleQuerySchema = z.strictObject(
  {
    limit: z
      .string()
      .regex(/^[0-9]+$/, 'must be a positive whole number')
      .transform(Number)
      .pipe(z.number().min(1, 'must be at least 1'))
      .transform((limit) => Math.min(limit, MAX_PEOPLE_LIMIT))
      .default(DEFAULT_PEOPLE_LIMIT)
      .meta({ description: `People per page, 1 to ${MAX_PEOPLE_LIMIT} (more is served ${MAX_PEOPLE_LIMIT})` }),
    cursor: z
      .string()
      .min(1, 'must not be empty')
      .max(1024, 'is not one this API returned')
      .optional()
      .meta({ description: "The previous page's `cursor`" }),
    hidden: z
      .enum(['true', 'false'], { error: 'must be true or false' })
      .transform((hidden) => hidden === 'true')
      .optional()
      .meta({ description: 'true: the people the caller hid (`PATCH /people/{id}` `hidden`) instead' }),
  },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys' ? `unknown parameter: ${issue.keys.join(', ')}` : 'must be a query string',
  },
);
export type ListPeopleQuery = z.output<typeof ListPeopleQuerySchema>;

export interface PeoplePage {
  items: PersonAnswer[];
  /** Present while more people may follow; pass it back as `cursor`. */
  cursor?: string;
}

/**
 * One page of the caller's people, most faces first (merged people are not listed): the store's page, each person
 * with a link to its cover's thumbnail. People are per owner: an admin sees their own here, as anyone does. A
 * cursor the store cannot use is the client's error.
 */
export async function listPeople(query: ListPeopleQuery, caller: Caller, deps: PeopleDeps): Promise<PeoplePage> {
  try {
    const hidden = query.hidden === true ? { hidden: true } : {};
    const page = await deps.people.list(caller.owner, { limit: query.limit, cursor: query.cursor, ...hidden });
    const items = await Promise.all(page.items.map((person) => withCover(person, deps.covers)));
    return page.cursor === undefined ? { items } : { items, cursor: page.cursor };
  } catch (error) {
    // By name: the store's cursors are its own (store/page-cursor.ts names its error so too).
    if (error instanceof Error && error.name === 'InvalidCursorError')
      throw new BadRequestError(`cursor: ${error.message}`);
    throw error;
  }
}
