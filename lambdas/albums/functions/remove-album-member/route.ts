import type { ApiRouteFactory } from '../../../api/route';
import { AlbumMemberPathSchema } from '../set-album-member/route';

export const route: ApiRouteFactory = () => ({
  method: 'DELETE',
  path: '/albums/{id}/members/{owner}',
  operationId: 'remove-album-member',
  access: 'write',
  summary: 'Stop sharing an album with an owner',
  description:
    "The album's owner only. From then on the album is a 404 to them; the photos they added stay in the album, " +
    'theirs, but are no longer shown in it while they are not a contributor.',
  request: { path: AlbumMemberPathSchema },
  answers: { 204: { description: 'No longer shared with them; no body' } },
  errors: {
    400: 'The id is not an album id, or the owner not an owner id',
    403: 'The caller is a member of the album, not its owner',
    404: "No such album, or another owner's that is not shared with the caller; or not shared with that owner",
  },
});
