import { TILE_ATTRIBUTE_PATHS, tileOf } from '../../../lambdas/store/image-view';
import { labelsOf, topLabelsOf } from '../../../lambdas/store/labels';

const AT = '2026-11-23T10:00:00.000Z';
const vision = {
  labels: [
    { name: 'Saucer', confidence: 0.7 },
    { name: 'Cup', confidence: 0.95 },
    { name: 'Table', confidence: 0.6 },
    { name: 'Coffee', confidence: 0.9 },
  ],
};

describe("an image's labels as they are now", () => {
  it("tops a tile with the model's most confident labels", () => {
    expect(topLabelsOf({ vision })).toEqual(['Cup', 'Coffee', 'Saucer']);
  });

  it('puts labels people added first and leaves out those they took away, whatever their case or accents', () => {
    const labelCorrections = {
      added: [{ name: 'Espresso', at: AT }],
      removed: [{ name: 'cúp', at: AT }],
    };
    expect(topLabelsOf({ vision, labelCorrections })).toEqual(['Espresso', 'Coffee', 'Saucer']);
    expect(labelsOf({ vision, labelCorrections })).toEqual([
      { name: 'Saucer', source: 'model' },
      { name: 'Table', source: 'model' },
      { name: 'Coffee', source: 'model' },
      { name: 'Espresso', source: 'user' },
    ]);
  });

  it('gives a tile an empty list, never nothing, for an image with no labels', () => {
    expect(tileOf({}).topLabels).toEqual([]);
    expect(tileOf({ vision: { labels: [] } }).topLabels).toEqual([]);
  });

  it("reads the corrections with the tile's other fields when a list page fetches them", () => {
    expect(TILE_ATTRIBUTE_PATHS).toContainEqual(['labelCorrections']);
  });
});
