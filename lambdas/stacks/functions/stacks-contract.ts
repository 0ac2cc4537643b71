import { z } from 'zod';
import { ApiEnvSchema, type ApiWiring, apiEnvironment } from '../../api/env';
import type { DeploymentSettings } from '../../settings';
import { type FunctionEnvironment, setting } from '../../settings/env';
import { S3EnvSchema } from '../../shared/contract';
import { IMAGE_ID_PATTERN } from '../../store/keys';
import { MAX_STACK_FRAMES, STACK_ID_PATTERN, type StacksWiring, stacksTableOf } from '../table-design';

/*
 * What the stack routes share (`/stacks...`, docs/api.md#stacks): their environment, the stack as they answer it and
 * the `{id}` they take. What they run with is in stacks-api.ts.
 */

/** Every variable a stack route reads. */
export const StacksEnvSchema = ApiEnvSchema.extend(S3EnvSchema.shape).extend({
  /** The stacks table (lambdas/stacks/table-design.ts). */
  STACKS_TABLE: z.string().min(1),
  /** The bucket of the thumbnails a frame links to. */
  BUCKET_NAME: z.string().min(1),
  DOWNLOAD_URL_TTL_SECONDS: setting('downloadUrlTtlSeconds'),
  THUMBNAIL_SIZES: setting('thumbnailSizes'),
});
export type StacksEnv = z.output<typeof StacksEnvSchema>;

export interface StacksRouteWiring extends ApiWiring {
  readonly stacks?: StacksWiring;
  readonly bucketName: string;
  readonly settings: Pick<DeploymentSettings, 'corsOrigins' | 'auth' | 'downloadUrlTtlSeconds' | 'thumbnailSizes'>;
}

/** The environment the stack and the local runner give each stack route. */
export function stacksEnvironment(wiring: StacksRouteWiring): FunctionEnvironment {
  return {
    ...apiEnvironment(wiring),
    STACKS_TABLE: stacksTableOf(wiring),
    BUCKET_NAME: wiring.bucketName,
    DOWNLOAD_URL_TTL_SECONDS: String(wiring.settings.downloadUrlTtlSeconds),
    THUMBNAIL_SIZES: wiring.settings.thumbnailSizes.join(','),
  };
}

const ImageIdSchema = z.string().regex(IMAGE_ID_PATTERN, 'must be image ids (26-character ULIDs)');

/** `{id}` of `/stacks/{id}...`. */
export const StackIdPathSchema = z.object({
  id: z.string().regex(STACK_ID_PATTERN).meta({ description: 'The stack id (`st_` and 20 hex characters)' }),
});

/** `POST /stacks` body. */
export const CreateStackSchema = z.strictObject(
  {
    imageIds: z
      .array(ImageIdSchema)
      .min(2, 'a stack has at least 2 photos')
      .max(MAX_STACK_FRAMES, `a stack has at most ${MAX_STACK_FRAMES} photos`)
      .meta({ description: `2 to ${MAX_STACK_FRAMES} of the caller's PROCESSED photos, none locked or in a stack` }),
    primary: ImageIdSchema.optional().meta({
      description: 'The one the lists show: one of imageIds (default the first)',
    }),
  },
  { error: 'must be a JSON object {"imageIds": [...], "primary"?}' },
);

/** `PUT /stacks/{id}/primary` body. */
export const StackPrimarySchema = z.strictObject(
  { imageId: ImageIdSchema.meta({ description: 'A frame of the stack' }) },
  { error: 'must be a JSON object {"imageId"}' },
);

/** A frame as the viewer's strip shows it. */
export const StackFrameSchema = z
  .object({
    imageId: z.string(),
    filename: z.string().optional(),
    contentType: z.string().optional(),
    /** When the camera took it (EXIF, its local time) and the milliseconds, when known. */
    takenAt: z.string().optional(),
    takenAtMs: z.number().int().optional(),
    width: z.number().int().positive().optional(),
    height: z.number().int().positive().optional(),
    /** Presigned GETs of its thumbnails, longest side (`"128"`) to URL. */
    thumbnails: z.record(z.string(), z.string()).optional(),
  })
  .meta({ id: 'StackFrame' });

/** A stack as the API answers it. */
export const StackSchema = z
  .object({
    stackId: z.string(),
    kind: z.enum(['manual', 'burst', 'pair']).meta({
      description:
        '`manual` (`POST /stacks`), `burst` (one camera, frames at most 1 s apart), `pair` (one shot in two formats)',
    }),
    primary: z.string().meta({ description: 'The frame the lists show' }),
    count: z.number().int().meta({ description: 'How many frames it has' }),
    frames: z.array(StackFrameSchema).meta({ description: 'Its frames, the primary first, then as taken' }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Stack' });
