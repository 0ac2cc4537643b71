import { z } from 'zod';
import { ApiEnvSchema, type ApiWiring, apiEnvironment } from '../../../api/env';
import type { ApiRouteFactory } from '../../../api/route';
import { ImageIdPathSchema } from '../../../api/schemas';
import { SinkEnvShape, type SinkWiring, sinkEnvironment } from '../../../events/wiring';
import type { DeploymentSettings } from '../../../settings';
import { type FunctionEnvironment, setting } from '../../../settings/env';
import { S3EnvSchema } from '../../../shared/contract';

/**
 * `DELETE /images/{id}`: every variable it reads. No BUCKET_NAME: an image's record names the bucket of its objects
 * (an upload's, or a backfilled image's source), and its environment is near Lambda's 4 KB
 * (test/infra/environment-budget.test.ts).
 */
export const DeleteImageEnvSchema = ApiEnvSchema.extend(S3EnvSchema.shape)
  .extend({
    /** Days a deleted image stays in the trash; 0 deletes at once. */
    TRASH_DAYS: setting('trashDays'),
  })
  // Its Image Deleted event goes to each sink.
  // (What each room that keeps data about an image reads to remove it, or to take it out of its lists for the trash,
  // is its cleanup's: the registry adds it, lambdas/manifest/cleanups.ts.)
  .extend(SinkEnvShape);
export type DeleteImageEnv = z.output<typeof DeleteImageEnvSchema>;

export type DeleteImageWiring = ApiWiring &
  SinkWiring & {
    readonly settings: ApiWiring['settings'] & Pick<DeploymentSettings, 'trashDays'>;
  };

/** The environment the stack and the local runner give this function. */
export function environmentFor(wiring: DeleteImageWiring): FunctionEnvironment {
  return {
    ...apiEnvironment(wiring),
    ...sinkEnvironment(wiring),
    TRASH_DAYS: String(wiring.settings.trashDays),
  };
}

/** `?permanently=true`: delete now, past the trash. */
export const DeleteQuerySchema = z.object({
  permanently: z
    .enum(['true', 'false'], { error: 'must be true or false' })
    .transform((value) => value === 'true')
    .optional()
    .meta({ description: '`true`: delete now, past the trash (also an image already in it)' }),
});

/** `DELETE /images/{id}` → 200 with the trash on: where the image is now, and until when it can be restored. */
export const TrashedAnswerSchema = z
  .object({
    imageId: z.string(),
    status: z.literal('TRASHED'),
    trashedAt: z.iso.datetime().meta({ description: 'When it was moved to the trash' }),
    purgeAt: z.iso.datetime().meta({ description: 'When the scheduled purge deletes it for good' }),
  })
  .meta({ id: 'TrashedImage' });

export const route: ApiRouteFactory = () => ({
  method: 'DELETE',
  path: '/images/{id}',
  operationId: 'delete-image',
  access: 'write',
  summary: 'Move one image to the trash, or delete it for good',
  description:
    'With the trash on (`trashDays` > 0, the default 30) the image moves to the trash: it leaves every list, search ' +
    'and person but `GET /images?status=TRASHED`, keeps everything a restore needs (`POST /images/{id}/restore`), ' +
    'and is deleted for good at `purgeAt`; `Image Trashed` is published. An image in the trash answers the same again. ' +
    'A PENDING upload, `trashDays` 0 or `?permanently=true` delete now: the original, thumbnails, renditions, ' +
    'postings, vector, faces (a person left with none goes too), album memberships and record; `Image Deleted` is published. ' +
    "Another owner's image is a 404 and is left untouched.",
  request: { path: ImageIdPathSchema, query: DeleteQuerySchema },
  answers: {
    200: { description: 'Moved to the trash', body: TrashedAnswerSchema },
    204: { description: 'Deleted for good; no body' },
  },
  errors: {
    400: 'The id is not an image id, or `permanently` is not true or false',
    404: "No such image, or another owner's",
    409: 'The image kept changing (being processed) while it was being moved: try again',
  },
});
