import { z } from 'zod';
import type { ApiRouteFactory } from '../../../api/route';
import { PageCursorParameter, pageLimitParameter, QUERY_STRING_ERRORS } from '../../../api/schemas';
import { CANDIDATES_PER_PERSON, MAX_SUGGESTION_PEOPLE } from '../../contract';
import { PersonSchema } from '../people-contract';

/** `GET /people/suggestions` query string. */
export const SuggestionsQuerySchema = z.strictObject(
  {
    limit: pageLimitParameter(MAX_SUGGESTION_PEOPLE, MAX_SUGGESTION_PEOPLE).meta({
      description: `People examined, 1 to ${MAX_SUGGESTION_PEOPLE} (more is served ${MAX_SUGGESTION_PEOPLE})`,
    }),
    cursor: PageCursorParameter,
  },
  QUERY_STRING_ERRORS,
);
export type SuggestionsQuery = z.output<typeof SuggestionsQuerySchema>;

/** `GET /people/suggestions` → 200: pairs of people that may be one. */
export const SuggestionsPageSchema = z
  .object({
    items: z.array(
      z
        .object({
          people: z.array(PersonSchema).meta({ description: 'The two people, the one examined first' }),
          distance: z.number().meta({ description: 'How far apart their nearest faces are (smaller: more alike)' }),
        })
        .meta({ id: 'MergeSuggestion' }),
    ),
    cursor: z.string().optional().meta({ description: 'Present while more people may be examined; pass it back' }),
  })
  .meta({ id: 'MergeSuggestions' });

export const route: ApiRouteFactory = () => ({
  method: 'GET',
  path: '/people/suggestions',
  operationId: 'list-merge-suggestions',
  access: 'read',
  summary: 'People that may be one: merge suggestions',
  description:
    `Only with face grouping on (docs/people.md, corrections). A page examines at most ${MAX_SUGGESTION_PEOPLE} of ` +
    `the caller’s people (the people list’s order): each one’s cover face is looked up in the face index, a little ` +
    `wider than grouping joins, for faces of at most ${CANDIDATES_PER_PERSON} other people. Dismissed pairs and ` +
    'hidden people are left out. A page may hold none and still have a `cursor`. Confirm one with ' +
    '`POST /people/{id}/merge`, dismiss it with `POST /people/suggestions/dismiss`.',
  request: { query: SuggestionsQuerySchema },
  answers: { 200: { description: 'A page of suggestions', body: SuggestionsPageSchema } },
  errors: { 400: 'A bad `limit` or `cursor`, or an unknown parameter' },
});
