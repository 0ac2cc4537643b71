import { z } from 'zod';
import { ApiEnvSchema, type ApiWiring, apiEnvironment } from '../../api/env';
import type { SameType } from '../../api/schemas';
import { type PlaceCorrection, PlaceCorrectionSchema, PlaceSchema, PositionSchema } from '../../core/place';
import { SinkEnvShape, type SinkWiring, sinkEnvironment } from '../../events/wiring';
import type { FunctionEnvironment } from '../../settings/env';
import type { ImageItem } from '../../store/image-item';

/*
 * What the place routes share (`PUT` and `DELETE /images/{id}/place`, docs/places.md#corrections): their
 * environment and their answer. How a correction is written, indexed and announced is in place-api.ts.
 */

/** Every variable a place route reads. */
export const PlaceEnvSchema = ApiEnvSchema.extend({
  /** The search index table: the image's `place:` postings follow the change. */
  SEARCH_TABLE_NAME: z.string().min(1),
  ...SinkEnvShape,
});
export type PlaceEnv = z.output<typeof PlaceEnvSchema>;

export interface PlaceRouteWiring extends ApiWiring, SinkWiring {
  readonly searchTableName: string;
}

/** The environment the stack and the local runner give each place route. */
export function placeEnvironment(wiring: PlaceRouteWiring): FunctionEnvironment {
  return { ...apiEnvironment(wiring), SEARCH_TABLE_NAME: wiring.searchTableName, ...sinkEnvironment(wiring) };
}

/** `PUT` and `DELETE /images/{id}/place` → 200: where the image was taken now. */
export const PlaceAnswerSchema = z
  .object({
    imageId: z.string(),
    position: PositionSchema.optional().meta({
      description: "The position the place was named from: the owner's or the photo's GPS",
    }),
    place: PlaceSchema.optional().meta({
      description: 'Absent: no position, the data names nothing there, or cleared',
    }),
    placeCorrection: PlaceCorrectionSchema.optional().meta({
      description: 'The correction that stands; absent after DELETE',
    }),
  })
  .meta({ id: 'ImagePlace' });

/** What the place routes answer: where the image was taken now, and the correction that stands, if any. */
export interface PlaceAnswer {
  imageId: string;
  position?: ImageItem['position'];
  place?: ImageItem['place'];
  placeCorrection?: PlaceCorrection;
}

// The use cases answer exactly what the document says.
const _answerChecked: SameType<PlaceAnswer, z.output<typeof PlaceAnswerSchema>> = true;
