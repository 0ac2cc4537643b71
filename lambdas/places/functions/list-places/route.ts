import { z } from 'zod';
import { ApiEnvSchema, type ApiWiring, apiEnvironment } from '../../../api/env';
import type { ApiRouteFactory } from '../../../api/route';
import { PageCursorParameter, pageLimitParameter, QUERY_STRING_ERRORS } from '../../../api/schemas';
import { PositionSchema } from '../../../core/place';
import { MAX_PLACES_PAGE } from '../../../search/postings-design';
import type { DeploymentSettings } from '../../../settings';
import { type FunctionEnvironment, setting } from '../../../settings/env';
import { S3EnvSchema } from '../../../shared/contract';
import { OwnerSchema } from '../../../store/owner';

/** `GET /places` query string. */
export const ListPlacesQuerySchema = z.strictObject(
  {
    owner: OwnerSchema.optional().meta({ description: "Admins only: this owner's places (anyone else: their own)" }),
    partner: OwnerSchema.optional().meta({
      description:
        "This owner's places, when they share their whole library with the caller (`POST /partners`); 404 without " +
        'a grant, 400 for a grant from a date or of albums',
    }),
    limit: pageLimitParameter(MAX_PLACES_PAGE, MAX_PLACES_PAGE).meta({
      description: `Places (localities) per page, 1 to ${MAX_PLACES_PAGE}, the default`,
    }),
    cursor: PageCursorParameter,
  },
  QUERY_STRING_ERRORS,
);
export type ListPlacesQuery = z.output<typeof ListPlacesQuerySchema>;

/** `GET /places`: every variable it reads. */
export const ListPlacesEnvSchema = ApiEnvSchema.extend(S3EnvSchema.shape).extend({
  /** The search index table: the place counters it queries. */
  SEARCH_TABLE_NAME: z.string().min(1),
  /** `partner=`: the grants (lambdas/partners/table-design.ts), read by key before a partner's places. */
  PARTNERS_TABLE: z.string().min(1),
  /** The bucket of the thumbnails a place's cover links to. */
  BUCKET_NAME: z.string().min(1),
  DOWNLOAD_URL_TTL_SECONDS: setting('downloadUrlTtlSeconds'),
  /** The thumbnails' sizes: a cover links to the smallest of at least 512 pixels, a card's. */
  THUMBNAIL_SIZES: setting('thumbnailSizes'),
});
export type ListPlacesEnv = z.output<typeof ListPlacesEnvSchema>;

export interface ListPlacesWiring extends ApiWiring {
  readonly searchTableName: string;
  /** The partners' table (a floor up, so named here, not imported), which every deployment has. */
  readonly partners?: { readonly tableName: string };
  readonly bucketName: string;
  readonly settings: Pick<DeploymentSettings, 'corsOrigins' | 'auth' | 'downloadUrlTtlSeconds' | 'thumbnailSizes'>;
}

/** The environment the stack and the local runner give this function. */
export function environmentFor(wiring: ListPlacesWiring): FunctionEnvironment {
  return {
    ...apiEnvironment(wiring),
    SEARCH_TABLE_NAME: wiring.searchTableName,
    PARTNERS_TABLE: partnersTableOf(wiring.partners),
    BUCKET_NAME: wiring.bucketName,
    DOWNLOAD_URL_TTL_SECONDS: String(wiring.settings.downloadUrlTtlSeconds),
    THUMBNAIL_SIZES: wiring.settings.thumbnailSizes.join(','),
  };
}

/** The partners table's name from the wiring, which every deployment's has. */
function partnersTableOf(partners: { readonly tableName: string } | undefined): string {
  if (!partners) throw new Error('the wiring has no partners table: lambdas/partners/table-design.ts declares it');
  return partners.tableName;
}

/** A place's cover photo: which, a link to its thumbnail, and where it was taken (the place's point on a map). */
const PlaceCoverSchema = z
  .object({
    imageId: z.string(),
    thumbnailUrl: z.string().meta({
      description:
        'A presigned GET of its thumbnail of at least 512 pixels on the longest side (the largest, where the ' +
        'deployment makes none so large), valid `downloadUrlTtlSeconds`: a card shows it without reading the image',
    }),
    position: PositionSchema.optional().meta({
      description:
        "Where it was taken (its GPS, or a position its owner set): the place's point on a map. Absent when it has " +
        'none, or when its owner named its place by hand (its GPS may be elsewhere)',
    }),
  })
  .meta({ id: 'PlaceCover' });

const group = {
  name: z.string().meta({ description: 'Its name, as the places data (or the owner) wrote it' }),
  code: z.string().optional().meta({
    description: "ISO 3166-1 for a country, ISO 3166-2 for a region, GeoNames' id for a locality, where known",
  }),
  count: z.number().int().meta({ description: 'Photos taken there (for a country or region, all within it)' }),
  place: z
    .array(z.string())
    .meta({ description: 'The `place=` values of `GET /images` that list its photos, all of them together' }),
  cover: PlaceCoverSchema.optional().meta({
    description:
      'A photo to show for it: the newest upload counted there (for a country or region, of all its places), ' +
      'read from the counters with no scan, with its thumbnail and position; absent while none is known (its cover ' +
      'was deleted or moved and no photo was added there since)',
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
  summary: "The caller's places (or a partner's), with how many photos each has",
  description:
    'Grouped country → region → locality, from counters kept exact as images are indexed, moved and deleted ' +
    '(docs/places.md). Each place names the `place=` values of `GET /images` that list its photos, and its cover ' +
    "photo with a link to its thumbnail and where it was taken (the covers' positions: one BatchGetItem per 100). " +
    "`partner=<owner>`: that owner's places, when they share their whole library with the caller: their counts, " +
    'and only covers a partner may see (docs/api.md#partners).',
  request: { query: ListPlacesQuerySchema },
  answers: { 200: { description: 'A page of places', body: PlacesPageSchema } },
  errors: {
    400:
      'A bad `limit`, `owner`, `partner` or `cursor`, or an unknown parameter; `partner` with `owner`, naming the ' +
      'caller, or an owner whose grant is from a date or of albums (their places are counted over a whole library)',
    403: '`owner` names another owner and the caller is not an admin',
    404: '`partner` names an owner who has not shared their library with the caller',
  },
});
