import { z } from 'zod';
import type { ApiRouteFactory } from '../../../api/route';
import { ImageIdPathSchema } from '../../../api/schemas';
import { RotationSchema } from '../../../core/options';
import {
  type ReanalysisEnv,
  ReanalysisEnvSchema,
  type ReanalysisWiring,
  reanalysisEnvironment,
} from '../reanalysis-contract';

/** `PUT /images/{id}/rotation`: every variable it reads, an edit's that re-analyses the image (reanalysis-contract.ts). */
export const RotateImageEnvSchema = ReanalysisEnvSchema;
export type RotateImageEnv = ReanalysisEnv;
export type RotateImageWiring = ReanalysisWiring;
/** The environment the stack and the local runner give this function. */
export const environmentFor = reanalysisEnvironment;

/** `PUT /images/{id}/rotation` body, and its answer's part. */
const degrees = RotationSchema.meta({
  description: 'Clockwise quarter turns after the EXIF orientation, absolute: 0 undoes every turn',
});

export const RotationChangeSchema = z.strictObject(
  { degrees },
  { error: 'must be a JSON object {degrees}, degrees one of 0, 90, 180, 270' },
);
export type RotationChange = z.output<typeof RotationChangeSchema>;

/** `PUT /images/{id}/rotation` → 202 or 200. */
export const RotationAnswerSchema = z
  .object({
    imageId: z.string(),
    rotation: degrees,
    status: z.enum(['REANALYSING', 'UNCHANGED']).meta({
      description:
        'REANALYSING: the processor makes it again, turned, sent by this request or an earlier one (follow ' +
        '`GET /images/{id}`: `rotationApplied`); UNCHANGED: it is turned so already',
    }),
  })
  .meta({ id: 'ImageRotation' });

export const route: ApiRouteFactory = () => ({
  method: 'PUT',
  path: '/images/{id}/rotation',
  operationId: 'rotate-image',
  access: 'write',
  summary: 'Turn an image by quarter turns',
  description:
    'Clockwise after its EXIF orientation, absolute (`0` undoes). The pixels change, so the image is analysed again ' +
    '(one re-analysis: docs/costs.md): its thumbnails, renditions, size, faces, text and labels come from the turned ' +
    'picture, and `Image Processed` says when. Publishes `Image Updated` (`changed: ["rotation"]`) at once. Asking ' +
    'for the rotation it has writes, sends and publishes nothing: 200 once it is made, 202 while it is being made ' +
    '(of requests at once, only the first sends the image to be analysed).',
  request: { path: ImageIdPathSchema, body: RotationChangeSchema },
  answers: {
    200: { description: 'It is turned so already: nothing to do', body: RotationAnswerSchema },
    202: { description: 'Being analysed again, turned (or still, for a repeat)', body: RotationAnswerSchema },
  },
  errors: {
    400: 'A malformed body: not an object `{degrees: 0 | 90 | 180 | 270}`',
    404: "No such image, or another owner's",
    409: 'The image is not PROCESSED yet, changed while it was being edited (try again), or was not uploaded through the API or a backfill',
  },
});
