import type { ApiRouteFactory } from '../../../api/route';
import { ImageIdPathSchema } from '../../../api/schemas';
import { ShareEditEnvSchema, shareEditEnvironment } from '../share-contract';
import { CreatedShareSchema, ShareRequestSchema } from '../share-schemas';

/** `POST /images/{id}/shares`: every variable it reads. */
export const CreateImageShareEnvSchema = ShareEditEnvSchema;
export const environmentFor = shareEditEnvironment;

export const route: ApiRouteFactory = () => ({
  method: 'POST',
  path: '/images/{id}/shares',
  operationId: 'create-image-share',
  access: 'write',
  summary: 'Make a share link to one of your images',
  description:
    'Anyone with the link sees the image, signed out, as signed renditions without metadata (docs/api.md#share-links); ' +
    'the original only with `allowDownload`. Publishes `Share Created`.',
  request: { path: ImageIdPathSchema, body: ShareRequestSchema },
  answers: {
    201: {
      description:
        'The link: its token and URL, given this once (they are not kept: no later call answers them), and the ' +
        'link as `GET /shares` lists it',
      body: CreatedShareSchema,
    },
  },
  errors: {
    400: 'A malformed body, or an expiry in the past or more than a year away',
    404: "No such image, another owner's, or one in the trash or the locked folder",
  },
});
