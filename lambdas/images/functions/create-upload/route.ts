import { z } from 'zod';
import { ApiEnvSchema, type ApiWiring, apiEnvironment } from '../../../api/env';
import { type ApiRouteFactory, withFieldMeta } from '../../../api/route';
import type { DeploymentSettings, UploadContentType } from '../../../settings';
import { type FunctionEnvironment, setting } from '../../../settings/env';
import { isRawContentType, LIVE_PHOTO_VIDEO, maxBytesFor, rawUploadBytes } from '../../../settings/uploads';
import { S3EnvSchema } from '../../../shared/contract';
import { noControlCharacters, validUnicode } from '../../../store/client-text';
import { IMAGE_ID_PATTERN } from '../../../store/keys';
import {
  METADATA_KEY_PATTERN,
  MetadataRequestSchema,
  TagsRequestSchema,
  UPLOAD_METADATA_LIMITS,
} from '../../../store/upload-metadata';

/** `POST /uploads`: every variable it reads. No defaults: each value comes from the deployment settings. */
export const CreateUploadEnvSchema = ApiEnvSchema.extend(S3EnvSchema.shape).extend({
  BUCKET_NAME: z.string().min(1),
  MAX_UPLOAD_BYTES: setting('maxUploadBytes'),
  MAX_RAW_UPLOAD_BYTES: setting('maxRawUploadBytes'),
  MAX_LIVE_PHOTO_VIDEO_BYTES: setting('maxLivePhotoVideoBytes'),
  ALLOWED_TYPES: setting('allowedTypes'),
  UPLOAD_URL_TTL_SECONDS: setting('uploadUrlTtlSeconds'),
});
export type CreateUploadEnv = z.output<typeof CreateUploadEnvSchema>;

export interface CreateUploadWiring extends ApiWiring {
  readonly bucketName: string;
  readonly settings: Pick<
    DeploymentSettings,
    | 'corsOrigins'
    | 'auth'
    | 'maxUploadBytes'
    | 'maxRawUploadBytes'
    | 'maxLivePhotoVideoBytes'
    | 'allowedTypes'
    | 'uploadUrlTtlSeconds'
  >;
}

/** The environment the stack and the local runner give this function. */
export function environmentFor(wiring: CreateUploadWiring): FunctionEnvironment {
  const { settings } = wiring;
  return {
    ...apiEnvironment(wiring),
    BUCKET_NAME: wiring.bucketName,
    MAX_UPLOAD_BYTES: String(settings.maxUploadBytes),
    MAX_RAW_UPLOAD_BYTES: String(rawUploadBytes(settings)),
    MAX_LIVE_PHOTO_VIDEO_BYTES: String(settings.maxLivePhotoVideoBytes),
    ALLOWED_TYPES: settings.allowedTypes.join(','),
    UPLOAD_URL_TTL_SECONDS: String(settings.uploadUrlTtlSeconds),
  };
}

const FILENAME_MAX = 255;

export interface UploadLimits {
  allowedTypes: readonly UploadContentType[];
  maxUploadBytes: number;
  /** A camera RAW's limit (`maxRawUploadBytes`): the `size` of a RAW type is checked against it instead. */
  maxRawUploadBytes: number;
  /** A Live Photo's MOV (`video/quicktime`) has its own limit. Default: `maxUploadBytes`. */
  maxLivePhotoVideoBytes?: number;
}

/**
 * `POST /uploads` body. Content types are matched case-insensitively; parameters or wildcards are refused. `size` is
 * at most its type's limit: `maxRawUploadBytes` for a camera RAW, `maxLivePhotoVideoBytes` for a Live Photo's MOV,
 * `maxUploadBytes` for any other.
 */
export function uploadRequestSchema(limits: UploadLimits) {
  return uploadFieldsSchema(limits).check((context) => {
    const { contentType, size } = context.value;
    const most = maxBytesFor(contentType, limits);
    if (size > most) {
      const kind = isRawContentType(contentType)
        ? 'a camera RAW'
        : contentType === LIVE_PHOTO_VIDEO
          ? `${LIVE_PHOTO_VIDEO} (a Live Photo's video)`
          : contentType;
      context.issues.push({
        code: 'custom',
        input: size,
        path: ['size'],
        message: `must be at most ${most} bytes for ${kind}`,
      });
    }
  });
}

/** The body's fields, each checked alone (`size` against the larger limit): what the API document describes. */
function uploadFieldsSchema(limits: UploadLimits) {
  const types = limits.allowedTypes as [UploadContentType, ...UploadContentType[]];
  // `size` takes the largest limit of the allowed types; each type is held to its own (uploadRequestSchema).
  const largest = Math.max(...types.map((type) => maxBytesFor(type, limits)));
  const required = (expected: string) => (issue: { input: unknown }) =>
    issue.input === undefined ? 'required' : `must be ${expected}`;
  return z.object(
    {
      contentType: z
        .string({ error: required('a string') })
        .transform((value) => value.trim().toLowerCase())
        .pipe(z.enum(types, { error: `must be one of ${types.join(', ')}` })),
      size: z
        .number({ error: required('a number of bytes') })
        .int('must be a whole number of bytes')
        .min(1, 'must be at least 1 byte')
        .max(largest, `must be at most ${largest} bytes`),
      filename: z
        .string({ error: 'must be a string' })
        .min(1, 'must not be empty')
        .max(FILENAME_MAX, `must be at most ${FILENAME_MAX} characters`)
        .check(noControlCharacters, validUnicode)
        .optional(),
      /** Trimmed, duplicates dropped; see upload-metadata.ts for the rules. */
      tags: TagsRequestSchema.optional(),
      metadata: MetadataRequestSchema.optional(),
      sha256: z
        .string({ error: 'must be a string' })
        .transform((value) => value.toLowerCase())
        .pipe(z.string().regex(/^[0-9a-f]{64}$/, 'must be the SHA-256 of the bytes, as 64 hex digits'))
        .optional(),
      duplicates: z.enum(['skip', 'keep'], { error: 'must be skip or keep' }).optional(),
    },
    { error: 'must be a JSON object' },
  );
}
export type UploadRequest = z.output<ReturnType<typeof uploadRequestSchema>>;

/** `POST /uploads` → 201: the image's id and the presigned POST form that uploads it. */
export const UploadResponseSchema = z
  .object({
    imageId: z.string().regex(IMAGE_ID_PATTERN).meta({ description: "The new image's id (a ULID)" }),
    upload: z
      .object({
        url: z.string().meta({ description: 'Where to POST the form, as multipart/form-data' }),
        fields: z
          .record(z.string(), z.string())
          .meta({ description: 'Every form field to send as it is; the file goes last, as `file`' }),
      })
      .meta({ description: 'A presigned S3 POST: S3 accepts only this key, the declared type and exactly the size' }),
    expiresAt: z.iso.datetime().meta({ description: 'When the form stops working' }),
  })
  .meta({ id: 'UploadResponse' });

/** `POST /uploads` → 200: the caller already has these bytes; nothing was stored and no form is given. */
export const DuplicateAnswerSchema = z
  .object({
    duplicateOf: z.string().regex(IMAGE_ID_PATTERN).meta({ description: "The caller's image with the same bytes" }),
    message: z.string(),
  })
  .meta({ id: 'DuplicateUpload' });

const { maxTags, maxTagChars, maxKeys, maxBytes } = UPLOAD_METADATA_LIMITS;

/** `POST /uploads`: the schema the handler parses the body with, and what JSON Schema cannot infer from it. */
export const route: ApiRouteFactory = (settings) => ({
  method: 'POST',
  path: '/uploads',
  operationId: 'create-upload',
  access: 'write',
  summary: 'Get a form to upload one image',
  description:
    'Records a PENDING image owned by the caller and answers a presigned POST that S3 accepts only for its key, ' +
    'the declared content type and exactly `size` bytes. Send `upload.fields`, then the file, to `upload.url`; ' +
    'the pipeline then analyses it (poll `GET /images/{id}`). With `sha256`, an upload of bytes the caller already ' +
    'has is answered 200 with `duplicateOf` and nothing is stored, unless `duplicates` is `keep`.',
  request: {
    body: withFieldMeta(uploadFieldsSchema(settings), {
      contentType: {
        description: "The image's type: one the deployment allows (its `allowedTypes` setting)",
        // The handler lowercases it first; API Gateway's request model, checked before it, compares exactly.
        override: { type: 'string', enum: [...settings.allowedTypes] },
      },
      size: {
        description:
          'The exact size of the file in bytes: at most its `maxUploadBytes` setting, `maxRawUploadBytes` for a ' +
          "camera RAW type, or `maxLivePhotoVideoBytes` for `video/quicktime` (a Live Photo's video)",
      },
      filename: { description: 'Kept as the client sent it, as metadata only: never part of a key' },
      tags: {
        description: 'Trimmed; duplicates dropped (the first kept); not blank, no control characters',
        override: { items: { type: 'string', minLength: 1, maxLength: maxTagChars } },
      },
      metadata: {
        description: `String values; at most ${maxBytes} bytes as JSON; \`__proto__\` is reserved`,
        override: {
          type: 'object',
          maxProperties: maxKeys,
          propertyNames: { pattern: METADATA_KEY_PATTERN },
          additionalProperties: { type: 'string', maxLength: maxBytes },
        },
      },
      sha256: {
        description:
          "The SHA-256 of the file, 64 hex digits: the caller's image with the same bytes (not one in the trash) is " +
          'answered instead of a form, and S3 refuses bytes of another checksum',
        override: { type: 'string', pattern: '^[0-9a-fA-F]{64}$' },
      },
      duplicates: {
        description: '`skip` (the default): a duplicate is answered 200 with `duplicateOf`; `keep`: upload anyway',
      },
    }).meta({
      description: `At most ${maxTags} tags and ${maxKeys} metadata keys; no other fields`,
      // API Gateway's request model refuses any other field before the handler runs.
      override: { additionalProperties: false },
    }),
  },
  gatewayValidatesBody: true,
  answers: {
    201: { description: 'The image id and its upload form', body: UploadResponseSchema },
    200: {
      description: 'With `sha256`: the caller already has these bytes (`duplicateOf`); nothing was stored',
      body: DuplicateAnswerSchema,
    },
  },
  errors: { 400: 'The body is not JSON, or a field is missing or not allowed (the message names each)' },
});
