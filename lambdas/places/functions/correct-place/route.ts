import { z } from 'zod';
import type { ApiRouteFactory } from '../../../api/route';
import { ImageIdPathSchema } from '../../../api/schemas';
import { type PlaceLevelSchema, PositionSchema } from '../../../core/place';
import { clientText, storableNumber } from '../../../store/client-text';
import { PlaceAnswerSchema, PlaceEnvSchema, placeEnvironment } from '../place-contract';

/** `PUT /images/{id}/place`: every variable it reads. */
export const CorrectPlaceEnvSchema = PlaceEnvSchema;
export const environmentFor = placeEnvironment;

/** A level of a place as its owner names it: the core's rules, and the client text rule for its name and code. */
const ClientPlaceLevelSchema = z.object({
  name: clientText(z.string().trim().min(1).max(200)),
  code: clientText(z.string().max(20)).optional(),
}) satisfies z.ZodType<z.output<typeof PlaceLevelSchema>>;

/** `PUT /images/{id}/place` body: exactly one of a position (geocoded now), a place named by hand, or `cleared`. */
export const PlaceChangeSchema = z
  .strictObject(
    {
      position: z
        .object({
          latitude: PositionSchema.shape.latitude.check(storableNumber),
          longitude: PositionSchema.shape.longitude.check(storableNumber),
        })
        .optional(),
      place: z
        .strictObject({
          country: ClientPlaceLevelSchema.optional(),
          region: ClientPlaceLevelSchema.optional(),
          area: ClientPlaceLevelSchema.optional(),
          locality: ClientPlaceLevelSchema.optional(),
        })
        .refine((names) => Object.keys(names).length > 0, 'name at least one of country, region, area, locality')
        .optional(),
      cleared: z.literal(true).optional(),
    },
    { error: 'must be a JSON object with one of position, place or cleared' },
  )
  .refine(
    (change) => [change.position, change.place, change.cleared].filter((part) => part !== undefined).length === 1,
    'give exactly one of position, place or cleared',
  );
export type PlaceChange = z.output<typeof PlaceChangeSchema>;

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
