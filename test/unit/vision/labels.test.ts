import { deriveLabels } from '../../../lambdas/vision/labels';

const box = { left: 0, top: 0, width: 0.5, height: 0.1 };
const none = { objects: [], faces: [], text: { fullText: '', lines: [] } };
const grey = { hex: '#808080', rgb: { r: 128, g: 128, b: 128 }, proportion: 1 };
const red = { hex: '#d03030', rgb: { r: 208, g: 48, b: 48 }, proportion: 1 };

describe('deriveLabels', () => {
  it('names each detected object class once, at its most confident instance', () => {
    const labels = deriveLabels({
      ...none,
      objects: [
        { name: 'cup', confidence: 0.6, box },
        { name: 'cup', confidence: 0.9, box },
        { name: 'dining table', confidence: 0.7, box },
      ],
    });
    expect(labels).toEqual([
      { name: 'Cup', confidence: 0.9, source: 'objects' },
      { name: 'Dining Table', confidence: 0.7, source: 'objects' },
    ]);
  });

  it('says Person and Face when faces were found', () => {
    const labels = deriveLabels({ ...none, faces: [{ confidence: 0.93, box }] });
    expect(labels).toEqual([
      { name: 'Person', confidence: 0.93, source: 'faces' },
      { name: 'Face', confidence: 0.93, source: 'faces' },
    ]);
  });

  it('keeps the stronger source when objects and faces both say Person', () => {
    const labels = deriveLabels({
      ...none,
      objects: [{ name: 'person', confidence: 0.97, box }],
      faces: [{ confidence: 0.85, box }],
    });
    expect(labels.find((l) => l.name === 'Person')).toEqual({ name: 'Person', confidence: 0.97, source: 'objects' });
  });

  it('says Text for a line and Document when lines cover much of the image', () => {
    const line = { text: 'x', confidence: 0.9, box };
    expect(deriveLabels({ ...none, text: { fullText: 'x', lines: [line] } }).map((l) => l.name)).toEqual(['Text']);
    const page = { fullText: 'x', lines: [line, line, line, line] };
    expect(deriveLabels({ ...none, text: page }).map((l) => l.name)).toEqual(['Document', 'Text']);
  });

  it('adds Monochrome, Dark and Bright from the colour facts only when they hold', () => {
    expect(
      deriveLabels(none, { palette: [grey], brightness: { value: 40, class: 'dark' } }).map((l) => l.name),
    ).toEqual(['Monochrome', 'Dark']);
    expect(deriveLabels(none, { palette: [red], brightness: { value: 120, class: 'normal' } })).toEqual([]);
  });

  it('says Illustration when the Drawing score is high, and not otherwise', () => {
    expect(deriveLabels(none, undefined, 0.97)).toEqual([
      { name: 'Illustration', confidence: 0.97, source: 'moderation' },
    ]);
    expect(deriveLabels(none, undefined, 0.3)).toEqual([]);
  });

  it('derives nothing from nothing', () => {
    expect(deriveLabels(none)).toEqual([]);
  });
});
