import { z } from 'zod';
import { ApiEnvSchema, apiEnvironment } from '../../../api/env';
import type { ApiRouteFactory } from '../../../api/route';
import { QUERY_STRING_ERRORS, type SameType } from '../../../api/schemas';
import { PlaceNamesSchema } from '../../../core/place';
import type { PlaceSuggestion } from '../../geocoder';

/** Suggestions a page holds at most. */
export const MAX_SUGGESTIONS = 20;

/** `GET /places/suggestions` query string. */
export const SuggestPlacesQuerySchema = z.strictObject(
  {
    q: z
      .string()
      .trim()
      .min(1, 'type at least one letter')
      .max(100)
      .meta({ description: 'What is typed so far: the start of a town, region or country name, in any of its names' }),
    limit: z.coerce
      .number()
      .int()
      .min(1)
      .max(MAX_SUGGESTIONS)
      .default(8)
      .meta({ description: `Suggestions at most, 1 to ${MAX_SUGGESTIONS}; 8 by default` }),
  },
  QUERY_STRING_ERRORS,
);
export type SuggestPlacesQuery = z.output<typeof SuggestPlacesQuerySchema>;

/** `GET /places/suggestions`: every variable it reads (none but the API's own: it reads the bundled data alone). */
export const SuggestPlacesEnvSchema = ApiEnvSchema;
export const environmentFor = apiEnvironment;

const SuggestionSchema = z
  .object({
    kind: z.enum(['country', 'region', 'area', 'locality']).meta({ description: 'The level the suggestion is' }),
    label: z.string().meta({ description: 'How a list shows it: "Genève, Switzerland"' }),
    place: PlaceNamesSchema.meta({
      description:
        'Its names as the places data writes them, from the country down, each with its code and other names ' +
        '(`aka`): send it as `place` to `PUT /images/{id}/place` (the codes are kept)',
    }),
    population: z.number().int().optional().meta({ description: "A town's population, which orders the towns" }),
  })
  .meta({ id: 'PlaceSuggestion' });

/** `GET /places/suggestions` → 200. */
export const SuggestionsSchema = z.object({ suggestions: z.array(SuggestionSchema) }).meta({ id: 'PlaceSuggestions' });

// The handler answers exactly what the document says.
const _answerChecked: SameType<{ suggestions: PlaceSuggestion[] }, z.output<typeof SuggestionsSchema>> = true;

export const route: ApiRouteFactory = () => ({
  method: 'GET',
  path: '/places/suggestions',
  operationId: 'suggest-places',
  access: 'read',
  summary: 'Places of the places data whose names start with what is typed, for a place form',
  description:
    'Countries (by their own, English or other common names and codes: `usa`, `schweiz`), then regions and areas, ' +
    'then towns, the most populous first (docs/places.md#corrections). Reads the data shipped with the function ' +
    "alone: no one's photos.",
  request: { query: SuggestPlacesQuerySchema },
  answers: { 200: { description: 'The suggestions, at most `limit`', body: SuggestionsSchema } },
  errors: { 400: 'No `q`, a `limit` out of range, or an unknown parameter' },
});
