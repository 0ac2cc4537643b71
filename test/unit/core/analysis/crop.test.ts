import sharp from 'sharp';
import { analyzeImage } from '../../../../lambdas/core/analysis/analyze';
import { renderImage } from '../../../../lambdas/core/render/render';
import { parseRenditionSpec } from '../../../../lambdas/renditions/spec';
import { DEFAULT_SETTINGS } from '../../../../lambdas/settings';
import { renditionLimitsOf } from '../../../../lambdas/settings/renditions';
import { fixture } from '../../../fixtures';
import { halves } from '../../../support/raster';

/** Red or blue, give or take what a lossy WebP makes of an edge. */
const near = (colour: number[], expected: 'red' | 'blue') => {
  const [r = 0, , b = 0] = colour;
  return expected === 'red' ? r > 200 && b < 50 : b > 200 && r < 50;
};

/** The RGB of every corner and the centre of an image's pixels, decoded. */
async function colours(bytes: Buffer): Promise<number[][]> {
  const { data, info } = await sharp(bytes).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const at = (x: number, y: number) => [...data.subarray((y * info.width + x) * 3, (y * info.width + x) * 3 + 3)];
  const [w, h] = [info.width - 1, info.height - 1];
  return [at(0, 0), at(w, 0), at(0, h), at(w, h), at(w >> 1, h >> 1)];
}

describe("analyzeImage with its owner's crop", () => {
  it('keeps the left half of a photo whose left is red and right blue: half its width, red only', async () => {
    const { record, thumbnails } = await analyzeImage(await halves(), {
      crop: { left: 0, top: 0, width: 0.5, height: 1 },
      thumbnailSizes: [64],
    });
    expect(record.status === 'PROCESSED' && record.metadata).toMatchObject({ width: 20, height: 20 });
    expect(thumbnails[0]).toMatchObject({ width: 20, height: 20 });
    expect((await colours(thumbnails[0]?.data as Buffer)).every((colour) => near(colour, 'red'))).toBe(true);
  });

  it('cuts the crop before the turn is applied: the left half turned 90 is the top of the upright photo', async () => {
    // The crop as stored is of the picture before the turn: its left half is the upright photo's top half.
    const { record, pixels } = await analyzeImage(await halves(), {
      crop: { left: 0, top: 0, width: 0.5, height: 1 },
      rotation: 90,
      keepPixels: true,
    });
    expect(record.status === 'PROCESSED' && record.metadata).toMatchObject({ width: 20, height: 20 });
    if (!pixels) throw new Error('no pixels kept');
    expect([pixels.width, pixels.height]).toEqual([20, 20]);
    expect([...pixels.data.subarray(0, 3)]).toEqual([255, 0, 0]);
  });

  it('keeps the thumbnails as sharp as without a crop: a half of a 1280 px photo still makes a 512 px thumbnail', async () => {
    const { record, thumbnails } = await analyzeImage(fixture('photos/pier.jpg'), {
      crop: { left: 0.5, top: 0, width: 0.5, height: 1 },
      thumbnailSizes: [512],
    });
    expect(record.status === 'PROCESSED' && record.metadata).toMatchObject({ width: 640, height: 800 });
    expect(thumbnails[0]).toMatchObject({ width: 409, height: 512 });
  });
});

describe('renderImage from an original its owner cropped', () => {
  const limits = renditionLimitsOf(DEFAULT_SETTINGS);

  it('cuts the original as the analysis did: the left half, red, at the record size', async () => {
    const spec = parseRenditionSpec({ format: 'png' }, limits);
    const out = await renderImage(await halves(), spec, {
      format: 'png',
      image: { width: 20, height: 20, animated: false },
      maxInputPixels: 1e8,
      crop: { left: 0, top: 0, width: 0.5, height: 1 },
    });
    expect([out.width, out.height]).toEqual([20, 20]);
    expect((await colours(out.data)).every((colour) => near(colour, 'red'))).toBe(true);
  });

  it('turns, then cuts the same part: the right half turned 180 is on the left, blue', async () => {
    const spec = parseRenditionSpec({ format: 'png' }, limits);
    const out = await renderImage(await halves(), spec, {
      format: 'png',
      image: { width: 20, height: 20, animated: false },
      maxInputPixels: 1e8,
      turn: 180,
      crop: { left: 0.5, top: 0, width: 0.5, height: 1 },
    });
    expect([out.width, out.height]).toEqual([20, 20]);
    expect((await colours(out.data)).every((colour) => near(colour, 'blue'))).toBe(true);
  });
});
