import { z } from 'zod';
import type { ApiRouteFactory } from '../../../api/route';
import { PartnerGrantSchema } from '../partners-contract';

export const PartnerListSchema = z
  .object({
    granted: z.array(PartnerGrantSchema).meta({ description: 'The grants the caller made, by partner' }),
    received: z.array(PartnerGrantSchema).meta({ description: 'The grants made to the caller, oldest first' }),
  })
  .meta({ id: 'PartnerList' });

export const route: ApiRouteFactory = () => ({
  method: 'GET',
  path: '/partners',
  operationId: 'list-partners',
  access: 'read',
  summary: 'Your partners: whom you share with, and who shares with you',
  description: 'Each list is whole: an owner has at most 20 partners they share with.',
  answers: { 200: { description: 'The grants the caller made and received', body: PartnerListSchema } },
});
