import { z } from 'zod';
import type { ApiRouteFactory } from '../../../api/route';
import { OwnerSchema } from '../../../store/owner';
import { AlbumIdPathSchema, MemberRoleSchema } from '../albums-contract';

/** `{id}` and `{owner}` of `/albums/{id}/members/{owner}`. */
export const AlbumMemberPathSchema = AlbumIdPathSchema.extend({
  owner: OwnerSchema.meta({
    description: 'The owner the album is shared with (their user id, as their records have it)',
  }),
});

/** `PUT /albums/{id}/members/{owner}` body. */
export const AlbumMemberChangeSchema = z.strictObject(
  { role: MemberRoleSchema },
  { error: 'must be a JSON object {role}' },
);

/** A member of an album, as its owner sees them. */
export const AlbumMemberSchema = z
  .object({
    member: z.string().meta({ description: 'The owner the album is shared with' }),
    role: MemberRoleSchema,
    addedAt: z.string().meta({ description: 'When it was first shared with them' }),
  })
  .meta({ id: 'AlbumMember' });

export const route: ApiRouteFactory = () => ({
  method: 'PUT',
  path: '/albums/{id}/members/{owner}',
  operationId: 'set-album-member',
  access: 'write',
  summary: 'Share an album with another owner, or change their role',
  description:
    "The album's owner only. The member then finds it with `GET /albums?shared=true` and reads it with " +
    '`GET /albums/{id}`; a contributor also adds their own photos to it (`POST /albums/{id}/images`). At most 50 ' +
    'members an album; a smart album takes viewers only.',
  request: { path: AlbumMemberPathSchema, body: AlbumMemberChangeSchema },
  answers: {
    200: {
      description: 'The member as they are now',
      body: AlbumMemberSchema.extend({ albumId: z.string() }).meta({ id: 'AlbumMemberSet' }),
    },
  },
  errors: {
    400: "The id is not an album id, the owner not an owner id, a bad role, or the album's own owner",
    403: 'The caller is a member of the album, not its owner',
    404: "No such album, or another owner's that is not shared with the caller",
    409: 'The album is shared with 50 owners already, or a smart album and a contributor',
  },
});
