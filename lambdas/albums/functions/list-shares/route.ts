import type { ApiRouteFactory } from '../../../api/route';
import { ListSharesEnvSchema, listSharesEnvironment } from '../share-contract';
import { ListSharesQuerySchema, SharePageSchema } from '../share-schemas';

/** `GET /shares`: every variable it reads. */
export { ListSharesEnvSchema };
export const environmentFor = listSharesEnvironment;

export const route: ApiRouteFactory = () => ({
  method: 'GET',
  path: '/shares',
  operationId: 'list-shares',
  access: 'read',
  summary: 'List your share links, newest first',
  description:
    'Each with its `shareId` (to revoke it by), its state now (`active`, `expired`, `revoked`) and its views; no ' +
    "token or URL: those are answered once, when the link is made, and not kept. An admin's are theirs only.",
  request: { query: ListSharesQuerySchema },
  answers: { 200: { description: 'A page of links', body: SharePageSchema } },
  errors: { 400: 'A malformed limit, or a cursor this list did not return' },
});
