import type { ApiRouteFactory } from '../../../api/route';
import { AlbumIdPathSchema } from '../albums-contract';

export const route: ApiRouteFactory = () => ({
  method: 'DELETE',
  path: '/albums/{id}',
  operationId: 'delete-album',
  access: 'write',
  summary: 'Delete an album (its images stay)',
  description: "The images stay in the library; the album's share links answer 404 from then on.",
  request: { path: AlbumIdPathSchema },
  answers: { 204: { description: 'Deleted; no body' } },
  errors: { 400: 'The id is not an album id', 404: "No such album, or another owner's" },
});
