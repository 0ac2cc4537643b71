import { z } from 'zod';
import { ApiEnvSchema, type ApiWiring, apiEnvironment, type FunctionEnvironment } from '../../api/env';

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
