import type { ApiRouteFactory } from '../../../api/route';
import { GetSharedEnvSchema, getSharedEnvironment } from '../share-contract';
import { GetSharedQuerySchema, SharedSchema, TokenPathSchema } from '../share-schemas';

/** `GET /shared/{token}`: every variable it reads. */
export { GetSharedEnvSchema };
export const environmentFor = getSharedEnvironment;

export const route: ApiRouteFactory = () => ({
  method: 'GET',
  path: '/shared/{token}',
  operationId: 'get-shared',
  // Each view is counted (and each wrong password): it writes, though it changes nothing a caller asked for.
  access: 'write',
  public: true,
  summary: 'Open a share link: no sign-in',
  description:
    'Public: no credential. The token is the path, or `-` with the token in the `X-Share-Token` header (kept out of ' +
    'every record of URLs). A protected link takes its password in the `X-Share-Password` header. The shared ' +
    "images only (an album's a page at a time), each named by the link's own id for it (never its image id, a " +
    'time), as renditions without metadata and, if its owner allowed it, its original, all signed for this link: ' +
    'they expire with it and stop when it is revoked (within 10 s at the edge); nothing else about them. Answers ' +
    'carry `X-Robots-Tag: noindex, nofollow` and `Referrer-Policy: no-referrer`. The first page counts a view.',
  request: { path: TokenPathSchema, query: GetSharedQuerySchema },
  answers: { 200: { description: 'What the link shows', body: SharedSchema } },
  errors: {
    400: 'A malformed limit, or a cursor this link did not return',
    401: 'A protected link, without its password or with a wrong one (`X-Share-Password`)',
    404: 'No such link (a token altered or never issued), or its album was deleted',
    410: "The link was revoked, or has expired; or a photo's link, its photo in the trash or the locked folder",
    429:
      'Too many wrong passwords for this link (10 in 15 minutes from one network, 100 from all): Retry-After says ' +
      'when to try again',
  },
});
