import sharp from 'sharp';
import { analyzeImage } from '../../../lambdas/core/analysis/analyze';
import type { Quality } from '../../../lambdas/core/quality';
import type { ProcessedRecord } from '../../../lambdas/core/record';
import {
  type MemberFacts,
  memberFactsOf,
  metadataCountOf,
  QUALITY_TOLERANCE,
  qualityScore,
  suggestKeep,
} from '../../../lambdas/duplicates/suggest';

const member = (imageId: string, facts: Partial<MemberFacts> = {}): MemberFacts => ({
  imageId,
  quality: 1,
  width: 1600,
  height: 1200,
  bytes: 400_000,
  metadataCount: 0,
  ...facts,
});

const quality = (edgeSharpness: number | undefined, flags: Quality['flags'] = []): Quality => ({
  sharpness: 500,
  ...(edgeSharpness !== undefined && { edgeSharpness }),
  exposure: { mean: 120, shadowsClipped: 0, highlightsClipped: 0, darkest: 5, brightest: 250 },
  contrast: 0.2,
  colourfulness: 30,
  entropy: 7,
  flags,
});

describe('suggestKeep', () => {
  it('keeps the highest quality score, and says by how much', () => {
    const suggestion = suggestKeep([member('01A', { quality: 0.61 }), member('01B', { quality: 0.82 })]);
    expect(suggestion).toEqual({ keep: '01B', reason: 'highest quality score (0.82 against 0.61)' });
  });

  it('counts scores within the tolerance as equal, so the larger photo wins over a copy scored a hair higher', () => {
    const original = member('01B', { quality: 0.97, width: 4032, height: 3024 });
    const copy = member('01A', { quality: 0.97 + QUALITY_TOLERANCE / 2 });
    expect(suggestKeep([copy, original])).toEqual({ keep: '01B', reason: 'largest (4032x3024 against 1600x1200)' });
    // On the raw scores the copy would win.
    expect(suggestKeep([copy, original], 0).keep).toBe('01A');
  });

  it('still ranks by quality past the tolerance, whatever the size', () => {
    const blurred = member('01A', { quality: 0.6, width: 4032, height: 3024 });
    expect(suggestKeep([blurred, member('01B', { quality: 0.9 })]).keep).toBe('01B');
  });

  it('decides by metadata when quality and size are alike', () => {
    const suggestion = suggestKeep([member('01A', { metadataCount: 1 }), member('01B', { metadataCount: 4 })]);
    expect(suggestion).toEqual({ keep: '01B', reason: 'most metadata (4 fields against 1)' });
  });

  it('then keeps the oldest id (the first uploaded), whatever the file sizes', () => {
    const copies = [member('01C'), member('01A', { bytes: 90_000 }), member('01B', { bytes: 1_200_000 })];
    expect(suggestKeep(copies)).toEqual({
      keep: '01A',
      reason: 'alike in quality, size and metadata: the first uploaded',
    });
  });

  it('names the best of the rest as the rival, not the worst', () => {
    const suggestion = suggestKeep([
      member('01A', { quality: 0.3 }),
      member('01B', { quality: 0.9 }),
      member('01C', { quality: 0.7 }),
    ]);
    expect(suggestion.reason).toBe('highest quality score (0.90 against 0.70)');
  });

  it('names every test that put photos out, so a larger photo put out for its quality is not hidden', () => {
    const suggestion = suggestKeep([
      member('01A', { quality: 0.83, width: 200, height: 400 }),
      member('01B', { quality: 1, width: 180, height: 360 }),
      member('01C', { quality: 1, width: 160, height: 320 }),
    ]);
    expect(suggestion).toEqual({
      keep: '01B',
      reason: 'highest quality score (1.00 against 0.83), then largest (180x360 against 160x320)',
    });
    const firstOfTwo = suggestKeep([member('01C'), member('01A'), member('01B', { width: 10, height: 10 })]);
    expect(firstOfTwo).toEqual({
      keep: '01A',
      reason: 'largest (1600x1200 against 10x10), then the first uploaded',
    });
  });

  it('ranks a photo with no quality score (an old record) under every scored one', () => {
    const old = member('01A', { quality: undefined, width: 4032, height: 3024 });
    expect(suggestKeep([old, member('01B', { quality: 0.4 })])).toEqual({
      keep: '01B',
      reason: 'the only one with a quality score (0.40)',
    });
    expect(suggestKeep([old, member('01B', { quality: undefined })]).keep).toBe('01A');
  });

  it('keeps a lone photo, and refuses an empty cluster', () => {
    expect(suggestKeep([member('01A')])).toEqual({ keep: '01A', reason: 'the only photo' });
    expect(() => suggestKeep([])).toThrow('at least one photo');
  });
});

describe('qualityScore', () => {
  it('scores a sharp, well exposed photo 1, and sharpness past SHARP_ENOUGH no higher', () => {
    expect(qualityScore(quality(0.5))).toBe(1);
    expect(qualityScore(quality(3.2))).toBe(1);
  });

  it('takes half for sharpness and a sixth for each exposure flag', () => {
    expect(qualityScore(quality(0.1, ['blurry']))).toBe(0.6);
    expect(qualityScore(quality(2, ['overexposed', 'lowContrast']))).toBe(0.67);
  });

  it('reads the blurry flag when an old record has no edge sharpness, and nothing without quality', () => {
    expect(qualityScore(quality(undefined, ['blurry']))).toBe(0.5);
    expect(qualityScore(quality(undefined))).toBe(1);
    expect(qualityScore(undefined)).toBeUndefined();
  });
});

describe('metadataCountOf', () => {
  const record = (exif: ProcessedRecord['metadata']['exif'], described?: ProcessedRecord['described']) =>
    ({ metadata: { exif }, ...(described && { described }) }) as unknown as ProcessedRecord;

  it('counts the camera once, the date, the position and what the file says of itself', () => {
    const full = record(
      { make: 'Canon', model: 'EOS R6', takenAt: '2026:05:01 10:00:00', gps: { latitude: 1, longitude: 2 } },
      { keywords: ['beach'], title: 'Skagen', headline: 'Evening', caption: 'The two seas meet' },
    );
    expect(metadataCountOf(full)).toBe(7);
    expect(metadataCountOf(record({ model: 'Pixel 8' }))).toBe(1);
    expect(metadataCountOf(record(undefined))).toBe(0);
  });

  it("reads a real record's EXIF: a copy re-saved without it has less", async () => {
    const bytes = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#336699' } })
      .withExif({ IFD0: { Make: 'Canon', Model: 'EOS R6' } })
      .jpeg()
      .toBuffer();
    const withExif = (await analyzeImage(bytes)).record as ProcessedRecord;
    const stripped = (await analyzeImage(await sharp(bytes).jpeg().toBuffer())).record as ProcessedRecord;
    expect(metadataCountOf(withExif)).toBe(1);
    expect(metadataCountOf(stripped)).toBe(0);
    expect(memberFactsOf('01A', withExif)).toMatchObject({ imageId: '01A', width: 64, height: 48, metadataCount: 1 });
  });
});
