import type { EnrichmentStep } from '../../kit/processor-step';
import type { Geocoder } from '../geocoder';
import { locate, photoPosition } from '../name-place';
import { openGeocoder } from '../open';

/**
 * Where the photo was taken (`place`): its position, from its EXIF GPS or its owner's correction, named offline by
 * the geocoder (lambdas/places), or the place its owner named. No inference and no network: it runs with
 * `inference=none` as with any provider. The correction is the record's own (never a processing field), so a
 * re-analysis applies it again. Without a geocoder (a test's deps) the position is recorded and no place named.
 */
/** The place step's own: names where each photo was taken, offline; none: the position alone is recorded. */
export interface PlaceDeps {
  geocoder?: Geocoder;
}

export const placeStep: EnrichmentStep<PlaceDeps> = {
  name: 'place',
  when: 'decoded',
  async run({ deps, existing }, { decoded }) {
    const gps = photoPosition(decoded.record);
    const correction = existing?.placeCorrection;
    if (deps.geocoder === undefined) {
      return { item: { position: correction?.cleared ? undefined : (correction?.position ?? gps), place: undefined } };
    }
    const { position, place } = locate(gps, correction, deps.geocoder);
    return { item: { position, place } };
  },
  // The places data, read once per container from the file beside the bundle: no network (docs/places.md).
  open: () => ({ geocoder: openGeocoder() }),
  // A place named by older places data is named again (a place its owner named stays as it is: docs/places.md).
  stale({ place }, deps) {
    const data = deps.geocoder?.data;
    return data !== undefined && place !== undefined && place.source !== 'owner' && place.data !== data;
  },
};
