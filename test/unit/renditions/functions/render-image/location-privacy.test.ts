import sharp from 'sharp';
import { readExif } from '../../../../../lambdas/core/analysis/exif';
import type { Position } from '../../../../../lambdas/core/place';
import { OUTPUT_FORMATS } from '../../../../../lambdas/core/render/rendition';
import { presetSpecOf } from '../../../../../lambdas/core/render/rendition-spec';
import {
  type RenderConfig,
  type RenditionResult,
  renderRendition,
} from '../../../../../lambdas/renditions/functions/render-image/render-image';
import { parseDeploymentSettings } from '../../../../../lambdas/settings';
import type { ImageItem } from '../../../../../lambdas/store/image-item';
import { locationIn, withGps } from '../../../../support/location-scan';
import { CONFIG, depsOver, ITEM, PIER, url } from './memory-deps';

/**
 * Every way the render function gives a rendition out (a preset's signed URL, a custom spec's, a public preset's
 * stable address, each output format, `auto`) gives no GPS of a photo that has it, unless `renditionsKeepGps`;
 * with it, the record's position and nothing else, and a key of its own, so that neither setting nor a corrected
 * position is ever answered with a rendition made under the other.
 */

const PRESETS = parseDeploymentSettings({
  renditionPresets: JSON.stringify({
    card: { w: 400, h: 300, format: 'webp', public: true },
    print: { w: 800, format: 'jpeg', public: true },
    poster: { w: 600, format: 'png', public: true },
    tile: { w: 300, h: 300, format: 'avif', public: true },
    hero: { w: 1000 },
  }),
}).renditionPresets;
const BASEL: Position = { latitude: 47.56, longitude: 7.59 };

let original: Buffer;
beforeAll(async () => {
  original = await withGps(PIER, 'jpeg');
});

/** The render function's deps over a bucket holding the photo with GPS, and its record with `position`. */
function setup(position: Position | undefined) {
  let item: ImageItem = { ...ITEM, position };
  const { objects, deps } = depsOver(() => item);
  objects.objects.set(ITEM.key, { data: original, contentType: 'image/jpeg' });
  const correct = (to: Position | undefined) => {
    item = { ...item, position: to };
  };
  return { deps, objects, correct };
}

const config = (keepGps: boolean): RenderConfig => ({ ...CONFIG, presets: PRESETS, keepGps });

/** Every address of the image: the public presets', the presets' signed URLs, custom specs in each format and auto. */
const ADDRESSES: Array<[string, () => { path: string; rawQuery: string; accept?: string }]> = [
  ...['card.webp', 'print.jpg', 'poster.png', 'tile.avif'].map(
    (file): [string, () => { path: string; rawQuery: string }] => [
      `public ${file}`,
      () => ({ path: `/${ITEM.imageId}/${file}`, rawQuery: '' }),
    ],
  ),
  // As get-image signs a preset: its spec, expanded (format auto, answered as AVIF here).
  ['signed preset hero', () => ({ ...url(presetSpecOf(PRESETS.hero ?? {})), accept: 'image/avif,*/*' })],
  ...OUTPUT_FORMATS.map((format): [string, () => { path: string; rawQuery: string }] => [
    `custom ${format}`,
    () => url({ w: 320, h: 240, format, blur: 2, crop: { x: 100, y: 50, w: 800, h: 600 } }),
  ]),
];

async function fetchBody(result: RenditionResult | { notModified: true }): Promise<Buffer> {
  if ('notModified' in result) throw new Error('a 304 where a body was wanted');
  return Buffer.isBuffer(result.body) ? result.body : Buffer.concat(await result.body.toArray());
}

describe('the render function, without renditionsKeepGps (the default)', () => {
  it.each(ADDRESSES)('%s: no GPS, no metadata', async (_, address) => {
    const { deps } = setup(BASEL);
    const body = await fetchBody(await renderRendition(address(), config(false), deps));
    expect(body.length).toBeGreaterThan(0);
    expect(await locationIn(body)).toEqual([]);
  });
});

describe('the render function, with renditionsKeepGps', () => {
  it.each(ADDRESSES)("%s: the record's position as EXIF GPS, and nothing else", async (_, address) => {
    const { deps } = setup(BASEL);
    const body = await fetchBody(await renderRendition(address(), config(true), deps));
    expect(readExif((await sharp(body).metadata()).exif, true)).toEqual({ gps: BASEL });
  });

  it('gives an image without a position (none in its photo, or cleared by its owner) no GPS', async () => {
    const { deps } = setup(undefined);
    const address = { path: `/${ITEM.imageId}/card.webp`, rawQuery: '' };
    const body = await fetchBody(await renderRendition(address, config(true), deps));
    expect(await locationIn(body)).toEqual([]);
  });

  it('stores the rendition at a key of its own: turning the setting off never answers one made with it on', async () => {
    const { deps, objects } = setup(BASEL);
    const address = { path: `/${ITEM.imageId}/print.jpg`, rawQuery: '' };
    const kept = await renderRendition(address, config(true), deps);
    await kept.store;
    const plain = await renderRendition(address, config(false), deps);
    await plain.store;
    expect(plain.rendered).toBe(true);
    expect(plain.etag).not.toBe(kept.etag);
    expect(await locationIn(await fetchBody(plain))).toEqual([]);
    expect(objects.objects.size).toBe(3);
  });

  it('renders again, with the new position, once its owner corrects it', async () => {
    const { deps, correct } = setup(BASEL);
    const address = { path: `/${ITEM.imageId}/card.webp`, rawQuery: '' };
    const before = await renderRendition(address, config(true), deps);
    await before.store;
    const riehen: Position = { latitude: 47.5839, longitude: 7.6486 };
    correct(riehen);
    const after = await renderRendition(address, config(true), deps);
    expect(after.rendered).toBe(true);
    expect(after.etag).not.toBe(before.etag);
    expect(readExif((await sharp(await fetchBody(after)).metadata()).exif, true)).toEqual({ gps: riehen });
  });
});
