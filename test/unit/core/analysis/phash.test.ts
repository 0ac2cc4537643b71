import sharp from 'sharp';
import { analyzeImage } from '../../../../lambdas/core/analysis/analyze';
import { hammingDistance, perceptualHash } from '../../../../lambdas/core/analysis/phash';
import { fixture, photoNames } from '../../../fixtures';

async function phashOf(bytes: Buffer): Promise<string> {
  const { record } = await analyzeImage(bytes, { thumbnailSizes: [128] });
  if (record.status !== 'PROCESSED') throw new Error(`expected PROCESSED, got ${record.status}`);
  return record.hashes.phash;
}

describe('perceptual hash', () => {
  it.each(photoNames())(
    'stays within distance 6 when %s is resized by half and re-encoded at JPEG q70',
    async (name) => {
      const original = fixture(`photos/${name}`);
      const copy = await sharp(original).resize({ width: 640 }).jpeg({ quality: 70 }).toBuffer();
      expect(hammingDistance(await phashOf(original), await phashOf(copy))).toBeLessThanOrEqual(6);
    },
  );

  it('keeps different photos at least 20 apart', async () => {
    const hashes = await Promise.all(photoNames().map((name) => phashOf(fixture(`photos/${name}`))));
    const distances = hashes.flatMap((a, i) => hashes.slice(i + 1).map((b) => hammingDistance(a, b)));
    expect(distances).toHaveLength(15);
    expect(Math.min(...distances)).toBeGreaterThanOrEqual(20);
  });

  it('is 16 lowercase hex characters', async () => {
    expect(await phashOf(fixture('photos/kite.jpg'))).toMatch(/^[0-9a-f]{16}$/);
  });

  it('refuses a raster of the wrong size', () => {
    expect(() => perceptualHash(new Uint8Array(10))).toThrow('32x32');
  });
});

describe('hammingDistance', () => {
  it('counts differing bits', () => {
    expect(hammingDistance('0000000000000000', '0000000000000000')).toBe(0);
    expect(hammingDistance('0000000000000000', 'ffffffffffffffff')).toBe(64);
    expect(hammingDistance('00000000000000f0', '000000000000000f')).toBe(8);
  });

  it('rejects strings that are not 16 hex characters', () => {
    expect(() => hammingDistance('abc', '0000000000000000')).toThrow('16 hex');
  });
});
