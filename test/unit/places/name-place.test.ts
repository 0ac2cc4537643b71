import type { AnalysisRecord } from '../../../lambdas/core/record';
import { gpsPosition, locate, photoPosition } from '../../../lambdas/places/name-place';
import { FakeGeocoder } from '../../support/geocoder-fake';

const BASEL = { latitude: 47.5584, longitude: 7.5733 };
const WEIL = { latitude: 47.6103, longitude: 7.6153 };
const SEA = { latitude: 43.5, longitude: 7.5 };
const at = '2026-11-26T10:00:00.000Z';

describe('gpsPosition', () => {
  it('takes a position in range, with its altitude', () => {
    expect(gpsPosition({ ...BASEL, altitude: 260 })).toEqual({ ...BASEL, altitude: 260 });
  });

  it.each([
    ['0,0: a camera with no fix', { latitude: 0, longitude: 0 }],
    ['a latitude past the pole', { latitude: 91, longitude: 7 }],
    ['a longitude past the antimeridian', { latitude: 47, longitude: -180.5 }],
    ['not a number', { latitude: Number.NaN, longitude: 7 }],
  ])('refuses %s', (_case, gps) => {
    expect(gpsPosition(gps)).toBeUndefined();
  });

  it('keeps a position on the equator or the meridian, only 0,0 is no fix', () => {
    expect(gpsPosition({ latitude: 0, longitude: 9.5 })).toEqual({ latitude: 0, longitude: 9.5 });
    expect(gpsPosition({ latitude: 51.48, longitude: 0 })).toEqual({ latitude: 51.48, longitude: 0 });
  });

  it("drops an altitude that is not a number, and reads the analysis's EXIF GPS", () => {
    expect(gpsPosition({ ...BASEL, altitude: Number.POSITIVE_INFINITY })).toEqual(BASEL);
    const analysis = { status: 'PROCESSED', metadata: { exif: { gps: BASEL } } } as unknown as AnalysisRecord;
    expect(photoPosition(analysis)).toEqual(BASEL);
    expect(photoPosition({ ...analysis, status: 'REJECTED' } as unknown as AnalysisRecord)).toBeUndefined();
    expect(photoPosition(undefined)).toBeUndefined();
  });
});

describe('locate', () => {
  const geocoder = new FakeGeocoder('data-7');

  it('names the GPS position, source gps, with the data version', () => {
    expect(locate(BASEL, undefined, geocoder)).toEqual({
      position: BASEL,
      place: {
        country: { name: 'Switzerland', code: 'CH' },
        region: { name: 'Basel-City', code: 'CH-BS' },
        locality: { name: 'Basel' },
        source: 'gps',
        data: 'data-7',
      },
    });
  });

  it('without a position has no place, and at sea keeps the position without a place', () => {
    expect(locate(undefined, undefined, geocoder)).toEqual({});
    expect(locate(SEA, undefined, geocoder)).toEqual({ position: SEA });
  });

  it("names the owner's position instead of the GPS one, source position", () => {
    const located = locate(BASEL, { position: WEIL, at }, geocoder);
    expect(located.position).toEqual(WEIL);
    expect(located.place).toMatchObject({ locality: { name: 'Weil am Rhein' }, source: 'position', data: 'data-7' });
    expect(locate(undefined, { position: WEIL, at }, geocoder).place?.source).toBe('position');
  });

  it('takes a place named by hand as it is, source owner, keeping the GPS position', () => {
    const place = { locality: { name: 'Riehen' }, country: { name: 'Switzerland', code: 'CH' } };
    expect(locate(BASEL, { place, at }, geocoder)).toEqual({ position: BASEL, place: { ...place, source: 'owner' } });
    expect(locate(undefined, { place, at }, geocoder)).toEqual({ place: { ...place, source: 'owner' } });
  });

  it('cleared: no position and no place, whatever the GPS says', () => {
    expect(locate(BASEL, { cleared: true, at }, geocoder)).toEqual({});
  });
});
