import { z } from 'zod';
import type { ApiRouteFactory } from '../../../api/route';
import { IMAGE_ID_PATTERN } from '../../../store/keys';
import { AlbumIdPathSchema, AlbumNameSchema, AlbumOrderSchema, AlbumSchema } from '../albums-contract';

/** `PATCH /albums/{id}` body: what changes, at least one of them. */
export const AlbumChangeSchema = z
  .strictObject(
    {
      name: AlbumNameSchema.optional(),
      coverImageId: z
        .string()
        .regex(IMAGE_ID_PATTERN, 'must be an image id (a 26-character ULID)')
        .optional()
        .meta({ description: "One of a manual album's images (any of the owner's for a smart one)" }),
      order: AlbumOrderSchema.optional(),
    },
    { error: 'must be a JSON object {name?, coverImageId?, order?}' },
  )
  .refine((change) => Object.values(change).some((value) => value !== undefined), 'must change something');

export const route: ApiRouteFactory = () => ({
  method: 'PATCH',
  path: '/albums/{id}',
  operationId: 'update-album',
  access: 'write',
  summary: 'Rename an album, set its cover or its order',
  request: { path: AlbumIdPathSchema, body: AlbumChangeSchema },
  answers: { 200: { description: 'The album as it is now', body: AlbumSchema } },
  errors: {
    400: 'A malformed body, a cover not in the album, or `order: taken` for a smart album',
    404: "No such album, or another owner's; a cover that is no image of the album's owner, or is in the trash or locked",
  },
});
