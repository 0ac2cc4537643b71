import { OUTPUT_FORMATS } from '../../../../../lambdas/core/render/rendition';
import { presetSpecOf } from '../../../../../lambdas/core/render/rendition-spec';
import { readProvenance } from '../../../../../lambdas/provenance/read-provenance';
import {
  type RenderConfig,
  type RenditionResult,
  renderRendition,
} from '../../../../../lambdas/renditions/functions/render-image/render-image';
import { parseDeploymentSettings } from '../../../../../lambdas/settings';
import type { ImageItem } from '../../../../../lambdas/store/image-item';
import { credentialFixtures } from '../../../../support/provenance';
import { CONFIG, ITEM, KEYS, MemoryObjects, NOW, PIER, url } from './memory-deps';

/**
 * Every way the render function gives a rendition out (a public preset, a preset's signed URL, a custom spec in each
 * format) of a signed AI-generated original: no Content Credentials, and no digital source type unless
 * `renditionsKeepDigitalSourceType`; with it, the record's, in XMP, read back as the record's summary, and a key of
 * its own, so that a rendition made under one setting is never answered under the other.
 */

const PRESETS = parseDeploymentSettings({
  renditionPresets: JSON.stringify({
    card: { w: 400, h: 300, format: 'webp', public: true },
    print: { w: 800, format: 'jpeg', public: true },
    hero: { w: 1000 },
  }),
}).renditionPresets;

const PROVENANCE: ImageItem['provenance'] = {
  summary: 'ai-generated',
  basis: 'c2pa',
  digitalSourceType: 'trainedAlgorithmicMedia',
  generator: 'Imagine 3.1',
};

let original: Buffer;
beforeAll(async () => {
  original = (await credentialFixtures(PIER)).generated;
});

/** The render function's deps over a bucket holding the signed original, and its record with `provenance`. */
function setup(provenance: ImageItem['provenance']) {
  const objects = new MemoryObjects();
  objects.objects.set(ITEM.key, { data: original, contentType: 'image/jpeg' });
  const item: ImageItem = { ...ITEM, provenance };
  const deps = {
    store: { get: async (id: string) => (id === item.imageId ? item : undefined) },
    objects,
    keys: async () => KEYS,
    watermark: async () => {
      throw new Error('no watermark in these tests');
    },
    now: () => NOW,
  };
  return { deps, objects };
}

const config = (keepDigitalSourceType: boolean): RenderConfig => ({
  ...CONFIG,
  presets: PRESETS,
  keepDigitalSourceType,
});

const ADDRESSES: Array<[string, () => { path: string; rawQuery: string; accept?: string }]> = [
  ['public card.webp', () => ({ path: `/${ITEM.imageId}/card.webp`, rawQuery: '' })],
  ['public print.jpg', () => ({ path: `/${ITEM.imageId}/print.jpg`, rawQuery: '' })],
  ['signed preset hero', () => ({ ...url(presetSpecOf(PRESETS.hero ?? {})), accept: 'image/avif,*/*' })],
  ...OUTPUT_FORMATS.map((format): [string, () => { path: string; rawQuery: string }] => [
    `custom ${format}`,
    () => url({ w: 320, h: 240, format, crop: { x: 100, y: 50, w: 800, h: 600 } }),
  ]),
];

async function bodyOf(result: RenditionResult | { notModified: true }): Promise<RenditionResult & { data: Buffer }> {
  if ('notModified' in result) throw new Error('a 304 where a body was wanted');
  const data = Buffer.isBuffer(result.body) ? result.body : Buffer.concat(await result.body.toArray());
  return { ...result, data };
}

describe('the render function, without renditionsKeepDigitalSourceType (the default)', () => {
  it.each(ADDRESSES)('%s of a signed AI image: no manifest, no digital source type', async (_, address) => {
    const { deps } = setup(PROVENANCE);
    const { data, format } = await bodyOf(await renderRendition(address(), config(false), deps));
    expect(await readProvenance(data, format)).toEqual({ summary: 'unknown', basis: 'none' });
  });
});

describe('the render function, with renditionsKeepDigitalSourceType', () => {
  it.each(ADDRESSES)("%s: the record's digital source type in XMP, read back as ai-generated", async (_, address) => {
    const { deps } = setup(PROVENANCE);
    const { data, format } = await bodyOf(await renderRendition(address(), config(true), deps));
    expect(await readProvenance(data, format)).toEqual({
      summary: 'ai-generated',
      basis: 'xmp',
      digitalSourceType: 'trainedAlgorithmicMedia',
    });
  });

  it.each([
    ['no provenance (analysed before it was read)', undefined],
    ['an edit with no source type', { summary: 'edited', basis: 'c2pa' } as const],
    [
      "a source type not of IPTC's list",
      { summary: 'unknown', basis: 'none', digitalSourceType: 'madeUp"/>' } as const,
    ],
  ])('declares none for a record with %s', async (_, provenance) => {
    const { deps } = setup(provenance);
    const address = { path: `/${ITEM.imageId}/print.jpg`, rawQuery: '' };
    const { data } = await bodyOf(await renderRendition(address, config(true), deps));
    expect(await readProvenance(data, 'jpeg')).toEqual({ summary: 'unknown', basis: 'none' });
  });

  it('stores it at a key of its own: turning the setting off never answers one made with it on', async () => {
    const { deps, objects } = setup(PROVENANCE);
    const address = { path: `/${ITEM.imageId}/card.webp`, rawQuery: '' };
    const kept = await renderRendition(address, config(true), deps);
    await kept.store;
    const plain = await bodyOf(await renderRendition(address, config(false), deps));
    await plain.store;
    expect(plain.rendered).toBe(true);
    expect(plain.etag).not.toBe(kept.etag);
    expect((await readProvenance(plain.data, 'webp')).summary).toBe('unknown');
    // The original and the two renditions.
    expect(objects.objects.size).toBe(3);
  });

  it('keeps the key of an image with no source type as it was: the setting renders none of them again', async () => {
    const { deps } = setup(undefined);
    const address = { path: `/${ITEM.imageId}/card.webp`, rawQuery: '' };
    const on = await bodyOf(await renderRendition(address, config(true), deps));
    const off = await bodyOf(await renderRendition(address, config(false), deps));
    expect(on.etag).toBe(off.etag);
  });
});
