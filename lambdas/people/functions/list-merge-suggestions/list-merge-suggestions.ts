import type { z } from 'zod';
import type { SameType } from '../../../api/schemas';
import { BadRequestError } from '../../../shared/errors';
import type { Caller } from '../../../store/owner';
import { type PeopleDeps, withCover } from '../people-api';
import type { PersonAnswer } from '../people-contract';
import type { SuggestionsPageSchema, SuggestionsQuery } from './route';

export interface SuggestionAnswer {
  people: PersonAnswer[];
  distance: number;
}

export interface SuggestionsAnswer {
  items: SuggestionAnswer[];
  cursor?: string;
}

// The use case answers exactly what the document says.
const _answerChecked: SameType<SuggestionsAnswer, z.output<typeof SuggestionsPageSchema>> = true;

/**
 * Merge suggestions for one page of the caller's people (people/suggestions.ts), each person with its cover's link.
 * Confirming one is `POST /people/{id}/merge`; dismissing it, `POST /people/suggestions/dismiss`.
 */
export async function listMergeSuggestions(
  query: SuggestionsQuery,
  caller: Caller,
  deps: PeopleDeps,
): Promise<SuggestionsAnswer> {
  try {
    const page = await deps.people.suggestions(caller.owner, { limit: query.limit, cursor: query.cursor });
    const items = await Promise.all(
      page.items.map(async ({ people, distance }) => ({
        people: await Promise.all(people.map((person) => withCover(person, deps.covers))),
        distance,
      })),
    );
    return page.cursor === undefined ? { items } : { items, cursor: page.cursor };
  } catch (error) {
    // By name: the store's cursors are its own (as list-people.ts reads them).
    if (error instanceof Error && error.name === 'InvalidCursorError') {
      throw new BadRequestError(`cursor: ${error.message}`);
    }
    throw error;
  }
}
