import { z } from 'zod';
import { ApiEnvSchema, type ApiWiring, apiEnvironment, type FunctionEnvironment } from '../../api/env';

/** `PATCH /images/{id}/labels`: every variable it reads. */
export const CorrectLabelsEnvSchema = ApiEnvSchema.extend({
  /** The search index table: the image's label postings follow the change. */
  SEARCH_TABLE_NAME: z.string().min(1),
  EVENT_BUS_NAME: z.string().min(1),
});
export type CorrectLabelsEnv = z.output<typeof CorrectLabelsEnvSchema>;

export interface CorrectLabelsWiring extends ApiWiring {
  readonly searchTableName: string;
  readonly eventBusName: string;
}

/** The environment the stack and the local runner give this function. */
export function environmentFor(wiring: CorrectLabelsWiring): FunctionEnvironment {
  return {
    ...apiEnvironment(wiring),
    SEARCH_TABLE_NAME: wiring.searchTableName,
    EVENT_BUS_NAME: wiring.eventBusName,
  };
}
