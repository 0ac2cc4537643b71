import { z } from 'zod';
import { ApiEnvSchema, type ApiWiring, apiEnvironment } from '../../../api/env';
import { type ApiRouteFactory, withFieldMeta } from '../../../api/route';
import type { SameType } from '../../../api/schemas';
import { PeopleTableEnvShape, type PeopleWiring, peopleTableEnvironment } from '../../../people/wiring';
import { MeaningEnvShape, type MeaningWiring, meaningEnvironment } from '../../../search/meaning/contract';
import type { DeploymentSettings } from '../../../settings';
import { type FunctionEnvironment, setting } from '../../../settings/env';
import { S3EnvSchema } from '../../../shared/contract';
import { SearchResultSchema } from '../../../store/image-view';
import { DEFAULT_LIMIT, type ImagePage, ListQuerySchema, MAX_LIMIT } from './list-images';

/** `GET /images`: every variable it reads. */
export const ListImagesEnvSchema = ApiEnvSchema.extend(S3EnvSchema.shape).extend({
  /** The search index table: filtered lists read its postings. */
  SEARCH_TABLE_NAME: z.string().min(1),
  /** The bucket of the thumbnails a page links to. */
  BUCKET_NAME: z.string().min(1),
  DOWNLOAD_URL_TTL_SECONDS: setting('downloadUrlTtlSeconds'),
  /** The sizes a processed image's thumbnails have, for the links of a plain list's items. */
  THUMBNAIL_SIZES: setting('thumbnailSizes'),
  /** With face grouping on: `person=` reads the person's ids (it and those merged into it) from the people table. */
  ...PeopleTableEnvShape,
  /** With semantic search on: `q=` also finds the images nearest its meaning. */
  ...MeaningEnvShape,
});
export type ListImagesEnv = z.output<typeof ListImagesEnvSchema>;

export interface ListImagesWiring extends ApiWiring {
  readonly searchTableName: string;
  readonly bucketName: string;
  /** The people table, with `faceGrouping` on. @default - none: face grouping is off */
  readonly people?: PeopleWiring;
  /** The vector index and its model, with `semanticSearch` on. */
  readonly meaning?: MeaningWiring;
  readonly settings: Pick<DeploymentSettings, 'corsOrigins' | 'auth' | 'downloadUrlTtlSeconds' | 'thumbnailSizes'>;
}

/** The environment the stack and the local runner give this function. */
export function environmentFor(wiring: ListImagesWiring): FunctionEnvironment {
  return {
    ...apiEnvironment(wiring),
    SEARCH_TABLE_NAME: wiring.searchTableName,
    BUCKET_NAME: wiring.bucketName,
    DOWNLOAD_URL_TTL_SECONDS: String(wiring.settings.downloadUrlTtlSeconds),
    THUMBNAIL_SIZES: wiring.settings.thumbnailSizes.join(','),
    ...peopleTableEnvironment(wiring.people),
    ...meaningEnvironment(wiring.meaning),
  };
}

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
    '`cursor` for the next page. `sort=taken` is the timeline: newest date taken first (EXIF, else the upload ' +
    "time), each item with its `takenAt`; it reads one owner (an admin's own, or the one `owner` names) and takes " +
    'no search filter or status.',
  request: {
    query: withFieldMeta(ListQuerySchema, {
      limit: { description: `Items per page: default ${DEFAULT_LIMIT}; more than ${MAX_LIMIT} is served ${MAX_LIMIT}` },
      owner: { description: "Admins only: this owner's images (anyone else may name only themselves)" },
      cursor: { description: 'From the previous page, with the same filters (opaque)' },
      sort: {
        description: '`uploaded` (default): newest upload first; `taken`: newest date taken first, one owner only',
      },
    }),
  },
  answers: { 200: { description: 'One page of image summaries', body: ImagePageSchema } },
  errors: {
    400:
      'A bad limit, status, owner or sort (`sort=taken` with a search filter or a status), ' +
      'a cursor this API did not return for the same list and filters, or a search too broad to read within its ' +
      'allowance (every word or filter standing for more than 12 index terms: docs/search.md)',
    403: '`owner` names another owner and the caller is not an admin',
  },
});
