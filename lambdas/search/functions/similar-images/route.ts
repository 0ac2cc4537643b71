import { z } from 'zod';
import { ApiEnvSchema, type ApiWiring, apiEnvironment } from '../../../api/env';
import type { ApiRouteFactory } from '../../../api/route';
import { ImageIdPathSchema, type SameType } from '../../../api/schemas';
import type { FunctionEnvironment } from '../../../settings/env';
import { type SimilarPage, SimilarQuerySchema } from './similar-images';

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

// The use case answers exactly what the document says.
const _answerChecked: SameType<SimilarPage, z.output<typeof SimilarPageSchema>> = true;

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
    404: "No such image, or another owner's",
    409: 'The image is not PROCESSED yet, so it has no perceptual hash',
  },
});
