import { z } from 'zod';
import { ApiEnvSchema, type ApiWiring, apiEnvironment } from '../../../api/env';
import type { ApiRouteFactory } from '../../../api/route';
import type { FunctionEnvironment } from '../../../settings/env';

/** `POST /trash/empty`: every variable it reads. */
export const EmptyTrashEnvSchema = ApiEnvSchema.extend({
  /** The purge's queue: the caller's trash is handed to it, one message per shard. */
  TRASH_QUEUE_URL: z.string().min(1),
});
export type EmptyTrashEnv = z.output<typeof EmptyTrashEnvSchema>;

export interface EmptyTrashWiring extends ApiWiring {
  readonly trashQueueUrl: string;
}

/** The environment the stack and the local runner give this function. */
export function environmentFor(wiring: EmptyTrashWiring): FunctionEnvironment {
  return { ...apiEnvironment(wiring), TRASH_QUEUE_URL: wiring.trashQueueUrl };
}

/** `POST /trash/empty` → 202: the purge has the caller's trash, up to `before`. */
export const EmptyingAnswerSchema = z
  .object({
    emptying: z.literal(true),
    before: z.iso.datetime().meta({ description: 'Images moved to the trash at or before this time are purged' }),
  })
  .meta({ id: 'EmptyingTrash' });

export const route: ApiRouteFactory = () => ({
  method: 'POST',
  path: '/trash/empty',
  operationId: 'empty-trash',
  access: 'write',
  summary: "Delete everything in the caller's trash for good",
  description:
    'Hands the trash to the purge (a queue, a page at a time), which deletes each image as `DELETE /images/{id}' +
    '?permanently=true` does and publishes `Image Deleted`; images restored meanwhile are kept, and images moved to ' +
    'the trash after the request are not touched. Answers at once; the trash list empties within seconds to minutes. An admin empties their own trash.',
  answers: { 202: { description: 'The purge has the trash', body: EmptyingAnswerSchema } },
});
