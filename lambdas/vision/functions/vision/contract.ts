import { z } from 'zod';
import { type FaceDescriptions, FaceDescriptionsSchema } from '../../../core/faces';
import { PaletteEntrySchema } from '../../../core/record';
import { type Vision, VisionSchema } from '../../../core/vision-schema';
import { type DeploymentSettings, DeploymentSettingsSchema } from '../../../settings';
import { type FunctionEnvironment, setting } from '../../../settings/env';
import { PowertoolsEnvSchema, S3EnvSchema } from '../../../shared/contract';

/**
 * The offline vision function: a container image the processor invokes synchronously (RequestResponse) with a
 * `VisionRequest`; it answers a `VisionResponse`, or fails: with a refusal the same request would meet again (the
 * errors of refusals.ts, named in PERMANENT_VISION_ERRORS below), or with an error a retry may pass.
 */

/** Every variable it reads. No defaults: each value comes from the deployment settings. */
export const VisionEnvSchema = PowertoolsEnvSchema.extend(S3EnvSchema.shape).extend({
  /** Absent: each moderation class's calibrated threshold. */
  MODERATION_THRESHOLD: DeploymentSettingsSchema.shape.moderationThreshold,
  /** Largest object it reads; the body of a larger one is never buffered. */
  MAX_UPLOAD_BYTES: setting('maxUploadBytes'),
  /** `true`: each face big enough is also described for the grouping (the response's `faceDescriptions`). */
  FACE_GROUPING: setting('faceGrouping'),
});
export type VisionEnv = z.output<typeof VisionEnvSchema>;

export interface VisionWiring {
  readonly settings: Pick<DeploymentSettings, 'moderationThreshold' | 'maxUploadBytes' | 'faceGrouping'>;
}

/** The environment the stack gives this function. */
export function environmentFor(wiring: VisionWiring): FunctionEnvironment {
  return {
    ...(wiring.settings.moderationThreshold !== undefined && {
      MODERATION_THRESHOLD: String(wiring.settings.moderationThreshold),
    }),
    MAX_UPLOAD_BYTES: String(wiring.settings.maxUploadBytes),
    FACE_GROUPING: String(wiring.settings.faceGrouping),
  };
}

/**
 * The most bytes a request carries inline (`image`): a synchronous invocation's payload is at most 6 MB, and base64
 * makes 4 bytes of 3. The processor sends a larger vision thumbnail (only a `thumbnailSizes` entry past 1024 px can
 * make one) as the lossless pixels the models would look at (vision.ts).
 */
export const MAX_INLINE_IMAGE_BYTES = 4 * 1024 * 1024;

const ColourSchema = z.object({
  palette: z.array(PaletteEntrySchema),
  brightness: z.object({ value: z.number(), class: z.enum(['dark', 'normal', 'bright']) }),
});

/**
 * What the processor sends: the image to look at (its vision thumbnail), and the core's colour facts. The image
 * comes inline (`image`, base64): the processor has not stored a thumbnail yet, since the owner's moderation policy
 * decides on this answer whether it is stored blurred. Or it names a stored object (`bucket` and `key`), as
 * processors before the inline image did.
 */
export const VisionRequestSchema = z
  .object({
    imageId: z.string().min(1),
    image: z
      .base64()
      .max(Math.ceil(MAX_INLINE_IMAGE_BYTES / 3) * 4)
      .optional(),
    bucket: z.string().min(1).optional(),
    key: z.string().min(1).optional(),
    colour: ColourSchema.optional(),
    /**
     * Whether which way is up is known: the file's EXIF names an orientation, or its owner turned it. False lets the
     * offline models look at a weak picture turned (lambdas/vision/quarter-turns.ts). Absent (a processor before it):
     * known, so its requests are answered as they were.
     */
    orientationKnown: z.boolean().optional(),
  })
  .refine((request) => (request.image === undefined) !== (request.key === undefined), {
    message: 'exactly one of image (inline, base64) and key',
    path: ['image'],
  })
  .refine((request) => request.key === undefined || request.bucket !== undefined, {
    message: 'a key needs its bucket',
    path: ['bucket'],
  });
export type VisionRequest = z.infer<typeof VisionRequestSchema>;

/**
 * What it answers: the shared vision schema, as Rekognition's provider answers too; with `FACE_GROUPING=true`,
 * also the faces' descriptors for the grouping (biometric: the processor hands them to the grouping and never
 * stores them in the record).
 */
export const VisionResponseSchema = VisionSchema.extend({ faceDescriptions: FaceDescriptionsSchema.optional() });
export type VisionResponse = Vision & { faceDescriptions?: FaceDescriptions };

/**
 * The `errorType`s (error names) Lambda reports for refusals that the same request would meet again: the caller
 * records them instead of retrying. Anything else (a timeout, out of memory, `Runtime.*`) may pass on a retry.
 */
export const PERMANENT_VISION_ERRORS: ReadonlySet<string> = new Set([
  'VisionRequestError',
  'SourceImageMissingError',
  'SourceImageTooLargeError',
  'ImageRejectedError',
  // A picture no scale fits into 80-10,000 px a side (lambdas/vision/vision-limits.ts).
  'PictureOutOfRangeError',
]);
