import { decodePlaces, encodePlaces, type FeatureSource, headerOf, PLACES_DATA } from '../../../lambdas/places/format';
import { geocoderFrom } from '../../../lambdas/places/open';

/** Two squares a degree wide side by side, sharing a border at longitude 1, in 1e-5 degrees. */
const square = (west: number): number[] => [west, 0, west + 1e5, 0, west + 1e5, 1e5, west, 1e5, west, 0];
const FEATURES: FeatureSource[] = [
  { names: { country: ['AA', 'Aland'], region: ['West', 'AA-W'], area: ['', ''] }, polygons: [[square(0)]] },
  { names: { country: ['BB', 'Bland'], region: ['East', 'BB-E'], area: ['Rim', 'BB-R'] }, polygons: [[square(1e5)]] },
];
const TOWNS = [
  { id: 7, name: 'Westham', country: 'AA', population: 5000, lon: 50_000, lat: 50_000, feature: 0 },
  { id: 3, name: 'Eastby', country: 'BB', population: 2000, lon: 150_000, lat: 50_000, feature: 1 },
  { id: 9, name: 'Nowhere', country: 'CC', population: 1000, lon: 250_000, lat: 50_000 },
];

describe('the places file format', () => {
  it('gives the same bytes for the same input', () => {
    expect(encodePlaces(FEATURES, TOWNS).equals(encodePlaces(FEATURES, [...TOWNS].reverse()))).toBe(true);
  });

  it('reads back its header, polygons and towns grouped by feature', () => {
    const bytes = encodePlaces(FEATURES, TOWNS);
    expect(headerOf(bytes)).toMatchObject({ format: 1, data: PLACES_DATA, counts: [2, 2, 10] });
    const places = decodePlaces(bytes);
    expect(Array.from(places.coords.subarray(0, 10))).toEqual(square(0));
    expect(places.localityName).toEqual(['Westham', 'Eastby', 'Nowhere']);
    expect(Array.from(places.featureLocality)).toEqual([0, 1, 2, 3]);
    expect(Array.from(places.localityId)).toEqual([7, 3, 9]);
  });

  it('refuses a file that is not one', () => {
    expect(() => headerOf(Buffer.from('not a places file'))).toThrow(/not a places file/);
  });
});

describe('geocoderFrom', () => {
  const geocoder = geocoderFrom(decodePlaces(encodePlaces(FEATURES, TOWNS)));

  it('names the feature that holds the point, with its area where it has one', () => {
    expect(geocoder.name({ latitude: 0.5, longitude: 0.3 })).toEqual({
      country: { name: 'Aland', code: 'AA' },
      region: { name: 'West', code: 'AA-W' },
      locality: { name: 'Westham', code: '7' },
    });
    expect(geocoder.name({ latitude: 0.5, longitude: 1.7 })).toMatchObject({
      country: { code: 'BB' },
      area: { name: 'Rim', code: 'BB-R' },
      locality: { name: 'Eastby' },
    });
  });

  it('names a point just off the polygons for the nearest one, within 12 nautical miles, and nothing beyond', () => {
    expect(geocoder.name({ latitude: 1.1, longitude: 0.5 })?.country?.code).toBe('AA');
    expect(geocoder.name({ latitude: 1.3, longitude: 0.5 })).toBeUndefined();
  });

  it('names no town farther than 50 km', () => {
    expect(geocoder.name({ latitude: 0.95, longitude: 0.05 })?.locality).toBeUndefined();
  });
});
