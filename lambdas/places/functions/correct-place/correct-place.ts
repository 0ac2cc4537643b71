import type { PlaceCorrection, PlaceNames } from '../../../core/place';
import { BadRequestError } from '../../../shared/errors';
import type { Caller } from '../../../store/owner';
import type { Geocoder } from '../../geocoder';
import { type PlaceCorrectionDeps, readCorrectable, writePlace } from '../place-api';
import type { PlaceAnswer } from '../place-contract';
import type { PlaceChange } from './route';

/**
 * Record what an image's owner says of its place:
 * 0. a place named: as the places data names it ("Geneva, CH" is Genève, Geneva, Switzerland; 400 for a name the
 *    data has no place for, saying which level);
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
  const place = change.place && resolved(change.place as PlaceNames, deps.geocoder);
  const item = await readCorrectable(imageId, caller, deps);
  const at = (deps.now?.() ?? new Date()).toISOString();
  const correction: PlaceCorrection = {
    ...(change.position && { position: change.position }),
    ...(place && { place }),
    ...(change.cleared && { cleared: true }),
    at,
    ...(caller.owner !== undefined && { by: caller.owner }),
  };
  return writePlace(item, correction, { at, by: caller.owner }, deps);
}

/** The place named, as the data names it; a 400 naming the level the data has no such place at. */
function resolved(names: PlaceNames, geocoder: Geocoder): PlaceNames {
  const place = geocoder.resolve(names);
  if ('unknown' in place) throw new BadRequestError(`place.${place.unknown}`);
  return place;
}
