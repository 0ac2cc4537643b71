import { z } from 'zod';
import type { ApiRouteFactory } from '../../../api/route';
import { ImageIdPathSchema } from '../../../api/schemas';
import { EditEnvSchema, editEnvironment } from '../edit-contract';

/** `DELETE /images/{id}/taken`: every variable it reads. */
export const ClearDateTakenEnvSchema = EditEnvSchema;
export const environmentFor = editEnvironment;

/** `DELETE /images/{id}/taken` → 200: when the photo was taken now that its owner's date is gone. */
export const DateTakenClearedSchema = z
  .object({
    imageId: z.string(),
    takenAt: z
      .string()
      .optional()
      .meta({
        description:
          "When it was taken now: the photo's own EXIF date (`YYYY-MM-DDTHH:MM:SS`, the camera's clock); absent when " +
          'it has none, and the timeline places it by its upload (`createdAt`)',
      }),
  })
  .meta({ id: 'ImageDateTakenCleared' });

export const route: ApiRouteFactory = () => ({
  method: 'DELETE',
  path: '/images/{id}/taken',
  operationId: 'clear-date-taken',
  access: 'write',
  summary: "Drop the owner's date taken: the photo's own date applies again",
  description:
    'Takes away the date `PUT /images/{id}/taken` gave: the timeline, `takenAfter`, `takenBefore` and the `taken` ' +
    "year read the photo's EXIF date again, or its upload when it has none. An image without such a date is " +
    'answered as it is, and nothing is written or published. Publishes `Image Updated` (`changed: ["takenAt"]`).',
  request: { path: ImageIdPathSchema },
  answers: { 200: { description: 'When it was taken now', body: DateTakenClearedSchema } },
  errors: {
    404: "No such image, or another owner's",
    409: 'The image is not PROCESSED yet, or changed while it was being edited (try again)',
  },
});
