import sharp from 'sharp';
import { analyzeImage } from '../../../lambdas/core/analysis/analyze';
import { measureQuality, type Quality, qualityFlags } from '../../../lambdas/core/quality';
import type { ProcessedRecord } from '../../../lambdas/core/record';
import { fixture } from '../../fixtures';

async function qualityOf(bytes: Buffer): Promise<Quality> {
  const { record } = await analyzeImage(bytes);
  const quality = (record as ProcessedRecord).quality;
  if (!quality) throw new Error(`no quality in ${JSON.stringify(record)}`);
  return quality;
}

const jpeg = (image: sharp.Sharp) => image.jpeg({ quality: 90 }).toBuffer();

describe('quality of a photo and its degraded copies', () => {
  const photo = fixture('photos/boats.jpg');

  it('scores a Gaussian-blurred copy (sigma 3) lower and flags it blurry, the original not', async () => {
    const original = await qualityOf(photo);
    const blurred = await qualityOf(await jpeg(sharp(photo).blur(3)));
    expect(blurred.sharpness).toBeLessThan(original.sharpness / 10);
    expect(blurred.flags).toContain('blurry');
    expect(original.flags).toEqual([]);
  });

  it('flags a darkened copy underexposed, and not blurry: its edges are as sharp, only dimmer', async () => {
    const dark = await qualityOf(await jpeg(sharp(photo).linear(0.3, 0)));
    expect(dark.flags).toContain('underexposed');
    expect(dark.flags).not.toContain('blurry');
    expect(dark.exposure.mean).toBeLessThan(40);
  });

  it("counts a brightened copy's clipped highlights, and as blown detail only those outside the flat white sky", async () => {
    const bright = await qualityOf(await jpeg(sharp(photo).linear(1.8, 60)));
    expect(bright.exposure.highlightsClipped).toBeGreaterThan(0.25);
    // Its sky blows flat white, as a white ground would: the known limit of the rule (bench/quality/README.md).
    expect(bright.exposure.blownDetail).toBeGreaterThan(0.2);
    expect(bright.exposure.blownDetail).toBeLessThan(bright.exposure.highlightsClipped);
  });

  it('flags a flattened copy lowContrast and nothing else', async () => {
    const flat = await qualityOf(await jpeg(sharp(photo).linear(0.25, 96)));
    expect(flat.flags).toEqual(['lowContrast']);
  });

  it('scores the same photo alike at 1280 px and at 2560 px: the score does not depend on resolution', async () => {
    const large = await qualityOf(await jpeg(sharp(photo).resize(2560, 1600, { kernel: 'cubic' })));
    const original = await qualityOf(photo);
    expect(large.sharpness / original.sharpness).toBeGreaterThan(0.8);
    expect(large.sharpness / original.sharpness).toBeLessThan(1.25);
    expect(large.flags).toEqual(original.flags);
  });

  it('judges an image with alpha as it looks on white, as its palette is', async () => {
    const transparentBlack = await sharp({
      create: { width: 64, height: 64, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } },
    })
      .png()
      .toBuffer();
    const quality = await qualityOf(transparentBlack);
    expect(quality.exposure).toMatchObject({ mean: 255, shadowsClipped: 0, highlightsClipped: 1, darkest: 255 });
  });
});

describe('a sharp subject on a white ground, as a product shot or a studio portrait', () => {
  const photo = fixture('photos/cups.jpg');

  /** The photo's middle cut out as a disc and laid on a white 1600 x 1200 ground, with `subject` done to the cut. */
  async function onWhite(subject: (image: sharp.Sharp) => sharp.Sharp = (image) => image): Promise<Buffer> {
    const side = 800;
    const cut = await subject(sharp(photo).resize(side, side, { fit: 'cover' }))
      .ensureAlpha()
      .composite([
        {
          input: Buffer.from(
            `<svg width="${side}" height="${side}"><circle cx="400" cy="400" r="400" fill="#fff"/></svg>`,
          ),
          blend: 'dest-in',
        },
      ])
      .png()
      .toBuffer();
    return sharp({ create: { width: 1600, height: 1200, channels: 3, background: '#ffffff' } })
      .composite([{ input: cut, left: 400, top: 200 }])
      .jpeg({ quality: 90 })
      .toBuffer();
  }

  it('is neither blurry nor overexposed, though half of it is clipped white', async () => {
    const quality = await qualityOf(await onWhite());
    expect(quality.exposure.highlightsClipped).toBeGreaterThan(0.4);
    expect(quality.flags).not.toContain('blurry');
    expect(quality.flags).not.toContain('overexposed');
  });

  it('is blurry when the whole shot is blurred', async () => {
    const quality = await qualityOf(await jpeg(sharp(await onWhite()).blur(3)));
    expect(quality.flags).toContain('blurry');
  });

  it('is overexposed when its subject is blown out', async () => {
    const quality = await qualityOf(await onWhite((image) => image.linear(1.6, 70)));
    expect(quality.flags).toContain('overexposed');
  });
});

describe('measureQuality on known rasters', () => {
  const raster = (width: number, height: number, pixel: (x: number, y: number) => [number, number, number]) => {
    const rgb = new Uint8Array(width * height * 3);
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) rgb.set(pixel(x, y), (y * width + x) * 3);
    return rgb;
  };

  it('gives a flat grey image no sharpness, contrast, colour or entropy, and flags it blurry and lowContrast', () => {
    const quality = measureQuality(
      raster(64, 64, () => [128, 128, 128]),
      64,
      64,
    );
    expect(quality).toMatchObject({ sharpness: 0, contrast: 0, colourfulness: 0, entropy: 0 });
    expect(quality.exposure).toEqual({
      mean: 128,
      shadowsClipped: 0,
      highlightsClipped: 0,
      blownDetail: 0,
      darkest: 128,
      brightest: 128,
    });
    expect(quality.flags).toEqual(['blurry', 'lowContrast']);
  });

  it('gives half black, half white the largest contrast, one bit of entropy and every pixel clipped', () => {
    const quality = measureQuality(
      raster(64, 64, (x) => (x < 32 ? [0, 0, 0] : [255, 255, 255])),
      64,
      64,
    );
    expect(quality.contrast).toBe(0.5);
    expect(quality.entropy).toBe(1);
    expect(quality.exposure.shadowsClipped + quality.exposure.highlightsClipped).toBe(1);
  });

  it('measures the Laplacian variance of a checkerboard exactly', () => {
    // Every interior pixel of a one-pixel checkerboard of 0 and 100 has a Laplacian of ±400.
    const quality = measureQuality(
      raster(16, 16, (x, y) => ((x + y) % 2 === 0 ? [0, 0, 0] : [100, 100, 100])),
      16,
      16,
    );
    expect(quality.sharpness).toBe(160_000);
  });

  it('samples a fine checkerboard and fine stripes for the histogram without aliasing them to one grey', () => {
    // A fixed one-in-four lattice would see one colour of each: no contrast, no entropy, a flat grey.
    for (const pixel of [
      (x: number, y: number) => (x + y) % 2 === 0,
      (x: number) => x % 2 === 0,
      (_x: number, y: number) => y % 2 === 0,
      (x: number, y: number) => (x - y) % 4 === 0,
    ]) {
      const quality = measureQuality(
        raster(64, 64, (x, y) => (pixel(x, y) ? [0, 0, 0] : [100, 100, 100])),
        64,
        64,
      );
      const darkShare = [...Array(64 * 64).keys()].filter((p) => pixel(p % 64, Math.floor(p / 64))).length / 4096;
      expect(quality.exposure.shadowsClipped).toBeCloseTo(darkShare, 1);
      expect(quality.exposure).toMatchObject({ darkest: 0, brightest: 100 });
      expect(quality.flags).not.toContain('lowContrast');
    }
  });

  it('reads every pixel of an image narrower than the sampling stride, and one pixel', () => {
    const narrow = measureQuality(
      raster(2, 64, (x) => (x === 0 ? [0, 0, 0] : [200, 200, 200])),
      2,
      64,
    );
    expect(narrow.exposure).toMatchObject({ mean: 100, shadowsClipped: 0.5, darkest: 0, brightest: 200 });
    expect(measureQuality(new Uint8Array([255, 255, 255]), 1, 1).exposure.mean).toBe(255);
  });

  it('scores pure red as colourful and grey as not (Hasler and Suesstrunk)', () => {
    const red = measureQuality(
      raster(8, 8, () => [255, 0, 0]),
      8,
      8,
    );
    // No spread, so M is 0.3 × |(rg, yb)| = 0.3 × √(255² + 127.5²).
    expect(red.colourfulness).toBeCloseTo(0.3 * Math.hypot(255, 127.5), 1);
  });
});

describe('qualityFlags', () => {
  const scores = {
    sharpness: 500,
    edgeSharpness: 0.8,
    exposure: { mean: 120, shadowsClipped: 0, highlightsClipped: 0, darkest: 10, brightest: 240, blownDetail: 0 },
    contrast: 0.2,
    colourfulness: 30,
    entropy: 7,
  };

  it('flags blurry by the sharpness at the edges, not the raw Laplacian variance', () => {
    expect(qualityFlags({ ...scores, sharpness: 5 })).not.toContain('blurry');
    expect(qualityFlags({ ...scores, edgeSharpness: 0.05 })).toContain('blurry');
  });

  it('flags neither blurry nor overexposed on a record of analysis 1.1.0, which has no scores for them', () => {
    const { edgeSharpness: _edge, ...old } = scores;
    const { blownDetail: _blown, ...exposure } = scores.exposure;
    expect(qualityFlags({ ...old, sharpness: 5, exposure: { ...exposure, highlightsClipped: 0.5 } })).toEqual([]);
  });

  it('flags underexposed by the brightest pixels, so a low-key photo with highlights is not', () => {
    const lowKey = { ...scores.exposure, mean: 40, shadowsClipped: 0.3, brightest: 200 };
    expect(qualityFlags({ ...scores, exposure: lowKey })).not.toContain('underexposed');
    expect(qualityFlags({ ...scores, exposure: { ...lowKey, brightest: 90 } })).toContain('underexposed');
  });

  it('flags overexposed by the highlights blown where there is detail, lowContrast by the tonal range', () => {
    expect(qualityFlags({ ...scores, exposure: { ...scores.exposure, highlightsClipped: 0.6 } })).toEqual([]);
    expect(qualityFlags({ ...scores, exposure: { ...scores.exposure, blownDetail: 0.5 } })).toEqual(['overexposed']);
    expect(qualityFlags({ ...scores, exposure: { ...scores.exposure, darkest: 100, brightest: 180 } })).toEqual([
      'lowContrast',
    ]);
  });
});
