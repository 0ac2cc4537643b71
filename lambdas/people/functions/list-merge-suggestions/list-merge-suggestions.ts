import { z } from 'zod';
import { BadRequestError } from '../../../shared/errors';
import type { Caller } from '../../../store/owner';
import { MAX_SUGGESTION_PEOPLE } from '../../suggestions';
import { type PeopleDeps, type PersonAnswer, withCover } from '../people-api';

/** `GET /people/suggestions` query string. */
export const SuggestionsQuerySchema = z.strictObject(
  {
    limit: z
      .string()
      .regex(/^[0-9]+$/, 'must be a positive whole number')
      .transform(Number)
      .pipe(z.number().min(1, 'must be at least 1'))
      .transform((limit) => Math.min(limit, MAX_SUGGESTION_PEOPLE))
      .default(MAX_SUGGESTION_PEOPLE)
      .meta({
        description: `People examined, 1 to ${MAX_SUGGESTION_PEOPLE} (more is served ${MAX_SUGGESTION_PEOPLE})`,
      }),
    cursor: z
      .string()
      .min(1, 'must not be empty')
      .max(1024, 'is not one this API returned')
      .optional()
      .meta({ description: "The previous page's `cursor`" }),
  },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys' ? `unknown parameter: ${issue.keys.join(', ')}` : 'must be a query string',
  },
);
export type SuggestionsQuery = z.output<typeof SuggestionsQuerySchema>;

export interface SuggestionAnswer {
  people: PersonAnswer[];
  distance: number;
}

export interface SuggestionsAnswer {
  items: SuggestionAnswer[];
  cursor?: string;
}

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
