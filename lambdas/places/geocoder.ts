import type { PlaceNames, Position } from '../core/place';

/** A place the data has, as the form's suggestions offer it (`GET /places/suggestions`). */
export interface PlaceSuggestion {
  /** The level the suggestion is: a country, a region, an area or a town. */
  kind: 'country' | 'region' | 'area' | 'locality';
  /** How a list shows it: "Genève, Geneva, Switzerland". */
  label: string;
  /** Its names as the data writes them, from the country down, each with its code and other names (`aka`). */
  place: PlaceNames;
  /** A town's population (GeoNames), which orders them. */
  population?: number;
}

/**
 * Names a position offline (lambdas/places/): the country and region whose boundary holds it, the area where the
 * data has one, and the locality. The processor's `place` step, the place correction route and the backfill's
 * re-geocoding all name places through this port; a correction by name and the form's suggestions read the same
 * data by name.
 */
export interface Geocoder {
  /** The places data's version (written on each place it names, as `Place.data`). */
  readonly data: string;
  /** The place at a position, or undefined where the data names nothing (the open sea). */
  name(position: Pick<Position, 'latitude' | 'longitude'>): PlaceNames | undefined;
  /**
   * A place named by its owner as the data names it ("Geneva, CH": Genève, Geneva, Switzerland), or a sentence
   * saying which level the data has no such place at.
   */
  resolve(names: PlaceNames): PlaceNames | { unknown: string };
  /** The data's places whose names start with the words typed, at most `limit`. */
  suggest(query: string, limit: number): PlaceSuggestion[];
}
