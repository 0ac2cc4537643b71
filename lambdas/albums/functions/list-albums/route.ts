import { z } from 'zod';
import type { ApiRouteFactory } from '../../../api/route';
import { PageCursorParameter, pageLimitParameter, QUERY_STRING_ERRORS } from '../../../api/schemas';
import { AlbumSchema } from '../albums-contract';

/** A page of albums, or of an album's images: `limit` (default 50, at most 100) and the previous page's `cursor`. */
export const AlbumPageQuerySchema = z.strictObject(
  {
    limit: pageLimitParameter(100, 50).meta({ description: 'Items per page: default 50; more than 100 is served 100' }),
    cursor: PageCursorParameter,
  },
  QUERY_STRING_ERRORS,
);

/** `GET /albums`: a page of the caller's own albums, or with `shared=true` of those shared with them. */
export const AlbumListQuerySchema = AlbumPageQuerySchema.extend({
  shared: z
    .enum(['true', 'false'], { error: 'must be true or false' })
    .optional()
    .transform((value) => value === 'true')
    .meta({ description: '`true`: the albums other owners shared with the caller, newest shared first' }),
});

/** `GET /albums` → 200: a page of the caller's albums, newest first. */
export const AlbumListSchema = z
  .object({
    items: z.array(AlbumSchema),
    cursor: z
      .string()
      .optional()
      .meta({ description: 'Present while more may follow: pass it back for the next page' }),
  })
  .meta({ id: 'AlbumList' });

export const route: ApiRouteFactory = () => ({
  method: 'GET',
  path: '/albums',
  operationId: 'list-albums',
  access: 'read',
  summary: "List the caller's albums, newest first",
  description:
    "Only the caller's own (an admin's too); with `shared=true` instead the albums other owners shared with the " +
    'caller (`PUT /albums/{id}/members/{owner}`), newest shared first, each with `sharedBy` and `role`. Follow ' +
    '`cursor` for the next page.',
  request: { query: AlbumListQuerySchema },
  answers: { 200: { description: 'One page of albums', body: AlbumListSchema } },
  errors: { 400: 'A bad limit or `shared`, or a cursor this API did not return for this list' },
});
