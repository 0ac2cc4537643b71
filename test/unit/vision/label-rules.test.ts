import {
  brightConfidence,
  darkConfidence,
  documentConfidence,
  MIN_LABEL_CONFIDENCE,
  monochromeConfidence,
  ramp,
  structureConfidence,
  textConfidence,
  vegetationConfidence,
} from '../../../lambdas/vision/label-rules';

/** A greyscale photograph's statistics: no colour, neighbours agree, plenty of contrast. */
const greyPhoto = { chroma: 0, colouredShare: 0, coherence: 0.95, contrast: 60 };

const increasing = (values: number[]) => values.every((v, i) => i === 0 || v > (values[i - 1] as number));

describe('ramp', () => {
  it('is 0.5 at the half point and 1 at the full point, clamped to 0-1', () => {
    expect(ramp(10, [10, 20])).toBe(0.5);
    expect(ramp(20, [10, 20])).toBe(1);
    expect(ramp(15, [10, 20])).toBe(0.75);
    expect(ramp(100, [10, 20])).toBe(1);
    expect(ramp(-100, [10, 20])).toBe(0);
  });

  it('rises as the value falls when the full point is below the half point', () => {
    expect(ramp(70, [70, 20])).toBe(0.5);
    expect(ramp(20, [70, 20])).toBe(1);
    expect(ramp(120, [70, 20])).toBe(0);
  });
});

describe('textConfidence', () => {
  it('is 0 when nothing was read', () => {
    expect(textConfidence({ words: 0 })).toBe(0);
  });

  it('rises with every word read', () => {
    expect(increasing([0.5, 1, 2, 4, 8].map((words) => textConfidence({ words })))).toBe(true);
  });

  it('says Text for one dictionary word read with confidence, not for half a word’s evidence', () => {
    expect(textConfidence({ words: 0.97 })).toBeGreaterThanOrEqual(MIN_LABEL_CONFIDENCE);
    expect(textConfidence({ words: 0.5 })).toBeLessThan(MIN_LABEL_CONFIDENCE);
  });
});

describe('documentConfidence', () => {
  it('rises with the words read and with the area the lines cover', () => {
    expect(increasing([20, 30, 40, 50].map((words) => documentConfidence({ words, coverage: 1 })))).toBe(true);
    expect(increasing([0.3, 0.4, 0.5].map((coverage) => documentConfidence({ words: 100, coverage })))).toBe(true);
  });

  it('gives no Document for one big line with no words in it (a cup rim read as "O")', () => {
    expect(documentConfidence({ words: 0, coverage: 0.44 })).toBeLessThan(0.2);
  });

  it('gives no Document for many words in a small part of the picture (a screenshot’s menus)', () => {
    expect(documentConfidence({ words: 60, coverage: 0.1 })).toBeLessThan(MIN_LABEL_CONFIDENCE);
  });

  it('is high for a page: dozens of words over half the picture', () => {
    expect(documentConfidence({ words: 50, coverage: 0.6 })).toBe(1);
  });
});

describe('darkConfidence', () => {
  it('starts at the core’s dark brightness class and grows towards black', () => {
    expect(darkConfidence(70)).toBe(0.5);
    expect(increasing([70, 50, 30, 20].map(darkConfidence))).toBe(true);
  });

  it('says nothing for a picture of middling brightness', () => {
    expect(darkConfidence(120)).toBeLessThan(MIN_LABEL_CONFIDENCE);
  });
});

describe('brightConfidence', () => {
  it('is even odds when half the picture is pale and grows to 1 when all of it is', () => {
    expect(brightConfidence({ paleShare: 0.5 })).toBe(0.5);
    expect(increasing([0.5, 0.6, 0.8, 1].map((paleShare) => brightConfidence({ paleShare })))).toBe(true);
    expect(brightConfidence({ paleShare: 1 })).toBe(1);
  });

  it('says nothing when pale is a small part of the picture (a white shirt, a cloud)', () => {
    expect(brightConfidence({ paleShare: 0.2 })).toBeLessThan(MIN_LABEL_CONFIDENCE);
  });
});

describe('structureConfidence', () => {
  it('is about 0 for noise, whose neighbouring pixels do not agree, and 0 for a flat fill', () => {
    expect(structureConfidence({ coherence: 0.01, contrast: 40 })).toBeLessThan(0.05);
    expect(structureConfidence({ coherence: 0, contrast: 0 })).toBe(0);
    expect(structureConfidence({ coherence: 0.9, contrast: 40 })).toBe(1);
  });
});

describe('monochromeConfidence', () => {
  it('is 1 for a greyscale photograph', () => {
    expect(monochromeConfidence(greyPhoto)).toBe(1);
  });

  it('is about 0 for grey noise, which has no colour but no structure either', () => {
    expect(monochromeConfidence({ ...greyPhoto, coherence: 0.01, contrast: 14 })).toBeLessThan(0.05);
  });

  it('falls as the colour grows', () => {
    const confidences = [12, 8, 4, 0].map((chroma) => monochromeConfidence({ ...greyPhoto, chroma }));
    expect(increasing(confidences)).toBe(true);
    expect(monochromeConfidence({ ...greyPhoto, chroma: 12 })).toBeLessThan(MIN_LABEL_CONFIDENCE);
  });

  it('says no Monochrome for a black-and-white page with a few coloured words', () => {
    expect(monochromeConfidence({ ...greyPhoto, chroma: 1.6, colouredShare: 0.016 })).toBe(0);
  });
});

describe('vegetationConfidence', () => {
  it('rises with the share of textured leaf green', () => {
    const structure = { coherence: 0.9, contrast: 30, borderPaleShare: 0 };
    const shares = [0.12, 0.2, 0.3, 0.4];
    expect(
      increasing(shares.map((texturedGreenShare) => vegetationConfidence({ ...structure, texturedGreenShare }))),
    ).toBe(true);
    expect(vegetationConfidence({ ...structure, texturedGreenShare: 0.05 })).toBeLessThan(MIN_LABEL_CONFIDENCE);
  });

  it('is 0 for green noise, textured as it is', () => {
    expect(vegetationConfidence({ coherence: 0, contrast: 13, texturedGreenShare: 0.5, borderPaleShare: 0 })).toBe(0);
  });

  it('falls with an all-pale border: a plant cut out on white is an object, not plants filling a scene', () => {
    const broccoli = { coherence: 0.96, contrast: 90, texturedGreenShare: 0.4 };
    expect(vegetationConfidence({ ...broccoli, borderPaleShare: 0 })).toBe(1);
    expect(vegetationConfidence({ ...broccoli, borderPaleShare: 0.96 })).toBeLessThan(0.1);
  });

  it('is untouched by a pale sky along part of the border', () => {
    const meadow = { coherence: 0.96, contrast: 50, texturedGreenShare: 0.4 };
    expect(vegetationConfidence({ ...meadow, borderPaleShare: 0.3 })).toBe(1);
  });
});
