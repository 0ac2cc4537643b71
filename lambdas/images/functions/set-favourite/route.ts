import { z } from 'zod';
import type { ApiRouteFactory } from '../../../api/route';
import { ImageIdPathSchema } from '../../../api/schemas';
import { EditEnvSchema, editEnvironment } from '../edit-contract';

/** `PUT /images/{id}/favourite`: every variable it reads. */
export const SetFavouriteEnvSchema = EditEnvSchema;
export const environmentFor = editEnvironment;

/** `PUT /images/{id}/favourite` body, and its answer's part: whether the image is a favourite. */
const favourite = z.boolean({ error: 'must be true or false' }).meta({ description: 'A favourite, or not' });

export const FavouriteChangeSchema = z.strictObject({ favourite }, { error: 'must be a JSON object {favourite}' });
export type FavouriteChange = z.output<typeof FavouriteChangeSchema>;

/** `PUT /images/{id}/favourite` → 200: whether the image is a favourite now. */
export const FavouriteAnswerSchema = z.object({ imageId: z.string(), favourite }).meta({ id: 'ImageFavourite' });

export const route: ApiRouteFactory = () => ({
  method: 'PUT',
  path: '/images/{id}/favourite',
  operationId: 'set-favourite',
  access: 'write',
  summary: 'Mark an image a favourite, or unmark it',
  description:
    '`favourite=true` finds it at once while it is one. Kept through re-analysis. Publishes `Image Updated` when it ' +
    'changes (setting what it is already changes nothing and publishes nothing).',
  request: { path: ImageIdPathSchema, body: FavouriteChangeSchema },
  answers: { 200: { description: 'Whether it is a favourite now', body: FavouriteAnswerSchema } },
  errors: {
    400: 'A malformed body: not an object `{favourite: true | false}`',
    404: "No such image, or another owner's",
    409: 'The image is not PROCESSED yet, or changed while it was being edited (try again)',
  },
});
