import { bandRadii, phashBands } from '../../lambdas/core/analysis/phash-bands';
import {
  bandValue,
  contiguous,
  distance,
  exactFor,
  flipMasks,
  hashSet,
  interleaved,
  probeCost,
  radiiFor,
  recall,
} from './bands';

describe('the band arithmetic', () => {
  const hashes = ['0123456789abcdef', 'fedcba9876543210', '0123456789abcdee', '0123ffff89abcdef'];
  const set = hashSet(hashes);

  it('reads the contiguous bands as similar-images.ts files them (4 hex digits each)', () => {
    const layout = contiguous(4);
    for (const [i, hash] of hashes.entries()) {
      expect(layout.bands.map((bits) => bandValue(set, i, bits))).toEqual(
        phashBands(hash).map((band) => Number.parseInt(band, 16)),
      );
    }
  });

  it('splits the 64 bits into bands that cover each bit once', () => {
    for (const layout of [contiguous(3), interleaved(5), interleaved(11)]) {
      expect(layout.bands.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: 64 }, (_, bit) => bit));
    }
    expect(interleaved(4).bands[1]?.slice(0, 3)).toEqual([1, 5, 9]);
  });

  it('probes every value within the radius: sum of C(width, i)', () => {
    expect(flipMasks(16, 0)).toHaveLength(1);
    expect(flipMasks(16, 1)).toHaveLength(17);
    expect(flipMasks(16, 2)).toHaveLength(137);
    expect(new Set(flipMasks(21, 3)).size).toBe(1 + 21 + 210 + 1330);
  });

  it('counts the postings a probe finds, its own included, capped per value', () => {
    // Hash 0 shares bands 0, 1 and 2 exactly with hash 2 and bands 0, 2, 3 with hash 3; hash 1 shares nothing.
    const exact = probeCost(set, contiguous(4), [0, 0, 0, 0], [0], 100, 800);
    expect(exact.queries).toBe(4);
    expect(exact.items.mean).toBe(3 + 2 + 3 + 2);
    expect(probeCost(set, contiguous(4), [0, 0, 0, 0], [0], 1, 800).items.mean).toBe(4);
    expect(probeCost(set, contiguous(4), [0, 0, 0, 0], [1], 100, 800).items.mean).toBe(4);
    expect(probeCost(set, contiguous(4), [2, 2, 2, 1], [1], 100, 800).queries).toBe(3 * 137 + 17);
  });

  it('gives the smallest exact radii, as similar-images.ts does for 4 bands', () => {
    for (let d = 0; d <= 11; d++) {
      expect(radiiFor(4, d)).toEqual(bandRadii(d));
      expect(exactFor(radiiFor(4, d), d)).toBe(true);
      expect(
        exactFor(
          radiiFor(4, d).map((r, b) => (b === 0 ? r - 1 : r)),
          d,
        ),
      ).toBe(d < 3);
    }
    expect(radiiFor(3, 10)).toEqual([3, 3, 2]);
  });

  it('finds a pair within the distance when some band is within the radius', () => {
    expect(distance(set, 0, 2)).toBe(1);
    expect(recall(set, contiguous(4), [0, 0, 0, 0], [[0, 2]])).toBe(1);
    expect(recall(set, contiguous(4), [0, 0, 0, 0], [[0, 1]])).toBe(0);
  });
});
