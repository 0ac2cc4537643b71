import { z } from 'zod';
import { ApiEnvSchema, type ApiWiring, apiEnvironment } from '../../../api/env';
import type { ApiRouteFactory } from '../../../api/route';
import { ImageIdPathSchema } from '../../../api/schemas';
import { IMAGE_STATUSES } from '../../../core/vocabulary';
import { SinkEnvShape, type SinkWiring, sinkEnvironment } from '../../../events/wiring';
import type { FunctionEnvironment } from '../../../settings/env';

/** `POST /images/{id}/restore`: every variable it reads. */
// (The variables of the rooms whose lists the image comes back to are their cleanups': lambdas/manifest/cleanups.ts.)
export const RestoreImageEnvSchema = ApiEnvSchema.extend(SinkEnvShape);
export type RestoreImageEnv = z.output<typeof RestoreImageEnvSchema>;

export type RestoreImageWiring = ApiWiring & SinkWiring;

/** The environment the stack and the local runner give this function. */
export function environmentFor(wiring: RestoreImageWiring): FunctionEnvironment {
  return { ...apiEnvironment(wiring), ...sinkEnvironment(wiring) };
}

/** `POST /images/{id}/restore` → 200: the image is back with the status it had. */
export const RestoredAnswerSchema = z
  .object({
    imageId: z.string(),
    status: z.enum(IMAGE_STATUSES.filter((status) => status !== 'TRASHED') as ['PENDING', 'PROCESSED']),
  })
  .meta({ id: 'RestoredImage' });

export const route: ApiRouteFactory = () => ({
  method: 'POST',
  path: '/images/{id}/restore',
  operationId: 'restore-image',
  access: 'write',
  summary: 'Take one image out of the trash',
  description:
    'The image comes back with the status it had, in every list, in search (its postings are written again from ' +
    'its record: nothing is analysed again) and on its people. Publishes `Image Restored`.',
  request: { path: ImageIdPathSchema },
  answers: { 200: { description: 'Restored', body: RestoredAnswerSchema } },
  errors: {
    400: 'The id is not an image id',
    404: "No such image (a purged one is gone), or another owner's",
    409: 'The image is not in the trash, or changed while it was being restored (try again)',
  },
});
