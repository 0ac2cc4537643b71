import sharp from 'sharp';
import { analyzeImage } from '../../../../../lambdas/core/analysis/analyze';
import { readExif } from '../../../../../lambdas/core/analysis/exif';
import type { Position } from '../../../../../lambdas/core/place';
import { thumbnailsStep } from '../../../../../lambdas/ingest/functions/processor/steps/thumbnails';
import type { Decoded, StepContext } from '../../../../../lambdas/kit/processor-step';
import type { ProcessorDeps } from '../../../../../lambdas/manifest/step-runners';
import { policyStep } from '../../../../../lambdas/policy/steps/policy';
import { eagerPresets } from '../../../../../lambdas/renditions/steps/eager-renditions';
import { eagerRenditionsStep, renditionsStep } from '../../../../../lambdas/renditions/steps/renditions';
import { parseDeploymentSettings } from '../../../../../lambdas/settings';
import type { ImageItem } from '../../../../../lambdas/store/image-item';
import { fixture } from '../../../../fixtures';
import { imageItem } from '../../../../support/items';
import { locationIn, withGps } from '../../../../support/location-scan';
import { firstPublicRequest } from '../../../renditions/functions/render-image/memory-deps';

/**
 * What the processor writes of a photo with GPS besides its record: the eager presets (from the pixels the
 * thumbnails came from, or from the original's bytes when those are too small), in every output format, and the
 * thumbnails its owner's policy blurs. None carries GPS by default; with `renditionsKeepGps` the eager presets carry
 * the record's position, at the key the render function computes for it, so a preset's first request is still the
 * stored object.
 */

const PRESETS = JSON.stringify({
  // 400 x 300 from the 1024 px pixels; 1200 px wide needs the 1280 px original.
  card: { w: 400, h: 300, format: 'webp', eager: true, public: true },
  print: { w: 1200, format: 'jpeg', eager: true },
  poster: { w: 600, format: 'png', eager: true },
  tile: { w: 1200, h: 700, format: 'avif', eager: true },
});
const BASEL: Position = { latitude: 47.56, longitude: 7.59, altitude: 260 };

let decoded: Decoded;
beforeAll(async () => {
  const original = await withGps(fixture('photos/pier.jpg'), 'jpeg');
  const result = await analyzeImage(original, { keepPixels: true });
  if (result.record.status !== 'PROCESSED') throw new Error('the photo with GPS was not processed');
  decoded = { ...result, record: result.record, original };
});

function harness(keepGps: boolean) {
  const settings = parseDeploymentSettings({ renditionPresets: PRESETS, renditionsKeepGps: String(keepGps) });
  const written = new Map<string, Buffer>();
  const deps = {
    objects: {
      read: async () => ({ kind: 'missing' }),
      write: async (_bucket: string, key: string, data: Buffer) => void written.set(key, data),
    },
    renditions: {
      presets: eagerPresets(settings),
      maxSide: settings.renditionMaxSide,
      maxPixels: settings.maxPixels,
      watermark: async () => ({ kind: 'text', text: '' }),
      keepGps: settings.renditionsKeepGps,
      keepDigitalSourceType: settings.renditionsKeepDigitalSourceType,
    },
    policies: {
      store: { get: async () => ({ rules: [{ category: 'Suggestive', threshold: 0.5, action: 'blur' }] }) },
      defaults: {},
    },
  } as unknown as ProcessorDeps;
  return { settings, written, context: { deps } as unknown as StepContext<ProcessorDeps> };
}

async function eager(keepGps: boolean, position: Position | undefined) {
  const { settings, written, context } = harness(keepGps);
  const item = imageItem({ position, thumbnails: {}, analysis: decoded.record });
  const rendered = await renditionsStep.run(context, { item, decoded });
  const part = await eagerRenditionsStep.run(context, { item, decoded, renditions: rendered.renditions });
  return { settings, written, item: { ...item, ...part.item } as ImageItem };
}

describe('the processor, without renditionsKeepGps (the default)', () => {
  it('writes the eager presets in every format, from the pixels and from the original, with no GPS', async () => {
    const { written, item } = await eager(false, BASEL);
    expect(Object.keys(item.eagerRenditions ?? {}).sort()).toEqual(['card', 'poster', 'print', 'tile']);
    for (const [name, key] of Object.entries(item.eagerRenditions ?? {})) {
      expect({ name, found: await locationIn(written.get(key) as Buffer) }).toEqual({ name, found: [] });
    }
  });

  it("blurs the thumbnails its owner's policy asks for, with no GPS", async () => {
    const { written, context } = harness(false);
    const moderation = { checked: true, labels: [{ name: 'Suggestive', confidence: 0.9 }] };
    const vision = { labels: [], objects: [], text: [], faces: [], moderation } as unknown as ImageItem['vision'];
    const item = imageItem({ thumbnails: {}, vision });
    const part = await policyStep.run(context, { item, decoded });
    expect(part.item?.moderationPolicy?.blurred).toBe(true);
    await thumbnailsStep.run(context, { item, decoded, blurred: part.blurred });
    const blurred = [...written.keys()].filter((key) => key.startsWith('thumbnails/'));
    expect(blurred).toHaveLength(decoded.thumbnails.length);
    for (const key of blurred) expect(await locationIn(written.get(key) as Buffer)).toEqual([]);
  });
});

describe('the processor, with renditionsKeepGps', () => {
  it("writes the record's position into every eager preset, and nothing else", async () => {
    const { written, item } = await eager(true, BASEL);
    for (const [name, key] of Object.entries(item.eagerRenditions ?? {})) {
      const { exif } = await sharp(written.get(key) as Buffer).metadata();
      expect({ name, exif: readExif(exif, true) }).toEqual({ name, exif: { gps: BASEL } });
    }
  });

  it('writes none for a record without a position', async () => {
    const { written, item } = await eager(true, undefined);
    for (const key of Object.values(item.eagerRenditions ?? {})) {
      expect(await locationIn(written.get(key) as Buffer)).toEqual([]);
    }
  });

  it("stores each at the key the render function computes: the public preset's first request is the stored one", async () => {
    const { settings, written, item } = await eager(true, BASEL);
    const file = item.eagerRenditions?.card as string;
    const result = await firstPublicRequest(item, 'card', written, settings);
    expect(result.rendered).toBe(false);
    expect(result.body).toBe(written.get(file));
  });
});
