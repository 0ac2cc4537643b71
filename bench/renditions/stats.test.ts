import { geometricMean, type RawImage, ssim } from './stats';

/** A deterministic grey test card: gradients and a checkerboard, so SSIM has structure to compare. */
function card(width: number, height: number): RawImage {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const value = ((x >> 3) + (y >> 3)) % 2 ? 200 : 40 + ((x * 2 + y) % 50);
      data.fill(value, (y * width + x) * 3, (y * width + x) * 3 + 3);
    }
  }
  return { data, width, height, channels: 3 };
}

function map(image: RawImage, change: (value: number, index: number) => number): RawImage {
  return { ...image, data: image.data.map((value, index) => Math.min(255, Math.max(0, change(value, index)))) };
}

describe('renditions bench statistics', () => {
  it('takes the geometric mean, so a 2x gain and a 2x loss cancel out', () => {
    expect(geometricMean([2, 0.5])).toBeCloseTo(1, 12);
    expect(geometricMean([1, 4, 16])).toBeCloseTo(4, 12);
    expect(geometricMean([])).toBeNaN();
    expect(() => geometricMean([3, 0])).toThrow(/must be > 0, got 0/);
  });

  it('scores identical images 1', () => {
    const image = card(64, 48);
    expect(ssim(image, image)).toBeCloseTo(1, 12);
  });

  it('scores more distortion lower', () => {
    const image = card(64, 48);
    const noisy = (amplitude: number) => map(image, (value, i) => value + ((i * 7919) % 2 ? amplitude : -amplitude));
    const slight = ssim(image, noisy(3));
    const heavy = ssim(image, noisy(30));
    expect(slight).toBeLessThan(1);
    expect(slight).toBeGreaterThan(0.9);
    expect(heavy).toBeLessThan(slight);
  });

  it('barely penalises a uniform brightness shift, which changes no structure', () => {
    const image = card(64, 48);
    expect(
      ssim(
        image,
        map(image, (value) => value + 4),
      ),
    ).toBeGreaterThan(0.99);
  });

  it('refuses images of different sizes, or too small for the window', () => {
    expect(() => ssim(card(64, 48), card(48, 64))).toThrow('ssim: 64x48 vs 48x64');
    expect(() => ssim(card(8, 8), card(8, 8))).toThrow(/under 11 px/);
  });
});
