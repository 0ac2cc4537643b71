import type { PlaceNames } from '../../lambdas/core/place';
import type { Geocoder, PlaceSuggestion } from '../../lambdas/places/geocoder';

/** Boxes of latitude and longitude, each with its place: the first holding a position names it. */
const BOXES: Array<{ south: number; north: number; west: number; east: number; names: PlaceNames }> = [
  {
    south: 47.5,
    north: 47.585,
    west: 7.55,
    east: 7.63,
    names: {
      country: { name: 'Switzerland', code: 'CH' },
      region: { name: 'Basel-City', code: 'CH-BS' },
      locality: { name: 'Basel' },
    },
  },
  {
    south: 47.585,
    north: 47.62,
    west: 7.6,
    east: 7.65,
    names: {
      country: { name: 'Germany', code: 'DE' },
      region: { name: 'Baden-Württemberg', code: 'DE-BW' },
      locality: { name: 'Weil am Rhein' },
    },
  },
];

/**
 * A geocoder for unit tests: a few boxes around Basel and Weil am Rhein; elsewhere (the sea) nothing. The real one
 * is lambdas/places/open.ts.
 */
export class FakeGeocoder implements Geocoder {
  readonly asked: Array<{ latitude: number; longitude: number }> = [];
  constructor(readonly data = 'fake-1') {}

  name({ latitude, longitude }: { latitude: number; longitude: number }): PlaceNames | undefined {
    this.asked.push({ latitude, longitude });
    const box = BOXES.find(
      (b) => latitude >= b.south && latitude < b.north && longitude >= b.west && longitude < b.east,
    );
    return box?.names;
  }

  /** The names as given, but a level called "Nowhere", which the data has not. */
  resolve(names: PlaceNames): PlaceNames | { unknown: string } {
    const level = (['country', 'region', 'area', 'locality'] as const).find((one) => names[one]?.name === 'Nowhere');
    return level ? { unknown: `${level}: the places data has no ${level} called "Nowhere"` } : names;
  }

  suggest(): PlaceSuggestion[] {
    return [];
  }
}
