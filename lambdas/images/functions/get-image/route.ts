import { z } from 'zod';
import { ApiEnvSchema, type ApiWiring, apiEnvironment } from '../../../api/env';
import type { ApiRouteFactory } from '../../../api/route';
import { ImageIdPathSchema, PublicImageSchema, type SameType, SignedRenditionSchema } from '../../../api/schemas';
import { BoxSchema } from '../../../core/vision-schema';
import { UnlockCheckEnvShape, type UnlockCheckWiring, unlockCheckEnvironment } from '../../../locked/wiring';
import { PeopleTableEnvShape, type PeopleWiring, peopleTableEnvironment } from '../../../people/wiring';
import {
  RenditionSigningEnvSchema,
  type RenditionSigningWiring,
  renditionSigningEnvironment,
} from '../../../renditions/functions/create-rendition/route';
import type { RenditionSettings } from '../../../renditions/functions/render-image/contract';
import type { LikelyResult } from '../../../search/likely';
import type { DeploymentSettings } from '../../../settings';
import { type FunctionEnvironment, setting } from '../../../settings/env';
import { S3EnvSchema } from '../../../shared/contract';
import { tableOf } from '../list-images/route';
import type { ImageDetail } from './get-image';

/** `GET /images/{id}`: every variable it reads. */
export const GetImageEnvSchema = ApiEnvSchema.extend(S3EnvSchema.shape)
  .extend({
    // Unused: items name their own bucket (this one). Parsed to keep the environment the stack wires checked.
    BUCKET_NAME: z.string().min(1),
    DOWNLOAD_URL_TTL_SECONDS: setting('downloadUrlTtlSeconds'),
  })
  // A PROCESSED image's answer carries a signed rendition URL per preset.
  .extend(RenditionSigningEnvSchema.shape)
  // With face grouping on: the people the image's faces joined are answered with their names.
  .extend(PeopleTableEnvShape)
  // A locked image is answered with an unlock token: the PINs' table, for its PIN version.
  .extend(UnlockCheckEnvShape)
  // A partner's read: the grant (partners table) and, for a grant of albums, the image's albums.
  .extend({ PARTNERS_TABLE: z.string().min(1), ALBUMS_TABLE: z.string().min(1) });
export type GetImageEnv = z.output<typeof GetImageEnvSchema>;

export interface GetImageWiring extends ApiWiring, RenditionSigningWiring, UnlockCheckWiring {
  readonly bucketName: string;
  /** The people table, with `faceGrouping` on. @default - none: face grouping is off */
  readonly people?: PeopleWiring;
  /** The partners' and the albums' tables (their rooms' declarations), which every deployment has. */
  readonly partners?: { readonly tableName: string };
  readonly albums?: { readonly tableName: string };
  readonly settings: Pick<DeploymentSettings, 'corsOrigins' | 'auth' | 'downloadUrlTtlSeconds'> & RenditionSettings;
}

/** The environment the stack and the local runner give this function. */
export function environmentFor(wiring: GetImageWiring): FunctionEnvironment {
  return {
    ...apiEnvironment(wiring),
    BUCKET_NAME: wiring.bucketName,
    DOWNLOAD_URL_TTL_SECONDS: String(wiring.settings.downloadUrlTtlSeconds),
    ...renditionSigningEnvironment(wiring),
    ...peopleTableEnvironment(wiring.people),
    ...unlockCheckEnvironment(wiring),
    PARTNERS_TABLE: tableOf(wiring.partners, 'partners'),
    ALBUMS_TABLE: tableOf(wiring.albums, 'albums'),
  };
}

/** Presigned GETs, valid for the deployment's `downloadUrlTtlSeconds`. */
export const ImageUrlsSchema = z
  .object({
    original: z.string().optional().meta({ description: 'The uploaded object; absent while the image is PENDING' }),
    download: z.string().optional().meta({
      description:
        'The uploaded object as a download (Content-Disposition: attachment) under its filename; absent while PENDING',
    }),
    thumbnails: z
      .record(z.string(), z.string())
      .meta({ description: 'Longest side in pixels (`"128"`) to URL; empty until the processor wrote some' }),
  })
  .meta({ id: 'ImageUrls' });

/** A preset's signed URL and, for a public preset, its stable one. */
const PresetRenditionSchema = SignedRenditionSchema.extend({
  publicUrl: z
    .string()
    .optional()
    .meta({
      description:
        'Only for a preset the deployment marks `public`: `<renditions origin>/<imageId>/<preset>.<ext>`, unsigned and ' +
        'without an expiry; anyone with it sees this rendition until the image is deleted (docs/renditions.md)',
    }),
}).meta({ id: 'PresetRendition' });

/** A likely match: a class the models saw under the threshold it is shown at, which a search finds. */
const LikelyResultSchema = z
  .object({
    field: z.enum(['object', 'label']).meta({ description: 'An object (with its box) or a derived label' }),
    name: z.string().meta({ description: 'The class as the model names it (`cat`, `Vegetation`)' }),
    confidence: z.number().min(0).max(1),
    box: BoxSchema.optional().meta({ description: "An object's: where its strongest candidate is" }),
  })
  .meta({ id: 'LikelyMatch' });
const _likelyChecked: SameType<LikelyResult, z.output<typeof LikelyResultSchema>> = true;

/** `GET /images/{id}` → 200: the record as the API shows it, plus download links. */
export const ImageDetailSchema = PublicImageSchema.extend({
  urls: ImageUrlsSchema,
  renditions: z
    .record(z.string(), PresetRenditionSchema)
    .optional()
    .meta({
      description:
        'A PROCESSED image only: a signed rendition URL per configured preset (`renditionPresets`), by preset name, ' +
        'with `publicUrl` for a public preset; ' +
        'a preset that cannot apply to this image (a crop past its edge, an output over the largest side) is left out, ' +
        'and all are when the signing keys cannot be read',
    }),
  people: z
    .object({
      faces: z
        .array(
          z.object({
            face: z.number().int().min(0).meta({ description: 'The face, by its index in `vision.faces`' }),
            personId: z.string().meta({ description: 'The person it is (a merged one: the person merged into)' }),
            name: z.string().nullable(),
            box: BoxSchema.optional().meta({
              description: 'A face its owner drew, or named though the analysis did not describe it: where it is',
            }),
          }),
        )
        .meta({ description: 'Each described face and the person it joined, and the faces its owner gave a person' }),
      skipped: z
        .object({ tooSmall: z.number().int().min(0), overCap: z.number().int().min(0) })
        .meta({ description: 'Faces not described: too small (eyes under 20 px apart), or past the 50 per image' }),
    })
    .optional()
    .meta({ description: 'With face grouping on (docs/people.md), once the image was grouped' }),
  likely: z
    .array(LikelyResultSchema)
    .optional()
    .meta({
      description:
        "A PROCESSED image's likely matches, strongest first: objects and derived labels of `vision.candidates` " +
        "scored from their class's retrieval threshold, which a search finds after the sure ones (docs/search.md), " +
        'less those its owner confirmed or dismissed (`PATCH /images/{id}/labels`); absent when there are none',
    }),
}).meta({ id: 'ImageDetail' });

// The use case answers exactly what the document says.
const _answerChecked: SameType<ImageDetail, z.output<typeof ImageDetailSchema>> = true;

export const route: ApiRouteFactory = () => ({
  method: 'GET',
  path: '/images/{id}',
  operationId: 'get-image',
  access: 'read',
  summary: 'Read one image: its record, download links and rendition URLs',
  description:
    'The record (docs/record.md) plus `urls` and, once PROCESSED, `renditions` (docs/renditions.md). Another ' +
    "owner's image is a 404, as an unknown id is. An image in the locked folder is answered to its owner only with " +
    'an unlock token in `X-Unlock-Token` (`POST /locked/unlock`), its links and rendition URLs expiring with it; ' +
    'anyone else (an admin too) gets the 404.',
  request: { path: ImageIdPathSchema },
  answers: { 200: { description: 'The image', body: ImageDetailSchema } },
  errors: {
    400: 'The id is not an image id',
    403: 'The image is in the locked folder and `X-Unlock-Token` is missing, expired or from before the PIN changed',
    404: "No such image, or another owner's",
  },
});
