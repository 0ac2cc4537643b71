import sharp from 'sharp';
import { renderImage } from '../../../../lambdas/core/render/render';
import { processUpload } from '../../../../lambdas/ingest/functions/processor/process-upload';
import { parseRenditionSpec } from '../../../../lambdas/renditions/spec';
import { eagerRenditionsStep } from '../../../../lambdas/renditions/steps/renditions';
import { parseDeploymentSettings } from '../../../../lambdas/settings';
import { renditionLimitsOf } from '../../../../lambdas/settings/renditions';
import { fixture } from '../../../fixtures';
import { psnr } from '../../../support/stats';
import {
  FIRST,
  firstRequest,
  KEY,
  notice,
  pipeline,
  type Settings,
  type Written,
  writtenItem,
} from './ingest-pipeline';

/** A card and a page, each as a lossless PNG so that only where its pixels came from tells them apart. */
const PRESETS = {
  card: { w: 400, h: 225, format: 'png' },
  page: { w: 1200, fit: 'inside', format: 'png' },
} as const;

/**
 * A phone's 12 MP portrait: a photo enlarged to 4000 x 3000 with a light grain, stored sideways with EXIF
 * orientation 6 (shown 3000 x 4000).
 */
async function sidewaysPortrait(): Promise<Buffer> {
  const { data, info } = await sharp(fixture('photos/pier.jpg'))
    .resize(4000, 3000, { fit: 'fill' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  let seed = 7;
  for (let i = 0; i < data.length; i++) {
    seed = (seed * 1_103_515_245 + 12_345) & 0x7fffffff;
    data[i] = Math.max(0, Math.min(255, (data[i] ?? 0) + ((seed >> 16) % 7) - 3));
  }
  return sharp(data, { raw: info }).jpeg({ quality: 92 }).withMetadata({ orientation: 6 }).toBuffer();
}

/** The same preset rendered straight from the original, as the render function would without a copy. */
function fromOriginal(original: Buffer, settings: Settings, preset: keyof typeof PRESETS) {
  const spec = parseRenditionSpec(PRESETS[preset], renditionLimitsOf(settings));
  return renderImage(original, spec, {
    format: 'png',
    image: { width: 3000, height: 4000 },
    maxInputPixels: 100_000_000,
  });
}

/** The objects, telling which keys were read. */
class Watched<V> extends Map<string, V> {
  readonly read: string[] = [];
  override get(key: string): V | undefined {
    this.read.push(key);
    return super.get(key);
  }
}

async function rgb(png: Buffer) {
  return sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
}

let original: Buffer;
beforeAll(async () => {
  original = await sidewaysPortrait();
});

describe('the page copy (renditionPageCopy)', () => {
  it('is stored at ingest by default: an upright JPEG of at most 2048 px, named by the record', async () => {
    const settings = parseDeploymentSettings({ renditionPresets: PRESETS });
    const { deps, objects, counts } = pipeline(settings, original);
    expect(await processUpload(notice, FIRST, deps)).toBe('PROCESSED');
    const { pageCopy } = writtenItem();
    expect(pageCopy).toEqual({
      key: expect.stringMatching(/^renditions\/\w+\/[0-9a-f]{16}\.jpg$/),
      width: 1536,
      height: 2048,
    });
    const stored = objects.get(pageCopy?.key as string) as Written;
    expect(stored.contentType).toBe('image/jpeg');
    expect(await sharp(stored.data).metadata()).toMatchObject({ format: 'jpeg', width: 1536, height: 2048 });
    expect(counts.PageCopyFailed).toBeUndefined();
  });

  it('is what a page and a card of a portrait render from, upright and within 38 dB of a rendering from the original', async () => {
    const settings = parseDeploymentSettings({ renditionPresets: PRESETS });
    const { deps, objects } = pipeline(settings, original);
    await processUpload(notice, FIRST, deps);
    const item = writtenItem();
    const watched = new Watched(objects);
    for (const [preset, size] of [
      ['page', { width: 1200, height: 1600 }],
      ['card', { width: 400, height: 225 }],
    ] as const) {
      watched.read.length = 0;
      const answer = await firstRequest(item, settings, watched, preset);
      expect(answer.rendered).toBe(true);
      expect(watched.read).toContain(item.pageCopy?.key);
      expect(watched.read).not.toContain(KEY);
      const ours = await rgb(answer.body as Buffer);
      expect(ours.info).toMatchObject(size);
      const reference = await rgb((await fromOriginal(original, settings, preset)).data);
      expect(psnr(reference.data, ours.data)).toBeGreaterThan(38);
    }
  });

  it('is not made with the setting 0, nor for a picture no larger than it', async () => {
    const off = parseDeploymentSettings({ renditionPageCopy: '0' });
    const first = pipeline(off, original);
    await processUpload(notice, FIRST, first.deps);
    expect(writtenItem().pageCopy).toBeUndefined();
    expect([...first.objects.keys()].filter((key) => key.endsWith('.jpg') && key !== KEY)).toEqual([]);
    // pier.jpg is 1280 x 800: rendering from it costs no more than from a copy.
    const small = pipeline(parseDeploymentSettings({}));
    await processUpload(notice, FIRST, small.deps);
    expect(writtenItem().pageCopy).toBeUndefined();
  });

  it('is not stored for an image its owner’s policy blurs, whose renditions are blurred from the original', async () => {
    const copy = { key: 'renditions/x/1.jpg', data: Buffer.from('x'), contentType: 'image/jpeg' };
    const written: string[] = [];
    const context = { deps: { objects: { write: async (_b: string, key: string) => void written.push(key) } } };
    const analysis = {
      item: { imageId: 'x', bucket: 'b' },
      renditions: { rendered: [], failed: 0, pageCopy: { ...copy, width: 1536, height: 2048 } },
    };
    // biome-ignore lint/suspicious/noExplicitAny: the step reads only these fields.
    const run = (blurred: boolean) => eagerRenditionsStep.run(context as any, { ...analysis, blurred } as any);
    expect(await run(true)).toEqual({ item: { eagerRenditions: undefined, pageCopy: undefined } });
    expect(written).toEqual([]);
    expect(await run(false)).toEqual({
      item: { eagerRenditions: undefined, pageCopy: { key: copy.key, width: 1536, height: 2048 } },
    });
    expect(written).toEqual([copy.key]);
  });

  it('refuses a side the thumbnails already cover', () => {
    expect(() => parseDeploymentSettings({ renditionPageCopy: '800' })).toThrow(/renditionPageCopy.*more than 1024/);
  });
});
