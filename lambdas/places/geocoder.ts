import type { PlaceNames, Position } from '../core/place';

/**
 * Names a position offline (lambdas/places/): the country and region whose boundary holds it, the area where the
 * data has one, and the locality. The processor's `place` step, the place correction route and the backfill's
 * re-geocoding all name places through this port.
 */
export interface Geocoder {
  /** The places data's version (written on each place it names, as `Place.data`). */
  readonly data: string;
  /** The place at a position, or undefined where the data names nothing (the open sea). */
  name(position: Pick<Position, 'latitude' | 'longitude'>): PlaceNames | undefined;
}
