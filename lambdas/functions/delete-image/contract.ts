import { z } from 'zod';
import { ApiEnvSchema, type ApiWiring, apiEnvironment, type FunctionEnvironment } from '../../api/env';
import { PeopleTableEnvShape, peopleTableEnvironment } from '../../people/wiring';
import { S3EnvSchema } from '../../shared/aws-clients';

/** `DELETE /images/{id}`: every variable it reads. */
export const DeleteImageEnvSchema = ApiEnvSchema.extend(S3EnvSchema.shape).extend({
  // Unused: items name their own bucket (this one). Parsed to keep the environment the stack wires checked.
  BUCKET_NAME: z.string().min(1),
  EVENT_BUS_NAME: z.string().min(1),
  /** The search index table: the image's postings go with it. */
  SEARCH_TABLE_NAME: z.string().min(1),
  /** With face grouping on: the image's faces go with it (and a person left with none). */
  ...PeopleTableEnvShape,
});
export type DeleteImageEnv = z.output<typeof DeleteImageEnvSchema>;

export interface DeleteImageWiring extends ApiWiring {
  readonly bucketName: string;
  readonly eventBusName: string;
  readonly searchTableName: string;
  /** The people table, with `faceGrouping` on. @default - none: face grouping is off */
  readonly peopleTableName?: string;
}

/** The environment the stack and the local runner give this function. */
export function environmentFor(wiring: DeleteImageWiring): FunctionEnvironment {
  return {
    ...apiEnvironment(wiring),
    BUCKET_NAME: wiring.bucketName,
    EVENT_BUS_NAME: wiring.eventBusName,
    SEARCH_TABLE_NAME: wiring.searchTableName,
    ...peopleTableEnvironment(wiring.peopleTableName),
  };
}
