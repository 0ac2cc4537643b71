import { z } from 'zod';
import { ApiEnvSchema, type ApiWiring, apiEnvironment, type FunctionEnvironment } from '../../../api/env';
import type { ApiRouteFactory } from '../../../api/route';
import { ImageIdPathSchema } from '../../../api/schemas';
import { SinkEnvShape, type SinkWiring, sinkEnvironment } from '../../../events/sinks';
import {
  checkPeopleEnv,
  PeopleEnvSchema,
  type PeopleWiring,
  peopleEnvironment,
} from '../../../ingest/functions/processor/contract';
import { MeaningEnvShape, type MeaningWiring, meaningEnvironment } from '../../../search/meaning/contract';
import type { DeploymentSettings } from '../../../settings';
import { S3EnvSchema } from '../../../shared/aws-clients';

/** `DELETE /images/{id}`: every variable it reads. */
export const DeleteImageEnvSchema = ApiEnvSchema.extend(S3EnvSchema.shape)
  .extend({
    // Unused: items name their own bucket (this one). Parsed to keep the environment the stack wires checked.
    BUCKET_NAME: z.string().min(1),
    /** The search index table: the image's postings go with it. */
    SEARCH_TABLE_NAME: z.string().min(1),
  })
  // Its Image Deleted event goes to each sink.
  .extend(SinkEnvShape)
  // With faceGrouping the image's faces go too: from the people table, and with Rekognition from its collection
  // (FACE_COLLECTION_ID is set only then).
  .extend(PeopleEnvSchema.shape)
  // With semantic search on, the image's vector goes too.
  .extend(MeaningEnvShape)
  .superRefine((env, context) => checkPeopleEnv(env, undefined, context));
export type DeleteImageEnv = z.output<typeof DeleteImageEnvSchema>;

export interface DeleteImageWiring extends ApiWiring, SinkWiring {
  readonly bucketName: string;
  readonly searchTableName: string;
  readonly settings: ApiWiring['settings'] & Pick<DeploymentSettings, 'faceGrouping' | 'inference'>;
  /** The people table and (with Rekognition) the face collection, with `faceGrouping`. */
  readonly people?: PeopleWiring;
  /** The vector index and its model, with `semanticSearch` on. */
  readonly meaning?: MeaningWiring;
}

/** The environment the stack and the local runner give this function. */
export function environmentFor(wiring: DeleteImageWiring): FunctionEnvironment {
  return {
    ...apiEnvironment(wiring),
    BUCKET_NAME: wiring.bucketName,
    ...sinkEnvironment(wiring),
    SEARCH_TABLE_NAME: wiring.searchTableName,
    ...peopleEnvironment(wiring.settings, wiring.people),
    ...meaningEnvironment(wiring.meaning),
  };
}

export const route: ApiRouteFactory = () => ({
  method: 'DELETE',
  path: '/images/{id}',
  operationId: 'delete-image',
  access: 'write',
  summary: 'Delete one image: its original, thumbnails, renditions, faces and record',
  description:
    'With face grouping on, its faces go too, and a person left with none. ' +
    "Publishes `Image Deleted`. Another owner's image is a 404 and is left untouched. Deleting while the processor " +
    'works on the image can leave a record behind: delete it again.',
  request: { path: ImageIdPathSchema },
  answers: { 204: { description: 'Deleted; no body' } },
  errors: { 400: 'The id is not an image id', 404: "No such image, or another owner's" },
});
