import { z } from 'zod';
import { ApiEnvSchema, type ApiWiring, apiEnvironment, type FunctionEnvironment, setting } from '../../api/env';
import { PeopleTableEnvShape, type PeopleWiring, peopleTableEnvironment } from '../../people/wiring';
import type { DeploymentSettings } from '../../settings';
import { S3EnvSchema } from '../../shared/aws-clients';

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
});
export type ListImagesEnv = z.output<typeof ListImagesEnvSchema>;

export interface ListImagesWiring extends ApiWiring {
  readonly searchTableName: string;
  readonly bucketName: string;
  /** The people table, with `faceGrouping` on. @default - none: face grouping is off */
  readonly people?: PeopleWiring;
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
  };
}
