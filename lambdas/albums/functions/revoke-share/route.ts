import type { ApiRouteFactory } from '../../../api/route';
import { ShareEditEnvSchema, shareEditEnvironment } from '../share-contract';
import { TokenPathSchema } from '../share-schemas';

/** `DELETE /shares/{token}`: every variable it reads. */
export const RevokeShareEnvSchema = ShareEditEnvSchema;
export const environmentFor = shareEditEnvironment;

export const route: ApiRouteFactory = () => ({
  method: 'DELETE',
  path: '/shares/{token}',
  operationId: 'revoke-share',
  access: 'write',
  summary: 'Revoke a share link, at once',
  description:
    'From then on `GET /shared/{token}` answers 410 (404 once the link is deleted, 30 days later). Revoking a ' +
    'revoked link changes nothing. Publishes `Share Revoked`.',
  request: { path: TokenPathSchema },
  answers: { 204: { description: 'Revoked' } },
  errors: { 404: "No such link, or another owner's" },
});
