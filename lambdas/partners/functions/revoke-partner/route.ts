import type { ApiRouteFactory } from '../../../api/route';
import { PartnerPathSchema } from '../partners-contract';

export const route: ApiRouteFactory = () => ({
  method: 'DELETE',
  path: '/partners/{partner}',
  operationId: 'revoke-partner',
  access: 'write',
  summary: 'Stop sharing your library with a partner',
  description:
    "At once: the partner's next list or read of your photos is a 404. `Partner Revoked` is published for both owners.",
  request: { path: PartnerPathSchema },
  answers: { 204: { description: 'Revoked' } },
  errors: {
    400: 'The partner is not an owner id',
    404: 'The caller has no grant to this partner',
    409: "The caller's grants were being changed at the same moment, past a few retries: try again",
  },
});
