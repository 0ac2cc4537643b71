import { z } from 'zod';
import { ApiEnvSchema, type ApiWiring, apiEnvironment } from '../../../api/env';
import type { ApiRouteFactory } from '../../../api/route';
import { ImageIdPathSchema } from '../../../api/schemas';
import { SinkEnvShape, type SinkWiring, sinkEnvironment } from '../../../events/wiring';
import { MAX_NAME_CHARS, NAME_CHARS } from '../../../search/filters';
import type { FunctionEnvironment } from '../../../settings/env';
import { normalizeName } from '../../../store/labels';

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

export const MAX_CHANGES = 20;
/**
 * A label: its length checked on its own first, so a long one is refused naming the limit and its own length (the
 * web form cut a pasted 200-character label to 64 without a word); never shortened here either.
 */
const label = z
  .string()
  .max(MAX_NAME_CHARS, {
    error: (issue) =>
      `is ${String(issue.input).length} characters: a label is at most ${MAX_NAME_CHARS} (nothing is cut: shorten it)`,
  })
  .regex(NAME_CHARS, "must be a label: letters, digits, spaces and ' . -, starting with a letter or digit");
const names = z.array(label).max(MAX_CHANGES, `at most ${MAX_CHANGES} labels`).default([]);

/**
 * `PATCH /images/{id}/labels` body: labels to add (source `user`) and to take away (a model's, a person's, or a
 * likely match).
 */
export const LabelChangeSchema = z
  .strictObject({ add: names, remove: names }, { error: 'must be a JSON object {add?, remove?}' })
  .refine((change) => change.add.length + change.remove.length > 0, 'add or remove at least one label')
  .refine(
    (change) => !change.add.some((name) => change.remove.map(normalizeName).includes(normalizeName(name))),
    'a label cannot be both added and removed',
  );
export type LabelChange = z.output<typeof LabelChangeSchema>;

/** `PATCH /images/{id}/labels` → 200: the image's labels after the change. */
export const LabelsAnswerSchema = z
  .object({
    imageId: z.string(),
    labels: z
      .array(z.object({ name: z.string(), source: z.enum(['model', 'user']) }).meta({ id: 'ImageLabel' }))
      .meta({ description: "The model's labels not taken away, then people's" }),
  })
  .meta({ id: 'ImageLabels' });

export const route: ApiRouteFactory = () => ({
  method: 'PATCH',
  path: '/images/{id}/labels',
  operationId: 'correct-labels',
  access: 'write',
  summary: "Add or take away an image's labels",
  description:
    'Added labels are kept beside the model’s with source `user`, never rewritten by reprocessing, and searchable ' +
    '(`label=`, `labelSource=user`); a removed label is dropped, or hidden if the model said it. A likely match ' +
    '(`GET /images/{id}` `likely`) is confirmed by adding it (a likely object is then found by `object=` too) and ' +
    'dismissed by removing it: a search finds it as likely no more. Publishes `Image Labels Changed`.',
  request: { path: ImageIdPathSchema, body: LabelChangeSchema },
  answers: { 200: { description: 'The labels now', body: LabelsAnswerSchema } },
  errors: {
    400: 'A malformed body: not an object, no label, more than 20, a bad name, or one both added and removed',
    404: "No such image, or another owner's",
    409: 'The image is not PROCESSED yet, or changed while the labels were being corrected (try again)',
  },
});
