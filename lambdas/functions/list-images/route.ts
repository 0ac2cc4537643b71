import { z } from 'zod';
import { type ApiRouteFactory, withFieldMeta } from '../../api/route';
import type { SameType } from '../../api/schemas';
import { SearchResultSchema } from '../../store/image-view';
import { DEFAULT_LIMIT, type ImagePage, ListQuerySchema, MAX_LIMIT } from './list-images';

/** `GET /images` → 200: one page of summaries, newest first. */
export const ImagePageSchema = z
  .object({
    items: z
      .array(SearchResultSchema.meta({ id: 'ImageSummary' }))
      .meta({ description: 'A summary per image; `GET /images/{id}` has the rest' }),
    cursor: z.string().optional().meta({
      description: 'Present while more items may follow: pass it back, with the same filters, for the next page',
    }),
  })
  .meta({ id: 'ImagePage' });

// The use case answers exactly what the document says.
const _answerChecked: SameType<ImagePage, z.output<typeof ImagePageSchema>> = true;

/** `GET /images`: every field of the handler's query schema is a query parameter. */
export const route: ApiRouteFactory = () => ({
  method: 'GET',
  path: '/images',
  operationId: 'list-images',
  access: 'read',
  summary: "List the caller's images, newest first",
  description:
    "Only the caller's own images; an admin's list holds every owner's unless `owner` narrows it. Follow " +
    '`cursor` for the next page.',
  request: {
    query: withFieldMeta(ListQuerySchema, {
      limit: { description: `Items per page: default ${DEFAULT_LIMIT}; more than ${MAX_LIMIT} is served ${MAX_LIMIT}` },
      owner: { description: "Admins only: this owner's images (anyone else may name only themselves)" },
      cursor: { description: 'From the previous page, with the same filters (opaque)' },
    }),
  },
  answers: { 200: { description: 'One page of image summaries', body: ImagePageSchema } },
  errors: {
    400: 'A bad limit, status or owner, or a cursor this API did not return for the same list and filters',
    403: '`owner` names another owner and the caller is not an admin',
  },
});
