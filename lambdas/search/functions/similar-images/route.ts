import { z } from 'zod';
import { ApiEnvSchema, type ApiWiring, apiEnvironment } from '../../../api/env';
import type { ApiRouteFactory } from '../../../api/route';
import { ImageIdPathSchema } from '../../../api/schemas';
import type { FunctionEnvironment } from '../../../settings/env';

/** `GET /images/{id}/similar`: every variable it reads. */
export const SimilarImagesEnvSchema = ApiEnvSchema.extend({
  /** The search index table: the hash postings it queries. */
  SEARCH_TABLE_NAME: z.string().min(1),
});
export type SimilarImagesEnv = z.output<typeof SimilarImagesEnvSchema>;

export interface SimilarImagesWiring extends ApiWiring {
  readonly searchTableName: string;
}

/** The environment the stack and the local runner give this function. */
export function environmentFor(wiring: SimilarImagesWiring): FunctionEnvironment {
  return { ...apiEnvironment(wiring), SEARCH_TABLE_NAME: wiring.searchTableName };
}

/**
 * What a resized or re-encoded copy stays within, for 52 band Queries; 10 finds more edited copies for 428 (and about
 * eight times the postings), so it is asked for, not the default (docs/api.md#get-imagesidsimilar).
 */
export const DEFAULT_MAX_DISTANCE = 6;
/**
 * The largest distance a query may ask for: within 11, the band radii (`bandRadii`) add up to 8, so each band probes
 * its values within 2 bits (137 of them). At 12, one band would probe within 3 bits: 697 values, five times as many.
 */
export const MAX_DISTANCE = 11;
export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 100;

const count = (description: string, min: number, max: number, fallback: number) =>
  z
    .string()
    .regex(/^[0-9]{1,3}$/, `must be a whole number from ${min} to ${max}`)
    .transform(Number)
    .pipe(z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`))
    .default(fallback)
    .meta({ description });

/** `GET /images/{id}/similar` query string. */
export const SimilarQuerySchema = z.strictObject(
  {
    maxDistance: count(
      `Largest Hamming distance between perceptual hashes, 0 to ${MAX_DISTANCE} (default ${DEFAULT_MAX_DISTANCE})`,
      0,
      MAX_DISTANCE,
      DEFAULT_MAX_DISTANCE,
    ),
    limit: count(`Images at most, 1 to ${MAX_LIMIT} (default ${DEFAULT_LIMIT})`, 1, MAX_LIMIT, DEFAULT_LIMIT),
  },
  {
    error: (issue) => (issue.code === 'unrecognized_keys' ? `unknown parameter: ${issue.keys.join(', ')}` : undefined),
  },
);
export type SimilarQuery = z.output<typeof SimilarQuerySchema>;

/** `GET /images/{id}/similar` → 200: the owner's images that look like this one, nearest first. */
export const SimilarPageSchema = z
  .object({
    imageId: z.string().meta({ description: 'The image asked about' }),
    maxDistance: z.number().int().meta({ description: 'The distance the answer was searched within' }),
    items: z
      .array(
        z
          .object({
            imageId: z.string(),
            distance: z.number().int().meta({ description: 'Bits in which the 64-bit perceptual hashes differ' }),
            duplicate: z.boolean().meta({ description: 'The very same bytes (SHA-256)' }),
          })
          .meta({ id: 'SimilarImage' }),
      )
      .meta({ description: 'Exact copies first, then by distance, then newest' }),
  })
  .meta({ id: 'SimilarPage' });

export const route: ApiRouteFactory = () => ({
  method: 'GET',
  path: '/images/{id}/similar',
  operationId: 'similar-images',
  access: 'read',
  summary: 'Find exact and near copies of an image among its owner’s images',
  description:
    'Exact copies by SHA-256, near ones by perceptual hash within `maxDistance` bits, found through an index of ' +
    "hash bands (docs/api.md). Another owner's image is a 404, as an unknown id is.",
  request: { path: ImageIdPathSchema, query: SimilarQuerySchema },
  answers: { 200: { description: 'The similar images', body: SimilarPageSchema } },
  errors: {
    400: 'The id is not an image id, or a parameter is unknown or out of range',
    404: "No such image, another owner's, or one in its owner's locked folder (to everyone)",
    409: 'The image is not PROCESSED yet, so it has no perceptual hash',
  },
});
