import sharp from 'sharp';
import { analyzeImage } from '../../../../lambdas/core/analysis/analyze';
import { fixture } from '../../../fixtures';
import { halves } from '../../../support/raster';

/** The RGB of the pixel at (x, y) of the pixels analyzeImage kept. */
function at(pixels: { data: Buffer; width: number; channels: number }, x: number, y: number): number[] {
  const offset = (y * pixels.width + x) * pixels.channels;
  return [...pixels.data.subarray(offset, offset + 3)];
}

describe("analyzeImage with its owner's rotation", () => {
  it('turns the picture clockwise: the left half of a wide one is the top of a tall one', async () => {
    const { record, pixels } = await analyzeImage(await halves(), { rotation: 90, keepPixels: true });
    expect(record.status === 'PROCESSED' && record.metadata).toMatchObject({
      width: 20,
      height: 40,
      orientation: 'portrait',
    });
    if (!pixels) throw new Error('no pixels kept');
    expect([pixels.width, pixels.height]).toEqual([20, 40]);
    expect(at(pixels, 10, 2)).toEqual([255, 0, 0]);
    expect(at(pixels, 10, 37)).toEqual([0, 0, 255]);
  });

  it('turns after the EXIF orientation: a 640 x 400 stored with orientation 6 (a 400 x 640 portrait) turned 90 is 640 x 400', async () => {
    const { record, thumbnails } = await analyzeImage(fixture('formats/rotated-exif6.jpg'), { rotation: 90 });
    expect(record.status === 'PROCESSED' && record.metadata).toMatchObject({
      width: 640,
      height: 400,
      orientation: 'landscape',
    });
    expect(thumbnails.find((t) => t.size === 128)).toMatchObject({ width: 128, height: 80 });
    expect(await sharp(thumbnails.find((t) => t.size === 128)?.data).metadata()).toMatchObject({
      width: 128,
      height: 80,
    });
  });

  it('keeps the size of a half turn, and of none', async () => {
    for (const rotation of [0, 180] as const) {
      const { record } = await analyzeImage(fixture('photos/pier.jpg'), { rotation, thumbnailSizes: [64] });
      expect(record.status === 'PROCESSED' && record.metadata).toMatchObject({ width: 1280, height: 800 });
    }
  });
});
