import sharp from 'sharp';
import { pictureOf } from '../../../../lambdas/core/analysis/container';
import type { ImageFormat } from '../../../../lambdas/core/record';
import { renderImage } from '../../../../lambdas/core/render/render';
import type { RenditionSpec } from '../../../../lambdas/core/render/rendition';
import { RENDITION_DEFAULTS } from '../../../../lambdas/core/render/rendition-spec';
import { fixture } from '../../../fixtures';
import { psnr } from '../../../support/stats';

const spec = (extra: Partial<RenditionSpec>): RenditionSpec => ({ ...RENDITION_DEFAULTS, format: 'png', ...extra });

/** Each RAW, and its picture upright (the record's size). */
const RAWS: [string, ImageFormat, [number, number]][] = [
  ['raw/forest.dng', 'dng', [1024, 640]],
  ['raw/boats-turned.nef', 'nef', [640, 1024]],
  ['raw/cups.cr2', 'cr2', [1024, 640]],
  ['raw/kite.arw', 'arw', [1024, 640]],
  ['raw/leaf.raf', 'raf', [1024, 640]],
  ['raw/pier.cr3', 'cr3', [1024, 640]],
];

describe('a rendition of a camera RAW is its preview', () => {
  it.each(RAWS)('%s at 512 px wide is within 35 dB of its preview rendered by sharp', async (name, kind, size) => {
    const [width, height] = size;
    const raw = fixture(name);
    const out = await renderImage(raw, spec({ w: 512 }), {
      format: 'png',
      image: { width, height, animated: false },
      maxInputPixels: 1e8,
    });
    const outHeight = Math.round((512 * height) / width);
    expect([out.width, out.height]).toEqual([512, outHeight]);
    // The reference: the preview JPEG, cut out of the file by hand-checked offsets (pictureOf), oriented and resized
    // by sharp alone.
    const preview = pictureOf(raw, kind).bytes;
    const reference = await sharp(preview).autoOrient().resize(512, outHeight, { fit: 'fill' }).raw().toBuffer();
    const rendered = await sharp(out.data).removeAlpha().raw().toBuffer();
    const db = psnr(reference, rendered);
    expect(db).toBeGreaterThan(35);
  });
});
