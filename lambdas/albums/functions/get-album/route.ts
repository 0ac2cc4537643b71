import { z } from 'zod';
import type { ApiRouteFactory } from '../../../api/route';
import { ImagePageSchema } from '../../../images/functions/list-images/route';
import { AlbumIdPathSchema, AlbumSchema } from '../albums-contract';
import { AlbumPageQuerySchema } from '../list-albums/route';
import { AlbumMemberSchema } from '../set-album-member/route';

export { AlbumSchema };

/** `GET /albums/{id}` → 200: the album and a page of its images. */
export const AlbumImagesPageSchema = z
  .object({
    album: AlbumSchema,
    members: z
      .array(AlbumMemberSchema)
      .optional()
      .meta({ description: "To the album's owner, when it is shared: with whom, in the order they were added" }),
    items: ImagePageSchema.shape.items,
    cursor: z
      .string()
      .optional()
      .meta({ description: 'Present while more may follow: pass it back for the next page' }),
  })
  .meta({ id: 'AlbumImages' });

export const route: ApiRouteFactory = () => ({
  method: 'GET',
  path: '/albums/{id}',
  operationId: 'get-album',
  access: 'read',
  summary: 'Read an album and a page of its images',
  description:
    "A manual album's images in its order, newest first; those in the trash are left out (a restore brings them " +
    'back) and a purge takes them out. A page may hold fewer than `limit` while a `cursor` follows. A smart album ' +
    "runs its search now, as `GET /images` would for its owner, in the search's order. An album shared with the " +
    "caller (`PUT /albums/{id}/members/{owner}`) reads as its owner's, with `sharedBy` and `role`; a manual album " +
    "shows its contributors' photos beside its owner's, and its owner sees `members`.",
  request: { path: AlbumIdPathSchema, query: AlbumPageQuerySchema },
  answers: { 200: { description: 'The album and one page of its images', body: AlbumImagesPageSchema } },
  errors: {
    400: 'The id is not an album id, a bad limit, or a cursor this API did not return for this album',
    404: "No such album, or another owner's not shared with the caller",
  },
});
