import { z } from 'zod';
import { ApiEnvSchema, type ApiWiring, apiEnvironment } from '../../../api/env';
import type { ApiRouteFactory } from '../../../api/route';
import { ImageIdPathSchema, type SameType } from '../../../api/schemas';
import { SinkEnvShape, type SinkWiring, sinkEnvironment } from '../../../events/wiring';
import type { FunctionEnvironment } from '../../../settings/env';
import { LabelChangeSchema, type LabelsAnswer } from './correct-labels';

/** `PATCH /images/{id}/labels`: every variable it reads. */
export const CorrectLabelsEnvSchema = ApiEnvSchema.extend({
  /** The search index table: the image's label postings follow the change. */
  SEARCH_TABLE_NAME: z.string().min(1),
  ...SinkEnvShape,
});
export type CorrectLabelsEnv = z.output<typeof CorrectLabelsEnvSchema>;

export interface CorrectLabelsWiring extends ApiWiring, SinkWiring {
  readonly searchTableName: string;
}

/** The environment the stack and the local runner give this function. */
export function environmentFor(wiring: CorrectLabelsWiring): FunctionEnvironment {
  return {
    ...apiEnvironment(wiring),
    SEARCH_TABLE_NAME: wiring.searchTableName,
    ...sinkEnvironment(wiring),
  };
}

/** `PATCH /images/{id}/labels` → 200: the image's labels after the change. */
export const LabelsAnswerSchema = z
  .object({
    imageId: z.string(),
    labels: z
      .array(z.object({ name: z.string(), source: z.enum(['model', 'user']) }).meta({ id: 'ImageLabel' }))
      .meta({ description: "The model's labels not taken away, then people's" }),
  })
  .meta({ id: 'ImageLabels' });

// The use case answers exactly what the document says.
const _answerChecked: SameType<LabelsAnswer, z.output<typeof LabelsAnswerSchema>> = true;

export const route: ApiRouteFactory = () => ({
  method: 'PATCH',
  path: '/images/{id}/labels',
  operationId: 'correct-labels',
  access: 'write',
  summary: "Add or take away an image's labels",
  description:
    'Added labels are kept beside the model’s with source `user`, never rewritten by reprocessing, and searchable ' +
    '(`label=`, `labelSource=user`); a removed label is dropped, or hidden if the model said it. Publishes ' +
    '`Image Labels Changed`.',
  request: { path: ImageIdPathSchema, body: LabelChangeSchema },
  answers: { 200: { description: 'The labels now', body: LabelsAnswerSchema } },
  errors: {
    400: 'A malformed body: not an object, no label, more than 20, a bad name, or one both added and removed',
    404: "No such image, or another owner's",
    409: 'The image is not PROCESSED yet, or changed while the labels were being corrected (try again)',
  },
});
