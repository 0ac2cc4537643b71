import type { Place, PlaceCorrection, Position } from '../core/place';
import type { AnalysisRecord } from '../core/record';
import type { Geocoder } from './geocoder';

/** What the record says of where a photo was taken: the position and its place, each absent when unknown. */
export interface Located {
  position?: Position;
  place?: Place;
}

/**
 * The position a camera's EXIF GPS gives, or undefined when it is no position: a coordinate out of range or not a
 * number, or exactly 0,0 ("null island": what cameras and phones write when the GPS had no fix; a photo really
 * taken there, in the Gulf of Guinea, 570 km from any coast, loses its position).
 */
export function gpsPosition(
  gps: { latitude: number; longitude: number; altitude?: number } | undefined,
): Position | undefined {
  if (gps === undefined) return undefined;
  const { latitude, longitude, altitude } = gps;
  if (!Number.isFinite(latitude) || !Number.isFinite(longitude)) return undefined;
  if (Math.abs(latitude) > 90 || Math.abs(longitude) > 180) return undefined;
  if (latitude === 0 && longitude === 0) return undefined;
  const position: Position = { latitude, longitude };
  if (altitude !== undefined && Number.isFinite(altitude)) position.altitude = altitude;
  return position;
}

/**
 * Where a photo was taken, from its own GPS and what its owner said (the correction wins):
 * - `cleared`: no position and no place, whatever the GPS says;
 * - a place named by hand: that place as the data names it (source `owner`; kept as given where the data has no such
 *   place, as a correction stored before names were resolved may be), with the owner's position if they gave one,
 *   else the GPS's;
 * - a position of the owner's: it, named by the geocoder (source `position`);
 * - else the GPS position named by the geocoder (source `gps`); no position, no place.
 * A position the data names nothing at (the open sea) keeps its position and has no place. Each place the geocoder
 * names carries its data's version (`data`), which a backfill compares to re-name what an older one named; a place
 * named by hand has none (no data named it, and no new data re-names it).
 */
export function locate(
  gps: Position | undefined,
  correction: PlaceCorrection | undefined,
  geocoder: Geocoder,
): Located {
  if (correction?.cleared) return {};
  const position = correction?.position ?? gps;
  if (correction?.place) {
    // As the data names it now: a correction stored before names were resolved ("CH") is its country's name again.
    const resolved = geocoder.resolve(correction.place);
    return { position, place: { ...('unknown' in resolved ? correction.place : resolved), source: 'owner' } };
  }
  if (position === undefined) return {};
  const names = geocoder.name(position);
  if (names === undefined) return { position };
  return { position, place: { ...names, source: correction?.position ? 'position' : 'gps', data: geocoder.data } };
}

/** The position the photo's own EXIF GPS gives, as the core read it into its analysis (`metadata.exif.gps`). */
export function photoPosition(analysis: AnalysisRecord | undefined): Position | undefined {
  return analysis?.status === 'PROCESSED' ? gpsPosition(analysis.metadata.exif?.gps) : undefined;
}
