import { locate } from '../../../lambdas/places/name-place';
import { openGeocoder } from '../../../lambdas/places/open';

/* A place named by its owner, read against the shipped places data (lambdas/places/gazetteer.ts). */
const geocoder = openGeocoder();

describe('resolving a place named by hand', () => {
  it('takes "Geneva, CH" as the data names it: Genève, canton of Geneva, Switzerland', () => {
    const place = geocoder.resolve({ locality: { name: 'Geneva' }, country: { name: 'CH', code: 'CH' } });
    expect(place).toMatchObject({
      country: { name: 'Switzerland', code: 'CH' },
      region: { code: 'CH-GE' },
      locality: { name: 'Genève', code: '2660646', aka: ['Geneva'] },
    });
  });

  it('takes "London, GB" as London, England, United Kingdom, not London, Ontario', () => {
    const place = geocoder.resolve({ locality: { name: 'London' }, country: { name: 'GB', code: 'GB' } });
    expect(place).toMatchObject({
      country: { name: 'United Kingdom', code: 'GB' },
      region: { name: 'England', code: 'GB-ENG' },
      locality: { name: 'London', code: '2643743' },
    });
  });

  it('takes "Munich" alone as the most populous town of that name, with its region and country', () => {
    expect(geocoder.resolve({ locality: { name: 'Munich' } })).toMatchObject({
      country: { name: 'Germany', code: 'DE' },
      region: { name: 'Bayern', code: 'DE-BY' },
      locality: { name: 'Munich', code: '2867714' },
    });
  });

  it('takes a country by its English name or an alias: USA is the United States of America', () => {
    expect(geocoder.resolve({ country: { name: 'USA' } })).toEqual({
      country: expect.objectContaining({ name: 'United States of America', code: 'US' }),
    });
    expect(geocoder.resolve({ locality: { name: 'Switzerland' } })).toEqual({
      country: expect.objectContaining({ name: 'Switzerland', code: 'CH' }),
    });
  });

  it('narrows a town by the region named, and takes a region alone', () => {
    expect(geocoder.resolve({ locality: { name: 'Springfield' }, region: { name: 'Illinois' } })).toMatchObject({
      region: { name: 'Illinois' },
      locality: { name: 'Springfield' },
    });
    expect(geocoder.resolve({ region: { name: 'Bavaria' }, country: { name: 'Germany' } })).toEqual(
      expect.objectContaining({ unknown: expect.stringContaining('region') }),
    );
    expect(geocoder.resolve({ region: { name: 'Bayern' } })).toMatchObject({
      country: { code: 'DE' },
      region: { code: 'DE-BY' },
    });
  });

  it('refuses, naming the level, a name the data cannot place', () => {
    expect(geocoder.resolve({ locality: { name: 'Xqzzyville' }, country: { name: 'CH' } })).toEqual({
      unknown: expect.stringMatching(/^locality: the places data has no town called "Xqzzyville" in Switzerland/),
    });
    expect(geocoder.resolve({ country: { name: 'Atlantis' } })).toEqual({
      unknown: 'country: the places data has no country called "Atlantis"',
    });
  });
});

describe('a correction stored before names were resolved', () => {
  it('is named as the data names it when the image is analysed again: a country "CH" is Switzerland', () => {
    const stored = { place: { country: { name: 'CH', code: 'CH' } }, at: '2026-11-01T00:00:00.000Z' };
    expect(locate(undefined, stored, geocoder).place).toEqual({
      country: expect.objectContaining({ name: 'Switzerland', code: 'CH' }),
      source: 'owner',
    });
  });

  it('is kept as it was where the data has no such place', () => {
    const stored = { place: { locality: { name: 'Xqzzyville' } }, at: '2026-11-01T00:00:00.000Z' };
    expect(locate(undefined, stored, geocoder).place).toEqual({ locality: { name: 'Xqzzyville' }, source: 'owner' });
  });
});

describe('suggestions as one types', () => {
  it('offers the data places a few letters start: countries, regions and areas, then towns by population', () => {
    const found = geocoder.suggest('gene', 8);
    expect(found.length).toBeLessThanOrEqual(8);
    expect(found).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          kind: 'locality',
          label: 'Genève, Switzerland',
          place: expect.objectContaining({ locality: expect.objectContaining({ name: 'Genève', code: '2660646' }) }),
        }),
      ]),
    );
    expect(geocoder.suggest('switz', 5)[0]).toMatchObject({ kind: 'country', label: 'Switzerland' });
    expect(geocoder.suggest('usa', 5)[0]).toMatchObject({ kind: 'country', place: { country: { code: 'US' } } });
  });

  it('offers nothing for nothing typed', () => {
    expect(geocoder.suggest('  ', 5)).toEqual([]);
  });
});
