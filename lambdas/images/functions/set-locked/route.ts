import { z } from 'zod';
import { ApiEnvSchema, type ApiWiring, apiEnvironment } from '../../../api/env';
import type { ApiRouteFactory } from '../../../api/route';
import { ImageIdPathSchema } from '../../../api/schemas';
import { SinkEnvShape, type SinkWiring, sinkEnvironment } from '../../../events/wiring';
import type { FunctionEnvironment } from '../../../settings/env';

/**
 * `PUT /images/{id}/locked`: every variable it reads (the variables of the rooms whose lists the image leaves are
 * their cleanups': lambdas/manifest/cleanups.ts, occasion `trash`).
 */
export const SetLockedEnvSchema = ApiEnvSchema.extend(SinkEnvShape);
export type SetLockedEnv = z.output<typeof SetLockedEnvSchema>;

export type SetLockedWiring = ApiWiring & SinkWiring;

/** The environment the stack and the local runner give this function. */
export function environmentFor(wiring: SetLockedWiring): FunctionEnvironment {
  return { ...apiEnvironment(wiring), ...sinkEnvironment(wiring) };
}

const locked = z.boolean({ error: 'must be true or false' }).meta({ description: 'In the locked folder, or not' });

/** `PUT /images/{id}/locked` body. */
export const LockedChangeSchema = z.strictObject({ locked }, { error: 'must be a JSON object {locked}' });
export type LockedChange = z.output<typeof LockedChangeSchema>;

/** `PUT /images/{id}/locked` → 200: whether the image is locked now. */
export const LockedAnswerSchema = z.object({ imageId: z.string(), locked }).meta({ id: 'ImageLocked' });

export const route: ApiRouteFactory = () => ({
  method: 'PUT',
  path: '/images/{id}/locked',
  operationId: 'set-locked',
  access: 'write',
  summary: 'Move an image into the locked folder, or out of it',
  description:
    '`locked=true` takes it out of every list, the timeline, the status lists and the trash list, and out of search ' +
    '(words, objects, places and their counts); `GET /images?locked=true` with an `X-Unlock-Token` lists it, and ' +
    '`GET /images/{id}` answers it only with one. `false` puts it back where it was (in the archive if it was ' +
    'archived). Its owner only. Publishes `Image Updated` (`changed: ["locked"]`, without the photo’s tags, ' +
    'metadata or dates) when it changes. No token is needed to lock or unlock: moving a photo shows nothing of it.',
  request: { path: ImageIdPathSchema, body: LockedChangeSchema },
  answers: { 200: { description: 'Whether it is locked now', body: LockedAnswerSchema } },
  errors: {
    400: 'A malformed body: not an object `{locked: true | false}`',
    404: "No such image, or another owner's (an admin's too)",
    409: 'The image is not PROCESSED yet, or changed while it was being moved (try again)',
  },
});
