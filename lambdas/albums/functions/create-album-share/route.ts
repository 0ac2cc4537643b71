import type { ApiRouteFactory } from '../../../api/route';
import { AlbumIdPathSchema } from '../albums-contract';
import { AlbumShareEnvSchema, albumShareEnvironment } from '../share-contract';
import { CreatedShareSchema, ShareRequestSchema } from '../share-schemas';

/** `POST /albums/{id}/shares`: every variable it reads. */
export const CreateAlbumShareEnvSchema = AlbumShareEnvSchema;
export const environmentFor = albumShareEnvironment;

export const route: ApiRouteFactory = () => ({
  method: 'POST',
  path: '/albums/{id}/shares',
  operationId: 'create-album-share',
  access: 'write',
  summary: 'Make a share link to one of your albums',
  description:
    'Anyone with the link sees the album as it is when they open it (a smart album: its search then), signed out, ' +
    'its images as signed renditions without metadata (docs/api.md#share-links); the originals only with ' +
    '`allowDownload`. Publishes `Share Created`.',
  request: { path: AlbumIdPathSchema, body: ShareRequestSchema },
  answers: {
    201: {
      description:
        'The link: its token and URL, given this once (they are not kept: no later call answers them), and the ' +
        'link as `GET /shares` lists it',
      body: CreatedShareSchema,
    },
  },
  errors: {
    400: 'A malformed id or body, or an expiry in the past or more than a year away',
    404: "No such album, or another owner's",
  },
});
