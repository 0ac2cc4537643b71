import sharp from 'sharp';
import { fitRaster, VISION_MAX_SIDE, VISION_MIN_SIDE, visionFit } from '../../../lambdas/vision/vision-limits';

describe('visionFit: 80-10,000 px a side', () => {
  it.each([
    [{ width: 80, height: 80 }, { kind: 'as-is' }],
    [{ width: 10_000, height: 80 }, { kind: 'as-is' }],
    [{ width: 4032, height: 3024 }, { kind: 'as-is' }],
    [
      { width: 60, height: 60 },
      { kind: 'scaled', to: { width: 80, height: 80 } },
    ],
    [
      { width: 12_000, height: 1_500 },
      { kind: 'scaled', to: { width: 10_000, height: 1_250 } },
    ],
    [
      { width: 1_500, height: 12_000 },
      { kind: 'scaled', to: { width: 1_250, height: 10_000 } },
    ],
    [
      { width: 40, height: 900 },
      { kind: 'scaled', to: { width: 80, height: 1_800 } },
    ],
    [
      { width: 20_000, height: 160 },
      { kind: 'scaled', to: { width: 10_000, height: 80 } },
    ],
  ])('%o: %o', (size, fit) => {
    expect(visionFit(size)).toEqual(fit);
  });

  it.each([
    { width: 20_000, height: 100 },
    { width: 1024, height: 8 },
    { width: 1, height: 1_000 },
  ])('refuses %o, saying why: no scale fits a strip over 125 times as long as it is wide', (size) => {
    const fit = visionFit(size);
    expect(fit).toEqual({ kind: 'skipped', reason: expect.stringContaining(`${size.width}x${size.height}`) });
  });

  it('keeps every answer inside the range, over many shapes', () => {
    for (let width = 1; width <= 30_000; width += 997) {
      for (let height = 1; height <= 30_000; height += 1_409) {
        const fit = visionFit({ width, height });
        if (fit.kind !== 'scaled') continue;
        expect(Math.min(fit.to.width, fit.to.height)).toBeGreaterThanOrEqual(VISION_MIN_SIDE);
        expect(Math.max(fit.to.width, fit.to.height)).toBeLessThanOrEqual(VISION_MAX_SIDE);
      }
    }
  });
});

describe('fitRaster: the offline models get the same guard', () => {
  const rasterOf = async (width: number, height: number) => {
    const { data } = await sharp({ create: { width, height, channels: 3, background: '#3366cc' } })
      .raw()
      .toBuffer({ resolveWithObject: true });
    return { data, width, height, channels: 3 as const };
  };

  it('scales a 60 x 60 raster up to 80 x 80 and says so', async () => {
    const { raster, scaled } = await fitRaster(await rasterOf(60, 60));
    expect([raster.width, raster.height, raster.data.length]).toEqual([80, 80, 80 * 80 * 3]);
    expect(scaled).toEqual({ from: { width: 60, height: 60 }, to: { width: 80, height: 80 } });
  });

  it('hands a raster in range back as it is', async () => {
    const given = await rasterOf(1024, 128);
    expect(await fitRaster(given)).toEqual({ raster: given });
  });

  it('refuses a raster no scale fits', async () => {
    await expect(fitRaster(await rasterOf(1024, 5))).rejects.toThrow(
      expect.objectContaining({ name: 'PictureOutOfRangeError' }),
    );
  });
});
