import type { ApiRouteFactory } from '../../api/route';
import { ImageIdPathSchema } from '../../api/schemas';

export const route: ApiRouteFactory = () => ({
  method: 'DELETE',
  path: '/images/{id}',
  operationId: 'delete-image',
  access: 'write',
  summary: 'Delete one image: its original, thumbnails, renditions, faces and record',
  description:
    'With face grouping on, its faces go too, and a person left with none. ' +
    "Publishes `Image Deleted`. Another owner's image is a 404 and is left untouched. Deleting while the processor " +
    'works on the image can leave a record behind: delete it again.',
  request: { path: ImageIdPathSchema },
  answers: { 204: { description: 'Deleted; no body' } },
  errors: { 400: 'The id is not an image id', 404: "No such image, or another owner's" },
});
