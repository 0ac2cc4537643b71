import { z } from 'zod';
import { type PlaceCorrection, type PlaceLevelSchema, type PlaceNames, PositionSchema } from '../../../core/place';
import { clientText, storableNumber } from '../../../store/client-text';
import type { Caller } from '../../../store/owner';
import { type PlaceAnswer, type PlaceCorrectionDeps, readCorrectable, writePlace } from '../place-api';

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

/**
 * Record what an image's owner says of its place:
 * 1. read the image (404 as for GET; 409 until it is PROCESSED: there is no position to correct yet);
 * 2. the correction replaces any earlier one; the position and place follow from it and the photo's own GPS
 *    (its analysis' `metadata.exif.gps`) as the processor's `place` step would make them (lambdas/places/name-place.ts),
 *    so a re-analysis gives the same;
 * 3. write them and the terms they make if the record is as it was read (409 if it changed meanwhile: try again);
 * 4. bring the search postings in step (the `place:` terms), then publish `Image Place Changed`.
 */
export async function correctPlace(
  imageId: string,
  change: PlaceChange,
  caller: Caller,
  deps: PlaceCorrectionDeps,
): Promise<PlaceAnswer> {
  const item = await readCorrectable(imageId, caller, deps);
  const at = (deps.now?.() ?? new Date()).toISOString();
  const correction: PlaceCorrection = {
    ...(change.position && { position: change.position }),
    ...(change.place && { place: change.place as PlaceNames }),
    ...(change.cleared && { cleared: true }),
    at,
    ...(caller.owner !== undefined && { by: caller.owner }),
  };
  return writePlace(item, correction, { at, by: caller.owner }, deps);
}
