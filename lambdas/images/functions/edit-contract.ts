import { z } from 'zod';
import { ApiEnvSchema, type ApiWiring, apiEnvironment } from '../../api/env';
import { SinkEnvShape, type SinkWiring, sinkEnvironment } from '../../events/wiring';
import type { FunctionEnvironment } from '../../settings/env';

/*
 * What the edit routes share (`PATCH /images/{id}/tags`, `PUT /images/{id}/taken`, `PUT /images/{id}/favourite`):
 * their environment. How an edit is written, indexed and announced is in edit-api.ts.
 */

/** Every variable an edit route reads. */
export const EditEnvSchema = ApiEnvSchema.extend({
  /** The search index table: the image's postings follow the edit (`tag=`, `taken=`, `favourite=`). */
  SEARCH_TABLE_NAME: z.string().min(1),
  ...SinkEnvShape,
});
export type EditEnv = z.output<typeof EditEnvSchema>;

export interface EditRouteWiring extends ApiWiring, SinkWiring {
  readonly searchTableName: string;
}

/** The environment the stack and the local runner give each edit route. */
export function editEnvironment(wiring: EditRouteWiring): FunctionEnvironment {
  return { ...apiEnvironment(wiring), SEARCH_TABLE_NAME: wiring.searchTableName, ...sinkEnvironment(wiring) };
}
