import type { ApiRouteFactory } from '../../../api/route';
import { ImageIdPathSchema } from '../../../api/schemas';
import { PlaceAnswerSchema, PlaceEnvSchema, placeEnvironment } from '../place-contract';

/** `DELETE /images/{id}/place`: every variable it reads. */
export const ResetPlaceEnvSchema = PlaceEnvSchema;
export const environmentFor = placeEnvironment;

export const route: ApiRouteFactory = () => ({
  method: 'DELETE',
  path: '/images/{id}/place',
  operationId: 'reset-place',
  access: 'write',
  summary: "Drop an image's place correction: back to what the photo's GPS says",
  description:
    "The position and place are made again from the photo's own EXIF GPS, without re-reading the photo. Publishes " +
    '`Image Place Changed`.',
  request: { path: ImageIdPathSchema },
  answers: { 200: { description: 'Where the image was taken now', body: PlaceAnswerSchema } },
  errors: {
    404: "No such image, or another owner's",
    409: 'The image is not PROCESSED yet, or changed meanwhile (try again)',
  },
});
