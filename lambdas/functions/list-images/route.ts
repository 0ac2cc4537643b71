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
  summary: "List the caller's images, newest first",
  description:
    "Only the caller's own images; an admin's list holds every owner's unless `owner` narrows it. Follow " +
    '`cursor` for the next page.',
  request: {
    query: withFieldMeta(ListQuerySchema, {
      status: { description: 'Only images with this status' },
      limit: { description: `Items per page: default ${DEFAULT_LIMIT}; more than ${MAX_LIMIT} is served ${MAX_LIMIT}` },
      owner: { description: "Admins only: this owner's images (anyone else may name only themselves)" },
      cursor: { description: 'From the previous page, with the same filters (opaque)' },
      // The search filters (filters.ts), ANDed; with any of them an admin must name `owner`.
      label: { description: 'A vision label the image has; repeat for more, each must match (at most 10)' },
      object: { description: 'An object detected in the image; repeat for more, each must match (at most 10)' },
      text: { description: "Words that must all be in the image's text as OCR read it (at most 10 words)" },
      color: { description: "A colour name the image's palette has" },
      minFaces: { description: 'At least this many faces (0 to 100)' },
      flagged: { description: 'Whether moderation flagged the image; an image it did not check matches neither' },
      format: { description: 'The format the analysis found in the bytes' },
      orientation: { description: 'The shape of the image' },
      takenAfter: { description: "Taken on or after this date (EXIF, the camera's local time)" },
      takenBefore: { description: "Taken on or before this date (a date alone: to the day's end)" },
      camera: { description: "The camera's make or model, as its EXIF names it" },
      labelSource: { description: "Whose labels the image has: the vision models' or its owner's" },
    }),
  },
  answers: { 200: { description: 'One page of image summaries', body: ImagePageSchema } },
  errors: {
    400: 'A bad limit, status or owner, or a cursor this API did not return for the same list and filters',
    403: '`owner` names another owner and the caller is not an admin',
  },
});
