import { z } from 'zod';
import type { ApiRouteFactory } from '../../../api/route';
import { AlbumIdPathSchema, AlbumImagesSchema, AlbumSchema } from '../albums-contract';

/** `POST /albums/{id}/images` → 200: how many were added (those in it already are not), and the album. */
export const AlbumImagesAddedSchema = z
  .object({ added: z.number().int().min(0), album: AlbumSchema })
  .meta({ id: 'AlbumImagesAdded' });

export const route: ApiRouteFactory = () => ({
  method: 'POST',
  path: '/albums/{id}/images',
  operationId: 'add-album-images',
  access: 'write',
  summary: 'Add images to a manual album',
  description:
    "Each image must be the album owner's, or the caller's own for a contributor of an album shared with them (it " +
    'stays theirs); one that is not (or does not exist) is a 404 naming it, and nothing is added. An image in the ' +
    'album already is left as it is. At most 100 ids a request and 100,000 images an album.',
  request: { path: AlbumIdPathSchema, body: AlbumImagesSchema },
  answers: { 200: { description: 'How many were added, and the album', body: AlbumImagesAddedSchema } },
  errors: {
    400: 'The id is not an album id, or a malformed body (no ids, more than 100, one not an image id)',
    403: 'A viewer of a shared album: only its owner and contributors add',
    404: "No such album, or another owner's not shared with the caller; or the first image that is not the adder's, or is locked",
    409: 'A smart album; an image in the trash; the album full (100,000) or changed at once (try again)',
  },
});
