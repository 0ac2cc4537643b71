import { placeLines, placeSearch, placeTitle, placeValues } from '../../../../../web/src/pages/places/place-links';
import type { PlaceCountry } from '../../../../../web/src/types';

const group = (name: string, count: number, place: string[]) => ({ name, count, place });

const JAPAN: PlaceCountry = {
  ...group('Japan', 3, ['jp']),
  code: 'JP',
  regions: [{ ...group('Kyoto', 3, ['jp', 'kyoto']), localities: [group('Kyoto', 3, ['jp', 'kyoto', 'kyoto'])] }],
};

describe("the Places view's links", () => {
  it('searches for a place by its names, each once, country first: not by the keys the API lists', () => {
    const [country] = [JAPAN];
    const region = JAPAN.regions[0];
    const town = region?.localities[0];
    if (!region || !town) throw new Error('fixture');
    expect(placeValues([country, region, town])).toEqual(['Japan', 'Kyoto']);
    expect(placeSearch([country, region, town])).toBe('place=Japan&place=Kyoto');
  });

  it("keeps the API's value for a level whose name the filter cannot take as typed", () => {
    const country = group('Saint Kitts & Nevis', 1, ['kn']);
    const town = group('Basseterre, Old Town', 1, ['kn', 'x', 'basseterre old town']);
    expect(placeValues([country, group('X', 1, ['kn', 'x']), town])).toEqual(['kn', 'X', 'basseterre old town']);
  });

  it('titles a search town first, a name repeated by the level above said once, accents and case aside', () => {
    expect(placeTitle([{ name: 'Japan' }, { name: 'Kyoto' }, { name: 'kyoto' }])).toBe('kyoto, Japan');
    expect(placeTitle([{ name: 'Switzerland' }, { name: 'Genève' }, { name: 'Geneve' }])).toBe('Geneve, Switzerland');
  });
});

describe("a country's lines", () => {
  it('folds a region into its one town of the same name: one line, not "Kyoto / Kyoto"', () => {
    expect(placeLines(JAPAN).map((line) => line.group.name)).toEqual(['Kyoto']);
    expect(placeLines(JAPAN)[0]?.levels.map((level) => level.name)).toEqual(['Japan', 'Kyoto', 'Kyoto']);
  });

  it("lists a region's towns under it when it has others, the town of its name said to be the town", () => {
    const swiss: PlaceCountry = {
      ...group('Switzerland', 3, ['ch']),
      code: 'CH',
      regions: [
        {
          ...group('Genève', 3, ['ch', 'geneve']),
          localities: [
            group('Genève', 2, ['ch', 'geneve', 'geneve']),
            group('Carouge', 1, ['ch', 'geneve', 'carouge']),
          ],
        },
      ],
    };
    expect(placeLines(swiss).map(({ group: { name }, town }) => `${town ? '  ' : ''}${name}`)).toEqual([
      'Genève',
      '  Genève',
      '  Carouge',
    ]);
  });

  it("gives a city-state's towns straight away, and nothing that repeats the country", () => {
    const singapore: PlaceCountry = {
      ...group('Singapore', 2, ['sg']),
      code: 'SG',
      regions: [
        {
          ...group('Singapore', 2, ['sg', 'singapore']),
          localities: [group('Singapore', 2, ['sg', 'singapore', 'singapore'])],
        },
      ],
    };
    expect(placeLines(singapore)).toEqual([]);
  });
});
