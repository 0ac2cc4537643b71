import { z } from 'zod';
import type { ApiRouteFactory } from '../../../api/route';
import { ImageIdPathSchema } from '../../../api/schemas';

/** `GET /images/{id}/albums` → 200: the manual albums the image is in, by name. */
export const ImageAlbumsSchema = z
  .object({ items: z.array(z.object({ albumId: z.string(), name: z.string() })) })
  .meta({ id: 'ImageAlbums' });

export const route: ApiRouteFactory = () => ({
  method: 'GET',
  path: '/images/{id}/albums',
  operationId: 'list-image-albums',
  access: 'read',
  summary: 'The albums an image is in',
  description: 'Its manual albums, by name (a smart album holds what its search finds when it is read).',
  request: { path: ImageIdPathSchema },
  answers: { 200: { description: "The image's albums", body: ImageAlbumsSchema } },
  errors: { 400: 'The id is not an image id', 404: "No such image, another owner's, or one in the locked folder" },
});
