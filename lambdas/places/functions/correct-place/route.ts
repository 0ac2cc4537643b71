import type { z } from 'zod';
import type { ApiRouteFactory } from '../../../api/route';
import { ImageIdPathSchema, type SameType } from '../../../api/schemas';
import { type PlaceAnswer, PlaceAnswerSchema, PlaceEnvSchema, placeEnvironment } from '../place-api';
import { PlaceChangeSchema } from './correct-place';

/** `PUT /images/{id}/place`: every variable it reads. */
export const CorrectPlaceEnvSchema = PlaceEnvSchema;
export const environmentFor = placeEnvironment;

// The use case answers exactly what the document says.
const _answerChecked: SameType<PlaceAnswer, z.output<typeof PlaceAnswerSchema>> = true;

export const route: ApiRouteFactory = () => ({
  method: 'PUT',
  path: '/images/{id}/place',
  operationId: 'correct-place',
  access: 'write',
  summary: 'Correct where an image was taken: a position, a place named by hand, or none',
  description:
    'Exactly one of `position` (named now from the places data, source `position`), `place` (names as given, ' +
    'source `owner`) or `cleared: true` (no position and no place). The correction replaces any earlier one, is ' +
    'kept through re-analysis and re-geocoding, and the `place:` search terms follow it. Publishes ' +
    '`Image Place Changed` (the place, never the position).',
  request: { path: ImageIdPathSchema, body: PlaceChangeSchema },
  answers: { 200: { description: 'Where the image was taken now', body: PlaceAnswerSchema } },
  errors: {
    400: 'A malformed body: not one of position, place or cleared, a coordinate out of range or that DynamoDB cannot store (0 < |x| < 1e-130), a place with no name, a name or code with a lone surrogate or a control character',
    404: "No such image, or another owner's",
    409: 'The image is not PROCESSED yet, or changed while its place was being corrected, or other photos at the place were being counted past a few retries (try again)',
  },
});
