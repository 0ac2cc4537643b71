import { isDictionaryWord, textEvidence } from '../../../lambdas/vision/text-evidence';

const box = { left: 0, top: 0, width: 0.5, height: 0.1 };
const line = (text: string, confidence = 1, at = box) => ({ text, confidence, box: at });

describe('isDictionaryWord', () => {
  it('knows English words in any case, and not misreads', () => {
    expect(isDictionaryWord('Segmentation')).toBe(true);
    expect(isDictionaryWord('histogram')).toBe(true);
    expect(isDictionaryWord('COFFEE')).toBe(true);
    expect(isDictionaryWord('tlie')).toBe(false);
    expect(isDictionaryWord('Installthebase')).toBe(false);
  });
});

describe('textEvidence', () => {
  it('counts nothing for a single letter, however large its box', () => {
    const rim = line('O', 0.55, { left: 0.25, top: 0.04, width: 0.49, height: 0.86 });
    expect(textEvidence([rim])).toEqual({ words: 0, dictionaryWords: 0, coverage: expect.any(Number) });
  });

  it('weighs dictionary words by their line’s confidence and other letter runs by half of it', () => {
    expect(textEvidence([line('Region-based segmentation', 0.9)]).words).toBeCloseTo(2.7);
    expect(textEvidence([line('Region-based segmentation', 0.9)]).dictionaryWords).toBe(3);
    expect(textEvidence([line('debian SMATE', 1)]).words).toBe(1);
    expect(textEvidence([line('to be or', 1)]).words).toBe(0);
  });

  it('counts words in any script by letters, not bytes', () => {
    expect(textEvidence([line('Référence répertoire', 1)]).words).toBe(1);
  });

  it('measures the area the lines cover, counting overlaps once', () => {
    expect(textEvidence([line('text')]).coverage).toBeCloseTo(0.05);
    expect(textEvidence([line('text'), line('text')]).coverage).toBeCloseTo(0.05);
    const full = { left: 0, top: 0, width: 1, height: 1 };
    expect(textEvidence([line('text', 1, full)]).coverage).toBe(1);
  });
});
