import type { ApiRouteFactory } from '../../../api/route';
import { MAX_PARTNERS_PER_OWNER } from '../../table-design';
import { GrantPartnerSchema, PartnerGrantSchema } from '../partners-contract';

export const route: ApiRouteFactory = () => ({
  method: 'POST',
  path: '/partners',
  operationId: 'grant-partner',
  access: 'write',
  summary: 'Share your library with another owner',
  description:
    'The partner may then list (`GET /images?partner=<you>`) and read (`GET /images/{id}`) your photos the grant ' +
    'covers: every one, those taken from `from` on, or those in `albums`; never one in the trash, locked or ' +
    'archived, and they can change none. Posting again for the same partner replaces the grant. `Partner Granted` ' +
    'is published for both owners.',
  request: { body: GrantPartnerSchema },
  answers: { 200: { description: 'The grant, as stored', body: PartnerGrantSchema } },
  errors: {
    400: "The partner is the caller, or not an owner id; an album is not one of the caller's manual albums; a bad date",
    409: `The caller has ${MAX_PARTNERS_PER_OWNER} partners already, or their grants were being changed at the same moment`,
  },
});
