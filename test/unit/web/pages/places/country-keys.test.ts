import atlas from 'world-atlas/countries-110m.json';
import { countryOfShape } from '../../../../../web/src/pages/places/country-keys';

const shapes = (
  atlas as unknown as { objects: { countries: { geometries: { id?: string; properties: { name: string } }[] } } }
).objects.countries.geometries;

describe("the world map's countries", () => {
  it('finds the country code of every shape of the atlas, by its ISO number or, without one, its name', () => {
    const missing = shapes.filter((shape) => !countryOfShape(shape.id, shape.properties.name));
    expect(missing.map((shape) => shape.properties.name)).toEqual([]);
  });

  it('gives each code one shape, but the parts Natural Earth draws apart from the country the data counts them in', () => {
    const codes = shapes.map((shape) => countryOfShape(shape.id, shape.properties.name));
    const twice = codes.filter((code, index) => codes.indexOf(code) !== index);
    expect(twice.sort()).toEqual(['CY', 'SO']);
  });

  it('reads the codes the places data gives (Switzerland, Japan, the United States, Kosovo)', () => {
    const codeOf = (name: string) => {
      const shape = shapes.find((candidate) => candidate.properties.name === name);
      return shape && countryOfShape(shape.id, shape.properties.name);
    };
    expect(['Switzerland', 'Japan', 'United States of America', 'Kosovo', 'Germany'].map(codeOf)).toEqual([
      'CH',
      'JP',
      'US',
      'XK',
      'DE',
    ]);
  });
});
