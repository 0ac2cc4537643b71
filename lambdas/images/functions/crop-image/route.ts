import { z } from 'zod';
import type { ApiRouteFactory } from '../../../api/route';
import { ImageIdPathSchema } from '../../../api/schemas';
import { CropRequestSchema, CropSchema, MIN_CROP_PIXELS } from '../../../core/crop';
import { type ReanalysisEnv, ReanalysisEnvSchema, reanalysisEnvironment } from '../reanalysis-contract';

/**
 * `PUT /images/{id}/crop` (and `DELETE`, uncrop-image): every variable it reads, an edit's that re-analyses the
 * image, as a rotation's: the record, the event sinks, and the ingest queue, which makes the image's thumbnails,
 * renditions and analysis again, cut (reanalysis-contract.ts).
 */
export const CropImageEnvSchema = ReanalysisEnvSchema;
export type CropImageEnv = ReanalysisEnv;
export const environmentFor = reanalysisEnvironment;

/** `PUT /images/{id}/crop` body: the part kept, in fractions of the upright photo. */
export const CropChangeSchema = CropRequestSchema.meta({
  id: 'CropChange',
  description:
    'The part of the photo to keep, in fractions (0..1) of the upright photo (after its EXIF orientation and its ' +
    `owner's rotation): inside it, with width and height over 0, at least ${MIN_CROP_PIXELS} px each way`,
});
export type CropChange = z.output<typeof CropChangeSchema>;

/** `PUT` or `DELETE /images/{id}/crop` → 202 or 200. */
export const CropAnswerSchema = z
  .object({
    imageId: z.string(),
    crop: CropSchema.meta({
      description: 'The part kept, in fractions of the upright photo: `{0, 0, 1, 1}`, the whole photo, once undone',
    }),
    status: z.enum(['REANALYSING', 'UNCHANGED']).meta({
      description:
        'REANALYSING: the processor makes it again, cut, sent by this request or an earlier one (follow ' +
        '`GET /images/{id}`: `cropApplied`); UNCHANGED: it is cut so already',
    }),
  })
  .meta({ id: 'ImageCrop' });

/** What the two routes say of a crop's errors. */
export const CROP_ERRORS = {
  404: "No such image, or another owner's",
  409: 'The image is not PROCESSED yet, changed while it was being edited (try again), or was not uploaded through the API or a backfill',
} as const;

export const route: ApiRouteFactory = () => ({
  method: 'PUT',
  path: '/images/{id}/crop',
  operationId: 'crop-image',
  access: 'write',
  summary: 'Crop an image',
  description:
    'Keeps a part of the upright photo (after its EXIF orientation and its rotation), absolute: each crop replaces ' +
    'the last; the original is kept whole. The pixels change, so the image is analysed again (one re-analysis: ' +
    'docs/costs.md): its size, thumbnails, renditions, faces, text and labels come from the part kept, and ' +
    '`Image Processed` says when. A later rotation turns the crop with the photo. Publishes `Image Updated` ' +
    '(`changed: ["crop"]`) at once. Asking for the crop it has writes, sends and publishes nothing: 200 once it is ' +
    'made, 202 while it is being made.',
  request: { path: ImageIdPathSchema, body: CropChangeSchema },
  answers: {
    200: { description: 'It is cut so already: nothing to do', body: CropAnswerSchema },
    202: { description: 'Being analysed again, cut (or still, for a repeat)', body: CropAnswerSchema },
  },
  errors: {
    400: `A malformed body: not an object \`{left, top, width, height}\` of fractions inside the photo, or a crop under ${MIN_CROP_PIXELS} px a side`,
    ...CROP_ERRORS,
  },
});
