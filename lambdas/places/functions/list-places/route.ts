import { z } from 'zod';
import { ApiEnvSchema, type ApiWiring, apiEnvironment } from '../../../api/env';
import type { ApiRouteFactory } from '../../../api/route';
import { PageCursorParameter, pageLimitParameter, QUERY_STRING_ERRORS } from '../../../api/schemas';
import { MAX_PLACES_PAGE } from '../../../search/postings-design';
import type { FunctionEnvironment } from '../../../settings/env';
import { OwnerSchema } from '../../../store/owner';

/** `GET /places` query string. */
export const ListPlacesQuerySchema = z.strictObject(
  {
    owner: OwnerSchema.optional().meta({ description: "Admins only: this owner's places (anyone else: their own)" }),
    limit: pageLimitParameter(MAX_PLACES_PAGE, MAX_PLACES_PAGE).meta({
      description: `Places (localities) per page, 1 to ${MAX_PLACES_PAGE}, the default`,
    }),
    cursor: PageCursorParameter,
  },
  QUERY_STRING_ERRORS,
);
export type ListPlacesQuery = z.output<typeof ListPlacesQuerySchema>;

/** `GET /places`: every variable it reads. */
export const ListPlacesEnvSchema = ApiEnvSchema.extend({
  /** The search index table: the place counters it queries. */
  SEARCH_TABLE_NAME: z.string().min(1),
});
export type ListPlacesEnv = z.output<typeof ListPlacesEnvSchema>;

export interface ListPlacesWiring extends ApiWiring {
  readonly searchTableName: string;
}

/** The environment the stack and the local runner give this function. */
export function environmentFor(wiring: ListPlacesWiring): FunctionEnvironment {
  return { ...apiEnvironment(wiring), SEARCH_TABLE_NAME: wiring.searchTableName };
}

const group = {
  name: z.string().meta({ description: 'Its name, as the places data (or the owner) wrote it' }),
  code: z.string().optional().meta({
    description: "ISO 3166-1 for a country, ISO 3166-2 for a region, GeoNames' id for a locality, where known",
  }),
  count: z.number().int().meta({ description: 'Photos taken there (for a country or region, all within it)' }),
  place: z
    .array(z.string())
    .meta({ description: 'The `place=` values of `GET /images` that list its photos, all of them together' }),
  cover: z
    .object({ imageId: z.string() })
    .optional()
    .meta({
      description:
        'A photo to show for it: the newest upload counted there (for a country or region, of all its places), ' +
        'read from the counters with no scan; absent while none is known (its cover was deleted or moved and no ' +
        'photo was added there since)',
    }),
};
const LocalitySchema = z.object(group).meta({ id: 'PlaceLocality' });
const RegionSchema = z.object({ ...group, localities: z.array(LocalitySchema) }).meta({ id: 'PlaceRegion' });
const CountrySchema = z.object({ ...group, regions: z.array(RegionSchema) }).meta({ id: 'PlaceCountry' });

/** `GET /places` → 200: the owner's places with their counts. */
export const PlacesPageSchema = z
  .object({
    countries: z.array(CountrySchema).meta({ description: 'By country, then region, then locality' }),
    cursor: z
      .string()
      .optional()
      .meta({
        description:
          'Present while more places may follow: pass it back. A country (or region) may go on on the next page, with ' +
          'the count of its places there',
      }),
  })
  .meta({ id: 'PlacesPage' });

export const route: ApiRouteFactory = () => ({
  method: 'GET',
  path: '/places',
  operationId: 'list-places',
  access: 'read',
  summary: "The caller's places, with how many photos each has",
  description:
    'Grouped country → region → locality, from counters kept exact as images are indexed, moved and deleted ' +
    '(docs/places.md). Each place names the `place=` values of `GET /images` that list its photos.',
  request: { query: ListPlacesQuerySchema },
  answers: { 200: { description: 'A page of places', body: PlacesPageSchema } },
  errors: {
    400: 'A bad `limit`, `owner` or `cursor`, or an unknown parameter',
    403: '`owner` names another owner and the caller is not an admin',
  },
});
