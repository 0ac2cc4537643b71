import sharp from 'sharp';
import { cropPixels, turnCrop } from '../../../../lambdas/core/crop';
import { type RenderContext, renderImage } from '../../../../lambdas/core/render/render';
import type { RenditionSpec } from '../../../../lambdas/core/render/rendition';
import { RENDITION_DEFAULTS } from '../../../../lambdas/core/render/rendition-spec';
import { fixture } from '../../../fixtures';
import { psnr } from '../../../support/stats';

const spec = (extra: Partial<RenditionSpec>): RenditionSpec => ({ ...RENDITION_DEFAULTS, format: 'png', ...extra });

/** The output's pixels, 3 channels. */
async function rgb(image: Buffer) {
  return sharp(image).removeAlpha().raw().toBuffer({ resolveWithObject: true });
}

/** A reference decoded in full (no shrink-on-load: raw pixels have no DCT), resized as the rendition is. */
async function fromFullDecode(upright: sharp.Sharp, width: number, height: number, cut?: sharp.Region) {
  const full = await upright.raw().toBuffer({ resolveWithObject: true });
  let image = sharp(full.data, { raw: { width: full.info.width, height: full.info.height, channels: 3 } });
  if (cut) image = sharp(await image.extract(cut).raw().toBuffer(), { raw: { ...cut, channels: 3 } });
  return image.resize(width, height, { fit: 'fill' }).raw().toBuffer();
}

describe('renderImage from a JPEG original shrinks it while decoding, then turns it', () => {
  // A phone's portrait: the pier's 1280x800 pixels stored as they are with EXIF orientation 6 (turn 90 clockwise to
  // show), so the picture is 800x1280 upright.
  let portrait: Buffer;
  const upright = { width: 800, height: 1280, animated: false };
  const context = (extra: Partial<RenderContext> = {}): RenderContext => ({
    format: 'png',
    image: upright,
    maxInputPixels: 1e8,
    ...extra,
  });

  beforeAll(async () => {
    portrait = await sharp(fixture('photos/pier.jpg'))
      .withMetadata({ orientation: 6 })
      .jpeg({ quality: 92 })
      .toBuffer();
  });

  it.each([
    ['a card (a 200x112 band, cover)', { w: 200, h: 112, fit: 'cover' as const }, [200, 112]],
    ['a page (600 px wide)', { w: 600 } as { w: number; h?: number }, [600, 960]],
  ])('%s of a phone portrait is upright and within 38 dB of one from the whole decode', async (_, extra, size) => {
    const out = await renderImage(portrait, spec(extra), context());
    const [width, height] = size as [number, number];
    expect([out.width, out.height]).toEqual(size);
    // Upright by an independent turn: the pier's pixels turned a quarter clockwise, as orientation 6 says.
    const turned = sharp(fixture('photos/pier.jpg')).rotate(90);
    const band = extra.h
      ? { left: 0, top: Math.round((1280 - 800 * (112 / 200)) / 2), width: 800, height: 448 }
      : undefined;
    const reference = await fromFullDecode(turned, width, height, band);
    expect(psnr(reference, (await rgb(out.data)).data)).toBeGreaterThan(38);
  });

  it('decodes an original its owner turned at a DCT scale, as one sharp pipeline that turns after resizing', async () => {
    // The owner turned the portrait a quarter more: the record's picture is 1280x800, and a 320 px wide rendition is
    // 320x200, a quarter of the pixels along each side (libjpeg decodes at half size, then sharp resizes).
    const out = await renderImage(
      portrait,
      spec({ w: 320 }),
      context({ image: { width: 1280, height: 800 }, turn: 90 }),
    );
    expect([out.width, out.height]).toEqual([320, 200]);
    const oneDecode = await sharp(portrait).autoOrient().resize(200, 320, { fit: 'fill' }).rotate(90).raw().toBuffer();
    expect(psnr(oneDecode, (await rgb(out.data)).data)).toBe(Number.POSITIVE_INFINITY);
  });

  it('cuts an owner crop and turn from the original within 38 dB of cutting the whole decode', async () => {
    // Of the picture before the turn (the 800x1280 portrait), as the record keeps it.
    const crop = { left: 0.1, top: 0.2, width: 0.6, height: 0.5 };
    const part = cropPixels(turnCrop(crop, 90), 1280, 800);
    const image = { width: part.width, height: part.height };
    const out = await renderImage(portrait, spec({ w: 240 }), context({ image, turn: 90, crop }));
    const height = Math.round((240 * part.height) / part.width);
    expect([out.width, out.height]).toEqual([240, height]);
    const reference = await fromFullDecode(sharp(fixture('photos/pier.jpg')).rotate(180), 240, height, part);
    expect(psnr(reference, (await rgb(out.data)).data)).toBeGreaterThan(38);
  });

  it("mirrors and turns after the owner's turn, as the spec says, in one pass", async () => {
    // The record's picture is the portrait turned a quarter more (1280x800); flop it, then turn it a quarter.
    const image = { width: 1280, height: 800 };
    const out = await renderImage(portrait, spec({ w: 200, flop: true, rotate: 90 }), context({ image, turn: 90 }));
    expect([out.width, out.height]).toEqual([200, 320]);
    const record = await sharp(fixture('photos/pier.jpg')).rotate(180).raw().toBuffer({ resolveWithObject: true });
    const mirrored = sharp(record.data, { raw: { width: 1280, height: 800, channels: 3 } })
      .flop()
      .rotate(90);
    expect(psnr(await fromFullDecode(mirrored, 200, 320), (await rgb(out.data)).data)).toBeGreaterThan(38);
  });
});
