import { deriveLabels } from '../../../lambdas/vision/labels';
import type { PictureStats } from '../../../lambdas/vision/picture-stats';

const box = { left: 0, top: 0, width: 0.5, height: 0.1 };
const none = { objects: [], faces: [], text: { fullText: '', lines: [] } };
/** A colour photograph of middling brightness: nothing for the colour rules to say. */
const photo: PictureStats = {
  luma: 120,
  darkShare: 0.1,
  brightShare: 0.1,
  paleShare: 0.05,
  chroma: 60,
  colouredShare: 0.8,
  contrast: 50,
  coherence: 0.95,
  greenShare: 0.05,
  texturedGreenShare: 0.01,
  borderPaleShare: 0,
};
const names = (labels: { name: string }[]) => labels.map((l) => l.name);

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

  it('says neither Text nor Document for a cup rim read as the letter "O", however large its box', () => {
    const rim = { text: 'O', confidence: 0.55, box: { left: 0.25, top: 0.04, width: 0.49, height: 0.86 } };
    expect(deriveLabels({ ...none, text: { fullText: 'O', lines: [rim] } })).toEqual([]);
  });

  it('says Text, and not Document, for a word or two', () => {
    const sign = { text: 'SWAY', confidence: 0.97, box };
    expect(names(deriveLabels({ ...none, text: { fullText: 'SWAY', lines: [sign] } }))).toEqual(['Text']);
  });

  it('says Document and Text with high confidence for a page of words', () => {
    const sentence = 'the markers are found at the two extreme parts of the histogram of grey values';
    const lines = Array.from({ length: 8 }, (_, i) => ({
      text: sentence,
      confidence: 0.95,
      box: { left: 0.05, top: i * 0.12, width: 0.9, height: 0.08 },
    }));
    const labels = deriveLabels({ ...none, text: { fullText: '', lines } });
    expect(labels).toEqual([
      { name: 'Text', confidence: 1, source: 'text' },
      { name: 'Document', confidence: expect.any(Number), source: 'text' },
    ]);
    expect(labels[1]?.confidence).toBeGreaterThanOrEqual(0.9);
  });

  it('says Monochrome for a grey picture with structure, and not for grey noise', () => {
    const grey = { ...photo, chroma: 0, colouredShare: 0 };
    expect(deriveLabels(none, { picture: grey })).toEqual([{ name: 'Monochrome', confidence: 1, source: 'colour' }]);
    expect(deriveLabels(none, { picture: { ...grey, coherence: 0.01, contrast: 14 } })).toEqual([]);
  });

  it('says Vegetation when much of the picture is textured leaf green', () => {
    const labels = deriveLabels(none, { picture: { ...photo, greenShare: 0.5, texturedGreenShare: 0.4 } });
    expect(labels).toEqual([{ name: 'Vegetation', confidence: 1, source: 'colour' }]);
  });

  it('says Dark from the record’s brightness when there is one, else from the raster', () => {
    expect(deriveLabels(none, { picture: { ...photo, luma: 30 } })).toEqual([
      { name: 'Dark', confidence: 0.9, source: 'colour' },
    ]);
    expect(deriveLabels(none, { picture: { ...photo, luma: 30 }, brightness: { value: 120 } })).toEqual([]);
    expect(names(deriveLabels(none, { brightness: { value: 20 } }))).toEqual(['Dark']);
    expect(deriveLabels(none, { picture: photo })).toEqual([]);
  });

  it('says Bright when most of the picture is pale, whatever its mean luma (a dark animal cut out on white)', () => {
    const cutOut = { ...photo, luma: 160, paleShare: 0.7 };
    expect(deriveLabels(none, { picture: cutOut, brightness: { value: 160 } })).toEqual([
      { name: 'Bright', confidence: 0.7, source: 'colour' },
    ]);
    expect(names(deriveLabels(none, { picture: { ...photo, luma: 200, paleShare: 0.3 } }))).toEqual([]);
  });

  it('says Illustration when the Drawing score is high, and not otherwise', () => {
    expect(deriveLabels(none, { drawing: 0.97 })).toEqual([
      { name: 'Illustration', confidence: 0.97, source: 'moderation' },
    ]);
    expect(deriveLabels(none, { drawing: 0.3 })).toEqual([]);
  });

  it('derives nothing from nothing', () => {
    expect(deriveLabels(none)).toEqual([]);
  });
});
