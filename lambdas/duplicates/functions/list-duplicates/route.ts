import { z } from 'zod';
import type { ApiRouteFactory } from '../../../api/route';
import { PageCursorParameter, pageLimitParameter, QUERY_STRING_ERRORS } from '../../../api/schemas';
import { DuplicateClusterSchema } from '../duplicates-contract';

export const DuplicatesQuerySchema = z.strictObject(
  {
    limit: pageLimitParameter(50, 20).meta({ description: 'Clusters per page: default 20; more than 50 is served 50' }),
    cursor: PageCursorParameter,
  },
  QUERY_STRING_ERRORS,
);

export const DuplicatesPageSchema = z
  .object({
    items: z.array(DuplicateClusterSchema),
    cursor: z
      .string()
      .optional()
      .meta({ description: 'Present while more may follow: pass it back for the next page' }),
  })
  .meta({ id: 'DuplicatesPage' });

export const route: ApiRouteFactory = () => ({
  method: 'GET',
  path: '/duplicates',
  operationId: 'list-duplicates',
  access: 'read',
  summary: "The caller's near-duplicates to review, newest first",
  description:
    'Clusters of photos found near each other as they arrived (re-encoded, resized, lightly cropped, watermarked ' +
    'copies), each with the photo it suggests keeping and why. Resolve one (`POST /duplicates/{id}/resolve`) or ' +
    'dismiss it (`POST /duplicates/{id}/dismiss`); either takes it off this list. Follow `cursor` for the next page.',
  request: { query: DuplicatesQuerySchema },
  answers: { 200: { description: 'One page of clusters', body: DuplicatesPageSchema } },
  errors: { 400: 'A bad limit, or a cursor this API did not return for this list' },
});
