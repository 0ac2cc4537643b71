import { calibrate, operatingPoint } from './quick-score';

describe('the model comparison scorer', () => {
  it('counts the strongest detection of each class once, and a maybe-class as neither right nor wrong', () => {
    const labels = { 'tune/a.jpg': { objects: ['dog'], maybeObjects: ['chair'] } };
    const predictions = {
      'tune/a.jpg': {
        objects: [
          { name: 'dog', confidence: 0.9 },
          { name: 'dog', confidence: 0.5 },
          { name: 'chair', confidence: 0.8 },
          { name: 'car', confidence: 0.6 },
        ],
      },
    };
    expect(operatingPoint('objects', labels, predictions, 0.4)).toMatchObject({ right: 1, said: 2, recall: 1 });
    expect(operatingPoint('objects', labels, predictions, 0.7)).toMatchObject({ right: 1, said: 1, precision: 1 });
  });

  it('counts faces beyond faces + maybeFaces as wrong, and recall up to the clear faces', () => {
    const labels = { 'tune/a.jpg': { faces: 1, maybeFaces: 1 } };
    const predictions = { 'tune/a.jpg': { faces: [{ confidence: 0.9 }, { confidence: 0.8 }, { confidence: 0.7 }] } };
    expect(operatingPoint('faces', labels, predictions, 0.5)).toMatchObject({
      right: 2,
      said: 3,
      relevant: 1,
      recall: 1,
    });
  });

  it('calibrates to the threshold with the most recall at the target precision', () => {
    const labels = {
      'tune/a.jpg': { objects: ['dog'] },
      'tune/b.jpg': { objects: ['cat'] },
      'tune/c.jpg': { objects: [] },
    };
    const predictions = {
      'tune/a.jpg': { objects: [{ name: 'dog', confidence: 0.9 }] },
      'tune/b.jpg': { objects: [{ name: 'cat', confidence: 0.5 }] },
      'tune/c.jpg': { objects: [{ name: 'bird', confidence: 0.7 }] },
    };
    // At 0.5 two of three are right (0.67); at 0.7 one of two; at 0.9 one of one.
    expect(calibrate('objects', labels, predictions, 0.9)).toMatchObject({ threshold: 0.9, recall: 0.5 });
    expect(calibrate('objects', labels, predictions, 0.6)).toMatchObject({ threshold: 0.5, recall: 1 });
  });
});
