import sharp from 'sharp';
import { analyzeImage } from '../../../lambdas/core/analysis/analyze';
import { gpsExifTags, readExif } from '../../../lambdas/core/analysis/exif';
import type { Position } from '../../../lambdas/core/place';
import { type RenderContext, renderImage } from '../../../lambdas/core/render/render';
import { OUTPUT_FORMATS, type OutputFormat, type RenditionSpec } from '../../../lambdas/core/render/rendition';
import { RENDITION_DEFAULTS } from '../../../lambdas/core/render/rendition-spec';
import { fixture } from '../../fixtures';
import { exifTags, GPS_INPUT_FORMATS, type GpsInputFormat, locationIn, withGps } from '../../support/location-scan';

/**
 * Where a photo was taken never leaves in its thumbnails or renditions unless the deployment asks for it
 * (`renditionsKeepGps`, and then only the record's position): checked with an EXIF reader and a scan of the bytes,
 * for a photo with GPS in its EXIF and its XMP in every input format sharp writes, through every output format
 * and every way the renderer works (one pipeline, passes joined by raw buffers, a watermark, the policy's blur).
 */

const spec = (extra: Partial<RenditionSpec> = {}): RenditionSpec => ({ ...RENDITION_DEFAULTS, ...extra });
const SPECS: Record<string, RenditionSpec> = {
  'a resize (one pipeline)': spec({ w: 160 }),
  'a crop and filters (passes)': spec({ w: 120, h: 120, crop: { x: 40, y: 20, w: 200, h: 150 }, median: 3, hue: 90 }),
  'a watermark': spec({ w: 160, watermark: 'credit' }),
};
const WATERMARK = { kind: 'text', text: '© Fixture' } as const;

const inputs = new Map<GpsInputFormat, Buffer>();
beforeAll(async () => {
  const source = await sharp(fixture('formats/forest.png')).resize(320).toBuffer();
  for (const format of GPS_INPUT_FORMATS) inputs.set(format, await withGps(source, format));
});
const input = (format: GpsInputFormat): Buffer => inputs.get(format) as Buffer;

/** Renders `wanted` from a 320 x 200 source, with the watermark it names resolved. */
function render(source: Buffer, wanted: RenditionSpec, format: OutputFormat, extra: Partial<RenderContext> = {}) {
  return renderImage(source, wanted, {
    format,
    image: { width: 320, height: 200 },
    maxInputPixels: 100_000_000,
    watermark: wanted.watermark === undefined ? undefined : WATERMARK,
    ...extra,
  });
}

describe('the test photos', () => {
  it.each(GPS_INPUT_FORMATS)(
    'a photo in %s carries its GPS, as the reader and the scan find it: the checks can fail',
    async (format) => {
      const found = await locationIn(input(format));
      // sharp exposes TIFF's XMP but not its EXIF; the scan finds the GPS in the XMP's words.
      if (format !== 'tiff') expect(found).toContain('EXIF GPS 47,33,36,7,35,24');
      expect(found).toEqual(expect.arrayContaining(['XMP', 'bytes: GPSLatitude']));
    },
  );
});

describe('without renditionsKeepGps (the default)', () => {
  it.each(GPS_INPUT_FORMATS)('the thumbnails of a photo in %s with GPS carry no metadata', async (format) => {
    const { record, thumbnails } = await analyzeImage(input(format), { thumbnailSizes: [1024, 256, 64] });
    expect(record.status).toBe('PROCESSED');
    expect(thumbnails).toHaveLength(3);
    for (const thumbnail of thumbnails) expect(await locationIn(thumbnail.data)).toEqual([]);
  });

  const cases = GPS_INPUT_FORMATS.flatMap((from) => OUTPUT_FORMATS.map((to) => [from, to] as const));
  it.each(cases)('a photo in %s with GPS renders to %s with no metadata, whatever the spec', async (from, to) => {
    for (const [name, wanted] of Object.entries(SPECS)) {
      const { data } = await render(input(from), wanted, to);
      expect({ name, found: await locationIn(data) }).toEqual({ name, found: [] });
    }
  });

  it.each(OUTPUT_FORMATS)("a %s rendition its owner's policy blurs carries no metadata", async (to) => {
    const { data } = await render(input('jpeg'), spec({ w: 160 }), to, { censor: true });
    expect(await locationIn(data)).toEqual([]);
  });

  it('the committed fixture with GPS gives no GPS either, as exif-reader reads the output', async () => {
    const { data } = await renderImage(fixture('formats/exif-gps.jpg'), spec({ w: 200 }), {
      format: 'jpeg',
      image: { width: 640, height: 400 },
      maxInputPixels: 100_000_000,
    });
    expect(await exifTags(data)).toBeUndefined();
  });
});

describe('with renditionsKeepGps: the record position, and nothing else', () => {
  const BASEL: Position = { latitude: 47.56, longitude: 7.59, altitude: 260 };

  it.each(OUTPUT_FORMATS)('a %s rendition carries the position as EXIF GPS, read back to 1e-6 degrees', async (to) => {
    for (const [name, wanted] of Object.entries(SPECS)) {
      const { data } = await render(input('jpeg'), wanted, to, { gps: BASEL });
      const { exif } = await sharp(data).metadata();
      expect({ name, gps: readExif(exif, true)?.gps }).toEqual({ name, gps: BASEL });
    }
  });

  it("writes the record's position, not the photo's own: a corrected position is the one carried", async () => {
    const corrected: Position = { latitude: 47.5839, longitude: 7.6186 };
    const { data } = await render(input('webp'), spec({ w: 160 }), 'webp', { gps: corrected });
    expect(readExif((await sharp(data).metadata()).exif, true)?.gps).toEqual(corrected);
  });

  it("writes no other tag of the photo's EXIF, and none of its XMP", async () => {
    const { data } = await render(input('jpeg'), spec({ w: 160 }), 'jpeg', { gps: BASEL });
    const tags = await exifTags(data);
    expect(tags?.Image).not.toHaveProperty('Make');
    expect(tags?.Image).not.toHaveProperty('Model');
    expect(tags?.Photo ?? {}).not.toHaveProperty('DateTimeOriginal');
    expect((await sharp(data).metadata()).xmp).toBeUndefined();
    expect(await locationIn(data)).not.toContain('bytes: x:xmpmeta');
  });

  it.each([
    ['one pipeline', spec({ w: 100 })],
    ['passes', spec({ w: 100, median: 3, hue: 90 })],
  ])('an EXIF-rotated photo (%s) stays turned once: its pixels are, and the orientation says 1', async (_, wanted) => {
    const { data, width, height } = await render(fixture('formats/rotated-exif6.jpg'), wanted, 'jpeg', {
      image: { width: 400, height: 640 },
      gps: BASEL,
    });
    expect([width, height]).toEqual([100, 160]);
    expect((await exifTags(data))?.Image?.Orientation).toBe(1);
  });

  it('writes south and west as such, and leaves out an altitude below sea level', async () => {
    const below: Position = { latitude: -31.5, longitude: -35.5, altitude: -430 };
    expect(gpsExifTags(below)).toEqual({
      GPSLatitudeRef: 'S',
      GPSLatitude: '31/1 30/1 0/1000',
      GPSLongitudeRef: 'W',
      GPSLongitude: '35/1 30/1 0/1000',
    });
    const { data } = await render(input('png'), spec({ w: 64 }), 'png', { gps: below });
    expect(readExif((await sharp(data).metadata()).exif, true)?.gps).toEqual({ latitude: -31.5, longitude: -35.5 });
  });

  it('carries seconds of arc to the millisecond, with no 60 carried wrong', () => {
    expect(gpsExifTags({ latitude: 0.9999999999, longitude: 179.999999 }).GPSLatitude).toBe('1/1 0/1 0/1000');
    expect(gpsExifTags({ latitude: 0.9999999999, longitude: 179.999999 }).GPSLongitude).toBe('179/1 59/1 59996/1000');
  });
});
