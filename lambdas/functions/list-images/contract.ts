import { z } from 'zod';
import { ApiEnvSchema, type ApiWiring, apiEnvironment, type FunctionEnvironment } from '../../shared/api-env';

/** `GET /images`: every variable it reads. */
export const ListImagesEnvSchema = ApiEnvSchema.extend({
  /** The search index table: filtered lists read its postings. */
  SEARCH_TABLE_NAME: z.string().min(1),
});
export type ListImagesEnv = z.output<typeof ListImagesEnvSchema>;

export interface ListImagesWiring extends ApiWiring {
  readonly searchTableName: string;
}

/** The environment the stack and the local runner give this function. */
export function environmentFor(wiring: ListImagesWiring): FunctionEnvironment {
  return { ...apiEnvironment(wiring), SEARCH_TABLE_NAME: wiring.searchTableName };
}
