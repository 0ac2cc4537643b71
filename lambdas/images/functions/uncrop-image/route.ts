import type { ApiRouteFactory } from '../../../api/route';
import { ImageIdPathSchema } from '../../../api/schemas';
import { CROP_ERRORS, CropAnswerSchema } from '../crop-image/route';

/** `DELETE /images/{id}/crop`: the variables `PUT` reads, the same use case (crop-image). */
export { CropImageEnvSchema as UncropImageEnvSchema, environmentFor } from '../crop-image/route';

export const route: ApiRouteFactory = () => ({
  method: 'DELETE',
  path: '/images/{id}/crop',
  operationId: 'uncrop-image',
  access: 'write',
  summary: "Undo an image's crop",
  description:
    'The whole photo again, analysed again as for `PUT /images/{id}/crop` (its crop is `{0, 0, 1, 1}`). Publishes ' +
    '`Image Updated` (`changed: ["crop"]`); an image not cropped answers 200 UNCHANGED and does nothing.',
  request: { path: ImageIdPathSchema },
  answers: {
    200: { description: 'It is whole already: nothing to do', body: CropAnswerSchema },
    202: { description: 'Being analysed again, whole (or still, for a repeat)', body: CropAnswerSchema },
  },
  errors: CROP_ERRORS,
});
