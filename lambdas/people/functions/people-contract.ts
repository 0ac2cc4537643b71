import { z } from 'zod';
import { ApiEnvSchema, type ApiWiring, apiEnvironment } from '../../api/env';
import { BoxSchema } from '../../core/vision-schema';
import type { DeploymentSettings } from '../../settings';
import { type FunctionEnvironment, setting } from '../../settings/env';
import { S3EnvSchema } from '../../shared/contract';
import { PERSON_ID_PATTERN } from '../contract';
import type { PeopleWiring } from '../wiring';

/*
 * What the people routes share (`/people...`, docs/api.md#people): their environment, the person as they answer it,
 * and the `{id}` they take. They exist only when `faceGrouping` is on (lambdas/manifest/routes.ts). How a handler
 * opens the store and links a cover is in people-api.ts.
 */

/** Every variable a people route reads. */
export const PeopleEnvSchema = ApiEnvSchema.extend(S3EnvSchema.shape).extend({
  /** The people table (lambdas/people/table-design.ts). */
  PEOPLE_TABLE: z.string().min(1),
  /** The bucket of the thumbnails a person's cover links to. */
  BUCKET_NAME: z.string().min(1),
  DOWNLOAD_URL_TTL_SECONDS: setting('downloadUrlTtlSeconds'),
  /** The thumbnails' sizes: a cover links to the largest, the raster its face was found on. */
  THUMBNAIL_SIZES: setting('thumbnailSizes'),
  /**
   * The stack's Rekognition face collection, with `inference=rekognition` only: the face index a route opens, so a
   * face taken out of a person leaves it (DeleteFaces), a face given to one has its ref re-pointed, and suggestions
   * search it (SearchFaces). Without it the index is the descriptors' buckets.
   */
  FACE_COLLECTION_ID: z.string().min(1).optional(),
});
export type PeopleEnv = z.output<typeof PeopleEnvSchema>;

export interface PeopleRouteWiring extends ApiWiring {
  /** The people table; there is none while `faceGrouping` is off. */
  readonly people?: PeopleWiring;
  readonly bucketName: string;
  readonly settings: Pick<DeploymentSettings, 'corsOrigins' | 'auth' | 'downloadUrlTtlSeconds' | 'thumbnailSizes'>;
}

/** The environment the stack and the local runner give each people route. */
export function peopleEnvironment(wiring: PeopleRouteWiring): FunctionEnvironment {
  if (!wiring.people) throw new Error('the people routes need the people table (faceGrouping on)');
  return {
    ...apiEnvironment(wiring),
    PEOPLE_TABLE: wiring.people.tableName,
    BUCKET_NAME: wiring.bucketName,
    DOWNLOAD_URL_TTL_SECONDS: String(wiring.settings.downloadUrlTtlSeconds),
    THUMBNAIL_SIZES: wiring.settings.thumbnailSizes.join(','),
    ...(wiring.people.faceCollectionId && { FACE_COLLECTION_ID: wiring.people.faceCollectionId }),
  };
}

/**
 * Every variable a people route that re-indexes images reads (a face taken out of a person, a merge re-pointing the
 * merged people's images): the people routes', and the search table the images' `person=` postings are in.
 */
export const PeopleIndexEnvSchema = PeopleEnvSchema.extend({
  /** The search index table: the images' `person=` postings follow. */
  SEARCH_TABLE_NAME: z.string().min(1),
});

export interface PeopleIndexWiring extends PeopleRouteWiring {
  readonly searchTableName: string;
}

export function peopleIndexEnvironment(wiring: PeopleIndexWiring): FunctionEnvironment {
  return { ...peopleEnvironment(wiring), SEARCH_TABLE_NAME: wiring.searchTableName };
}

/** `{id}` of `/people/{id}...`: what `personIdParam` (people-api.ts) accepts. */
export const PersonIdPathSchema = z.object({
  id: z.string().regex(PERSON_ID_PATTERN).meta({ description: 'The person id (letters and digits, at most 64)' }),
});

/** A person as the API answers it: the store's `Person`, its cover with a link to the image it is in. */
export const PersonSchema = z
  .object({
    personId: z.string().meta({ description: 'Opaque; what `GET /images?person=` takes' }),
    name: z.string().nullable().meta({ description: 'Given with `PATCH /people/{id}`; null until then' }),
    faceCount: z.number().int().min(0).meta({ description: "Faces grouped into the person (merged people's too)" }),
    cover: z
      .object({
        imageId: z.string(),
        box: BoxSchema.meta({ description: 'Where the face is, as fractions of the image (0 to 1)' }),
        thumbnailUrl: z.string().meta({
          description: "A presigned GET of the image's largest thumbnail (`downloadUrlTtlSeconds`): crop it to `box`",
        }),
      })
      .meta({ description: 'The face shown for the person' }),
    hidden: z.literal(true).optional().meta({ description: 'Present while the person is hidden' }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Person' });
export type PersonAnswer = z.output<typeof PersonSchema>;
