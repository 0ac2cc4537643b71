import type { ApiRouteFactory } from '../../../api/route';
import { RevokeShareEnvSchema, revokeShareEnvironment } from '../share-contract';
import { ShareIdPathSchema } from '../share-schemas';

/** `DELETE /shares/{id}`: every variable it reads. */
export { RevokeShareEnvSchema };
export const environmentFor = revokeShareEnvironment;

export const route: ApiRouteFactory = () => ({
  method: 'DELETE',
  path: '/shares/{id}',
  operationId: 'revoke-share',
  access: 'write',
  summary: 'Revoke a share link, at once',
  description:
    "`{id}` is the link's `shareId` (16 hex digits, as `GET /shares`, the answer that made it and its events give " +
    "it), found among the caller's own links, or its token (an admin may revoke any owner's link by its token). " +
    'From then on `GET /shared/{token}` answers 410 (404 once the link is deleted, 30 days later). Revoking a ' +
    'revoked link changes nothing. Publishes `Share Revoked`.',
  request: { path: ShareIdPathSchema },
  answers: { 204: { description: 'Revoked' } },
  errors: { 404: "No such link, or another owner's" },
});
