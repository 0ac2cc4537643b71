import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ALIASES } from '../../../lambdas/places/aliases';
import { PLACES_ASSET_PATH } from '../../../lambdas/places/data-contract';
import { FORMAT_VERSION, headerOf, PLACES_DATA } from '../../../lambdas/places/format';
import { openGeocoder } from '../../../lambdas/places/open';

const FILE = path.join(__dirname, '../../../lambdas/places', PLACES_ASSET_PATH);

describe('the places data file', () => {
  it('is of this format and this data version, with every admin-1 feature', () => {
    const header = headerOf(readFileSync(FILE));
    expect(header).toMatchObject({ format: FORMAT_VERSION, data: PLACES_DATA });
    expect(header.features).toHaveLength(4596);
    expect(PLACES_DATA.length).toBeLessThanOrEqual(40);
  });
});

describe('openGeocoder', () => {
  const geocoder = openGeocoder();
  const name = (latitude: number, longitude: number) => geocoder.name({ latitude, longitude });

  it('is opened once per process', () => {
    expect(openGeocoder()).toBe(geocoder);
    // The data file's version and the other names' revision (aliases.ts): a backfill re-names places either changes.
    expect(geocoder.data).toBe(`${PLACES_DATA}${ALIASES.revision}`);
    expect(geocoder.data.length).toBeLessThanOrEqual(40);
  });

  it('names Paris at the Eiffel Tower, though Neuilly-sur-Seine is the nearer town centre', () => {
    expect(name(48.8584, 2.2945)).toEqual({
      country: { name: 'France', code: 'FR', aka: ['Frankreich', 'Francia', 'França'] },
      region: { name: 'Île-de-France', code: 'FR-IDF' },
      area: { name: 'Paris', code: 'FR-75' },
      locality: { name: 'Paris', code: '2988507' },
    });
  });

  it("writes the data's other names of a country and a town, which search finds them by", () => {
    expect(name(46.2044, 6.1432)).toMatchObject({
      country: { name: 'Switzerland', code: 'CH', aka: expect.arrayContaining(['Schweiz', 'Suisse']) },
      locality: { name: 'Genève', aka: ['Geneva'] },
    });
    expect(name(40.7128, -74.006)).toMatchObject({
      country: { code: 'US', aka: expect.arrayContaining(['USA', 'United States']) },
      locality: { name: 'New York City' },
    });
  });

  it('names the country whose boundary holds a point by a border: Basel in Switzerland, Weil am Rhein in Germany', () => {
    expect(name(47.5565, 7.5929)).toMatchObject({
      country: { code: 'CH' },
      region: { code: 'CH-BS' },
      locality: { name: 'Basel' },
    });
    expect(name(47.5947, 7.61)).toMatchObject({
      country: { code: 'DE' },
      region: { code: 'DE-BW' },
      locality: { name: 'Weil am Rhein' },
    });
  });

  it('takes the side of the nearest town centre where NE draws a river border too coarsely: Görlitz', () => {
    expect(name(51.1556, 14.9885)).toMatchObject({ country: { code: 'DE' }, locality: { name: 'Görlitz' } });
  });

  it('names the Vatican inside Rome', () => {
    expect(name(41.9022, 12.4539)).toMatchObject({ country: { code: 'VA' }, locality: { name: 'Vatican City' } });
  });

  it('writes the first level and the second level where NE has both: Rome in Lazio, Valladolid in Castilla y León', () => {
    expect(name(41.8902, 12.4922)).toMatchObject({ region: { name: 'Lazio', code: 'IT-62' }, area: { code: 'IT-RM' } });
    expect(name(41.6523, -4.7286)).toMatchObject({
      region: { code: 'ES-CL' },
      area: { name: 'Valladolid', code: 'ES-VA' },
    });
  });

  it('names a boat just off a coast for that coast, and nothing in the open sea', () => {
    expect(name(43.677, 7.265)).toMatchObject({ country: { code: 'FR' }, locality: { name: 'Nice' } });
    expect(name(30, -40)).toBeUndefined();
    expect(name(0, 0)).toBeUndefined();
  });

  it("names a borough, not a neighbourhood GeoNames lists for a few cities: Times Square is not Hell's Kitchen", () => {
    expect(name(40.758, -73.9855)?.locality?.name).toBe('Manhattan');
  });

  it('names no town for a point far from any', () => {
    const sahara = name(23.5, 12.5);
    expect(sahara?.country).toBeDefined();
    expect(sahara?.locality).toBeUndefined();
  });
});
