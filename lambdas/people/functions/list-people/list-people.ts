import type { z } from 'zod';
import type { SameType } from '../../../api/schemas';
import { BadRequestError } from '../../../shared/errors';
import type { Caller } from '../../../store/owner';
import { withShownCovers } from '../../shown-covers';
import { type PeopleReadDeps, withCover } from '../people-api';
import type { PersonAnswer } from '../people-contract';
import type { ListPeopleQuery, PeoplePageSchema } from './route';

export interface PeoplePage {
  items: PersonAnswer[];
  /** Present while more people may follow; pass it back as `cursor`. */
  cursor?: string;
}

// The use case answers exactly what the document says.
const _answerChecked: SameType<PeoplePage, z.output<typeof PeoplePageSchema>> = true;

/**
 * One page of the caller's people, most faces first (merged people are not listed): the store's page, each person
 * with a cover whose photo is not in the trash or the locked folder (shown-covers.ts: the next face's when the one
 * kept is not; a person with none shown is left out, so a page may be shorter than `limit`), linked to its
 * thumbnail. People are per owner: an admin sees their own here, as anyone does. A cursor the store cannot use is
 * the client's error.
 */
export async function listPeople(query: ListPeopleQuery, caller: Caller, deps: PeopleReadDeps): Promise<PeoplePage> {
  try {
    const hidden = query.hidden === true ? { hidden: true } : {};
    const page = await deps.people.list(caller.owner, { limit: query.limit, cursor: query.cursor, ...hidden });
    const shown = await withShownCovers(caller.owner, page.items, deps.shownCovers);
    const items = await Promise.all(shown.map((person) => withCover(person, deps.covers)));
    return page.cursor === undefined ? { items } : { items, cursor: page.cursor };
  } catch (error) {
    // By name: the store's cursors are its own (store/page-cursor.ts names its error so too).
    if (error instanceof Error && error.name === 'InvalidCursorError')
      throw new BadRequestError(`cursor: ${error.message}`);
    throw error;
  }
}
