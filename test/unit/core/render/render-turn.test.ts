import sharp from 'sharp';
import { renderImage } from '../../../../lambdas/core/render/render';
import { parseRenditionSpec } from '../../../../lambdas/renditions/spec';
import { DEFAULT_SETTINGS } from '../../../../lambdas/settings';
import { renditionLimitsOf } from '../../../../lambdas/settings/renditions';
import { fixture } from '../../../fixtures';
import { halves } from '../../../support/raster';

describe("renderImage from an original its owner turned (the record's size is the turned one's)", () => {
  const limits = renditionLimitsOf(DEFAULT_SETTINGS);

  it('turns the original before framing it: a 200 px wide rendition of a turned 1280 x 800 photo is 200 x 320', async () => {
    const spec = parseRenditionSpec({ w: 200, format: 'png' }, limits);
    const image = { width: 800, height: 1280, animated: false };
    const out = await renderImage(fixture('photos/pier.jpg'), spec, {
      format: 'png',
      image,
      maxInputPixels: 1e8,
      turn: 90,
    });
    expect([out.width, out.height]).toEqual([200, 320]);
  });

  it('puts the left of the original on top, as the thumbnails have it', async () => {
    const spec = parseRenditionSpec({ w: 20, format: 'png' }, limits);
    const image = { width: 20, height: 40, animated: false };
    const out = await renderImage(await halves(), spec, { format: 'png', image, maxInputPixels: 1e8, turn: 90 });
    const { data, info } = await sharp(out.data).raw().toBuffer({ resolveWithObject: true });
    const pixel = (x: number, y: number) => [
      ...data.subarray((y * info.width + x) * info.channels, (y * info.width + x) * info.channels + 3),
    ];
    expect(pixel(10, 2)).toEqual([255, 0, 0]);
    expect(pixel(10, 37)).toEqual([0, 0, 255]);
  });
});
