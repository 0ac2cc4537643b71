import type { ApiRouteFactory } from '../../../api/route';
import { SaveSharedEnvSchema, saveSharedEnvironment } from '../share-contract';
import { SavedCopySchema, SaveSharedRequestSchema, TokenPathSchema } from '../share-schemas';

/** `POST /shared/{token}/save`: every variable it reads. */
export { SaveSharedEnvSchema };
export const environmentFor = saveSharedEnvironment;

export const route: ApiRouteFactory = () => ({
  method: 'POST',
  path: '/shared/{token}/save',
  operationId: 'save-shared',
  access: 'write',
  summary: 'Save a photo of a share link into your library',
  description:
    'Signed in (unlike `GET /shared/{token}`): a copy of the photo becomes the caller’s own image, analysed again ' +
    'by the processor as an upload (labels, text, faces grouped into the caller’s people, palette, hashes, ' +
    'thumbnails), with `savedFrom` saying which link it came from (never the other owner or their image id). Its ' +
    'position is kept only when the link hands out the original (`allowDownload`); otherwise the GPS is emptied ' +
    'from the copy’s bytes, nothing else changed. One copy per caller, link and photo: saving again answers it. ' +
    'The token is the path or `-` with `X-Share-Token`; a protected link takes `X-Share-Password` ' +
    '(docs/api.md#saving-a-shared-photo).',
  request: { path: TokenPathSchema, body: SaveSharedRequestSchema },
  answers: {
    200: { description: 'Saved from this link before: that copy (nothing new was made)', body: SavedCopySchema },
    202: { description: 'Copied: the processor analyses it (follow `GET /images/{id}`)', body: SavedCopySchema },
  },
  errors: {
    400: 'A malformed body',
    401: 'Not signed in; or a protected link, without its password or with a wrong one (`X-Share-Password`)',
    404: 'No such link, or a photo it does not show (not its photo, no longer in its album, in the trash or locked)',
    409: 'The photo is the caller’s own, or larger than the upload limit now',
    410: 'The link was revoked, or has expired',
    429: 'Too many wrong passwords for this link: Retry-After says when to try again',
  },
});
