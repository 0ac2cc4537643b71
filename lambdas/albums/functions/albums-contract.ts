import { z } from 'zod';
import { ApiEnvSchema, type ApiWiring, apiEnvironment } from '../../api/env';
import {
  FilterShape,
  type ListImagesWiring,
  SearchListEnvSchema,
  searchListEnvironment,
} from '../../images/functions/list-images/route';
import { isRepeatable } from '../../search/filters';
import type { DeploymentSettings } from '../../settings';
import { type FunctionEnvironment, setting } from '../../settings/env';
import { S3EnvSchema } from '../../shared/contract';
import { IMAGE_ID_PATTERN } from '../../store/keys';
import { ALBUM_ID_PATTERN, ALBUM_ORDERS, MEMBER_ROLES } from '../schemas';
import { type AlbumsWiring, albumsTableOf } from '../table-design';
import { type DeletedAlbumsWiring, deletedAlbumsQueueOf } from './delete-album-members/contract';

/*
 * What the album routes share (`/albums...`, docs/api.md#albums): their environment, the album as they answer it,
 * the `{id}` they take and a smart album's saved search. What they run with is in album-api.ts.
 */

/** Every variable an album route reads. */
export const AlbumsEnvSchema = ApiEnvSchema.extend(S3EnvSchema.shape).extend({
  /** The albums table (lambdas/albums/table-design.ts). */
  ALBUMS_TABLE: z.string().min(1),
  /** The bucket of the thumbnails an album's cover links to. */
  BUCKET_NAME: z.string().min(1),
  DOWNLOAD_URL_TTL_SECONDS: setting('downloadUrlTtlSeconds'),
  /** The thumbnails' sizes: a cover links to the smallest. */
  THUMBNAIL_SIZES: setting('thumbnailSizes'),
});
export type AlbumsEnv = z.output<typeof AlbumsEnvSchema>;

export interface AlbumsRouteWiring extends ApiWiring {
  readonly albums?: AlbumsWiring;
  readonly bucketName: string;
  readonly settings: Pick<DeploymentSettings, 'corsOrigins' | 'auth' | 'downloadUrlTtlSeconds' | 'thumbnailSizes'>;
}

/** The environment the stack and the local runner give each album route. */
export function albumsEnvironment(wiring: AlbumsRouteWiring): FunctionEnvironment {
  return {
    ...apiEnvironment(wiring),
    ALBUMS_TABLE: albumsTableOf(wiring),
    BUCKET_NAME: wiring.bucketName,
    DOWNLOAD_URL_TTL_SECONDS: String(wiring.settings.downloadUrlTtlSeconds),
    THUMBNAIL_SIZES: wiring.settings.thumbnailSizes.join(','),
  };
}

/** `DELETE /albums/{id}`: an album route's, and the queue its members go to. */
export const DeleteAlbumEnvSchema = AlbumsEnvSchema.extend({
  /** The deleted albums' queue (functions/delete-album-members/contract.ts): the album's members go there. */
  DELETED_ALBUMS_QUEUE_URL: z.string().min(1),
});
export type DeleteAlbumEnv = z.output<typeof DeleteAlbumEnvSchema>;

export function deleteAlbumEnvironment(wiring: AlbumsRouteWiring & DeletedAlbumsWiring): FunctionEnvironment {
  return { ...albumsEnvironment(wiring), DELETED_ALBUMS_QUEUE_URL: deletedAlbumsQueueOf(wiring) };
}

/** `GET /albums/{id}`: what `GET /images` reads (a smart album runs its search), and the albums table. */
export const AlbumReadEnvSchema = SearchListEnvSchema.extend({ ALBUMS_TABLE: z.string().min(1) });
export type AlbumReadEnv = z.output<typeof AlbumReadEnvSchema>;

export function albumReadEnvironment(
  wiring: ListImagesWiring & { readonly albums?: AlbumsWiring },
): FunctionEnvironment {
  return { ...searchListEnvironment(wiring), ALBUMS_TABLE: albumsTableOf(wiring) };
}

/** `{id}` of `/albums/{id}...`. */
export const AlbumIdPathSchema = z.object({
  id: z.string().regex(ALBUM_ID_PATTERN).meta({ description: 'The album id (`al_` and 20 hex characters)' }),
});

const { status: _status, ...filters } = FilterShape as Record<string, z.ZodType>;
/** The search filters each checked as `GET /images` checks them (a smart album's search is one of its searches). */
const SmartFiltersSchema = z.strictObject(filters);

/**
 * A smart album's search: `GET /images`'s search filters as its query string has them (a repeatable filter as a
 * list), at least one; checked now, run as the album's owner each time the album is read, so it stays current.
 */
export const SmartQuerySchema = z
  .strictObject(
    Object.fromEntries(
      Object.entries(filters).map(([name, parser]) => [
        name,
        (isRepeatable(name) ? z.array(z.string()).max(10) : z.string().max(200))
          .optional()
          .meta({ description: parser.meta()?.description as string }),
      ]),
    ),
    { error: 'must be an object of the search filters of GET /images' },
  )
  .superRefine((smart, context) => {
    const parsed = SmartFiltersSchema.safeParse(smart);
    for (const issue of parsed.error?.issues ?? []) context.addIssue({ ...issue, code: 'custom' });
    const asked = Object.values(smart).filter(
      (value) => value !== undefined && !(Array.isArray(value) && !value.length),
    );
    if (asked.length === 0) context.addIssue({ code: 'custom', message: 'a smart album needs a search filter' });
  })
  .meta({ id: 'SmartAlbumQuery', description: 'The search filters of `GET /images`, as its query string takes them' });

export const AlbumOrderSchema = z
  .enum(ALBUM_ORDERS, { error: 'must be added or taken' })
  .meta({ description: '`added`: newest added first; `taken`: newest date taken first' });

/** What a member of an album (another owner it is shared with) may do there. */
export const MemberRoleSchema = z
  .enum(MEMBER_ROLES, { error: 'must be viewer or contributor' })
  .meta({ description: '`viewer`: reads the album; `contributor`: also adds their own photos, which stay theirs' });

/** An album as the API answers it. */
export const AlbumSchema = z
  .object({
    albumId: z.string(),
    name: z.string(),
    kind: z.enum(['manual', 'smart']).meta({ description: "`smart`: its images are its saved search's" }),
    smart: SmartQuerySchema.optional(),
    order: AlbumOrderSchema,
    count: z
      .number()
      .int()
      .min(0)
      .meta({ description: "A manual album's images (those in the trash among them); 0 for smart" }),
    coverImageId: z
      .string()
      .optional()
      .meta({
        description:
          "The cover its owner set, while it is shown: its photo still the album owner's and not in the trash (else " +
          'the album is answered as one without a cover)',
      }),
    coverUrl: z
      .string()
      .optional()
      .meta({
        description:
          "A presigned GET of the cover's smallest thumbnail; with no cover shown, of a manual album's newest photo's " +
          '(in GET /albums and GET /albums/{id})',
      }),
    createdAt: z.string(),
    updatedAt: z.string(),
    sharedBy: z
      .string()
      .optional()
      .meta({ description: 'An album shared with the caller: its owner (GET /albums?shared=true, GET /albums/{id})' }),
    role: MemberRoleSchema.optional().meta({ description: 'An album shared with the caller: what they may do there' }),
  })
  .meta({ id: 'Album' });
export type AlbumAnswer = z.output<typeof AlbumSchema>;

/** An album's name: what a person typed, trimmed, 1 to 200 characters, no control characters. */
export const AlbumNameSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(200, 'must be at most 200 characters')
  .refine((name) => !/\p{Cc}/u.test(name), 'must not contain control characters');

/** `{imageIds}` of `POST` and `DELETE /albums/{id}/images`. */
export const AlbumImagesSchema = z.strictObject(
  {
    imageIds: z
      .array(z.string().regex(IMAGE_ID_PATTERN, 'must be an image id (a 26-character ULID)'))
      .min(1, 'must name at least one image')
      .max(100, 'at most 100 images a request')
      .meta({ description: 'Image ids, 1 to 100' }),
  },
  { error: 'must be a JSON object {imageIds}' },
);
