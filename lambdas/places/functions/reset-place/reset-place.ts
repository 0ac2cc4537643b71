import type { Caller } from '../../../store/owner';
import { type PlaceCorrectionDeps, readCorrectable, writePlace } from '../place-api';
import type { PlaceAnswer } from '../place-contract';

/**
 * Drop an image's place correction: back to what the photo's own GPS says (its analysis' `metadata.exif.gps`),
 * named afresh, without re-reading the photo. 404 as for GET, 409 until PROCESSED or if the record changed meanwhile;
 * an image with no correction is answered as it is now, named again. Publishes `Image Place Changed`.
 */
export async function resetPlace(imageId: string, caller: Caller, deps: PlaceCorrectionDeps): Promise<PlaceAnswer> {
  const item = await readCorrectable(imageId, caller, deps);
  const at = (deps.now?.() ?? new Date()).toISOString();
  return writePlace(item, undefined, { at, by: caller.owner }, deps);
}
