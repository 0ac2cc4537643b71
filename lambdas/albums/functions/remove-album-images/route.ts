import { z } from 'zod';
import type { ApiRouteFactory } from '../../../api/route';
import { AlbumIdPathSchema, AlbumImagesSchema, AlbumSchema } from '../albums-contract';

/** `DELETE /albums/{id}/images` → 200: how many were taken out, and the album. */
export const AlbumImagesRemovedSchema = z
  .object({ removed: z.number().int().min(0), album: AlbumSchema })
  .meta({ id: 'AlbumImagesRemoved' });

export const route: ApiRouteFactory = () => ({
  method: 'DELETE',
  path: '/albums/{id}/images',
  operationId: 'remove-album-images',
  access: 'write',
  summary: 'Take images out of a manual album (they stay in the library)',
  description:
    'An id that is not in the album is no error: `removed` counts those that were. A contributor of an album shared ' +
    'with them takes out only their own photos; its owner takes out any.',
  request: { path: AlbumIdPathSchema, body: AlbumImagesSchema },
  answers: { 200: { description: 'How many were taken out, and the album', body: AlbumImagesRemovedSchema } },
  errors: {
    400: 'The id is not an album id, or a malformed body',
    403: "A viewer of a shared album; a contributor naming another owner's photo in it (nothing is taken out)",
    404: "No such album, or another owner's not shared with the caller",
    409: 'A smart album, or the album changed at once (try again)',
  },
});
