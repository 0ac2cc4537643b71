import sharp from 'sharp';
import { analyzeImage } from '../../../../lambdas/core/analysis/analyze';
import { gainMapOf } from '../../../../lambdas/core/analysis/gain-map';
import { iccProfileName } from '../../../../lambdas/core/analysis/icc';
import { readJxlHeader } from '../../../../lambdas/core/analysis/jxl';
import { sniffFormat } from '../../../../lambdas/core/analysis/sniff';
import type { ProcessedRecord } from '../../../../lambdas/core/record';
import { renderImage } from '../../../../lambdas/core/render/render';
import { RENDITION_DEFAULTS } from '../../../../lambdas/core/render/rendition-spec';
import { fixture } from '../../../fixtures';

/*
 * JPEG XL, 10- and 12-bit HEIC and AVIF, Display P3 and Ultra HDR gain maps (docs/formats.md), on the fixtures
 * `make-fixtures.ts --hdr-formats` makes.
 */

type AnalysisPixels = Awaited<ReturnType<typeof analyzeImage>>['pixels'];

const processed = async (file: string, options = {}) => {
  const result = await analyzeImage(fixture(file), { keepPixels: true, ...options });
  expect(result.record).toMatchObject({ status: 'PROCESSED' });
  return { record: result.record as ProcessedRecord, pixels: result.pixels };
};

/** PSNR of two 8-bit buffers of the same size. */
function psnr(a: Buffer, b: Buffer): number {
  let squares = 0;
  for (let i = 0; i < a.length; i++) squares += ((a[i] as number) - (b[i] as number)) ** 2;
  return 10 * Math.log10(255 ** 2 / (squares / a.length));
}

describe('JPEG XL', () => {
  it.each([
    ['formats/cups.jxl', 'the bare codestream'],
    ['formats/cups-container.jxl', 'the ISO-BMFF container'],
  ])('sniffs %s (%s) as jxl', (file) => {
    expect(sniffFormat(fixture(file))).toBe('jxl');
  });

  it('reads the size, bit depth and alpha from the codestream header', () => {
    expect(readJxlHeader(fixture('formats/cups.jxl'))).toEqual({
      width: 640,
      height: 400,
      orientation: 1,
      bitDepth: 8,
      hasAlpha: false,
      animated: false,
    });
    expect(readJxlHeader(fixture('formats/cups-container.jxl'))).toMatchObject({ width: 640, height: 400 });
  });

  it('decodes to the picture it was made from (PSNR over 35 dB against the photo)', async () => {
    const { record, pixels } = await processed('formats/cups.jxl');
    expect(record.metadata).toMatchObject({ format: 'jxl', width: 640, height: 400, bitDepth: 8, hasAlpha: false });
    expect(record.thumbnails.map((thumbnail) => thumbnail.width)).toEqual([640, 512, 128]);
    const photo = await sharp(fixture('photos/cups.jpg')).resize(640).raw().toBuffer();
    expect(pixels?.channels).toBe(3);
    expect(psnr(pixels?.data as Buffer, photo)).toBeGreaterThan(35);
  });

  it('refuses a header that claims 100,000 x 100,000 before decoding a pixel', async () => {
    const { record } = await analyzeImage(fixture('bad/bomb.jxl'));
    expect(record).toMatchObject({
      status: 'REJECTED',
      detectedFormat: 'jxl',
      rejection: { code: 'PIXEL_LIMIT_EXCEEDED', message: '100000x100000 is 10000.0 MP, over the 16.0 MP limit' },
    });
  });

  it('refuses a truncated file as CORRUPT_IMAGE, and decodes the next one', async () => {
    const { record } = await analyzeImage(fixture('bad/truncated.jxl'));
    expect(record).toMatchObject({
      status: 'REJECTED',
      rejection: { code: 'CORRUPT_IMAGE', message: expect.stringContaining('JPEG XL decode failed') },
    });
    await processed('formats/cups.jxl');
  });

  it('refuses a codestream cut inside its header as CORRUPT_IMAGE', async () => {
    const { record } = await analyzeImage(Buffer.from([0xff, 0x0a, 0x01]));
    expect(record).toMatchObject({ status: 'REJECTED', rejection: { code: 'CORRUPT_IMAGE' } });
  });

  it('renders a JPEG rendition from the JPEG XL original', async () => {
    const out = await renderImage(
      fixture('formats/cups.jxl'),
      { ...RENDITION_DEFAULTS, w: 320, format: 'jpeg' },
      { format: 'jpeg', image: { width: 640, height: 400 }, maxInputPixels: 100_000_000 },
    );
    expect(await sharp(out.data).metadata()).toMatchObject({ format: 'jpeg', width: 320, height: 200 });
  });
});

/** Distinct 8-bit levels and the largest step between neighbours along the ramp's middle row. */
function rampMeasure(pixels: { data: Buffer; width: number; height: number; channels: number }) {
  const row = pixels.height - 32;
  const values = Array.from(
    { length: pixels.width },
    (_, x) => pixels.data[(row * pixels.width + x) * pixels.channels],
  );
  let maxStep = 0;
  for (let x = 1; x < values.length; x++)
    maxStep = Math.max(maxStep, Math.abs((values[x] as number) - (values[x - 1] as number)));
  return { levels: new Set(values).size, maxStep };
}

describe('high bit depth', () => {
  // The ramp runs from 0 to a quarter of full scale across 640 px: an 8-bit copy has levels 0 to 64, each step 1.
  it.each([
    ['formats/leaf-10bit.heic', 10],
    ['formats/leaf-12bit.heic', 12],
  ])('%s comes out 8-bit with every level of the ramp (no banding), its bit depth recorded', async (file, depth) => {
    const { record, pixels } = await processed(file);
    expect(record.metadata.bitDepth).toBe(depth);
    const measure = rampMeasure(pixels as NonNullable<typeof pixels>);
    expect(measure.maxStep).toBeLessThanOrEqual(2);
    expect(measure.levels).toBeGreaterThanOrEqual(60);
  });

  it('refuses a 10-bit AVIF as UNSUPPORTED_FORMAT, naming the bit depth', async () => {
    const { record } = await analyzeImage(fixture('formats/leaf-10bit.avif'));
    expect(record).toMatchObject({
      status: 'REJECTED',
      detectedFormat: 'avif',
      rejection: { code: 'UNSUPPORTED_FORMAT', message: expect.stringContaining('10-bit AVIF') },
    });
  });
});

describe('Display P3', () => {
  /** The patch at the top left: P3 (230, 60, 40), as sharp converts it to sRGB. */
  const patchInSrgb = async () => {
    const { data } = await sharp(fixture('formats/boats-p3.jpg'))
      .extract({ left: 16, top: 16, width: 1, height: 1 })
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    return [...data];
  };
  const near = (actual: number[], expected: number[], tolerance: number) =>
    actual.every((value, i) => Math.abs(value - (expected[i] as number)) <= tolerance);

  it('names the embedded profile in the record', async () => {
    const { record } = await processed('formats/boats-p3.jpg');
    expect(record.metadata.colorProfile).toBe('sP3C');
  });

  it('reads an ICC v2 description and ignores a profile too short to have one', () => {
    const icc = Buffer.alloc(200);
    icc.writeUInt32BE(1, 128);
    icc.write('desc', 132, 'latin1');
    icc.writeUInt32BE(144, 136);
    icc.writeUInt32BE(40, 140);
    icc.write('desc', 144, 'latin1');
    icc.writeUInt32BE(11, 152);
    icc.write('Display P3\0', 156, 'latin1');
    expect(iccProfileName(icc)).toBe('Display P3');
    expect(iccProfileName(Buffer.alloc(64))).toBeUndefined();
  });

  it("serves thumbnails and renditions converted to sRGB: the patch equals sharp's P3 to sRGB conversion", async () => {
    const expected = await patchInSrgb();
    // The P3 numbers read as sRGB would be (230, 60, 40): the conversion moves them visibly.
    expect(near(expected, [230, 60, 40], 8)).toBe(false);
    const pixels = (await processed('formats/boats-p3.jpg')).pixels as NonNullable<AnalysisPixels>;
    const at = (16 * pixels.width + 16) * 3;
    expect(near([...pixels.data.subarray(at, at + 3)], expected, 3)).toBe(true);
    const out = await renderImage(
      fixture('formats/boats-p3.jpg'),
      { ...RENDITION_DEFAULTS, w: 640, format: 'png' },
      { format: 'png', image: { width: 640, height: 400 }, maxInputPixels: 100_000_000 },
    );
    const { data } = await sharp(out.data)
      .extract({ left: 16, top: 16, width: 1, height: 1 })
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect(near([...data].slice(0, 3), expected, 3)).toBe(true);
  });
});

describe('HDR gain maps', () => {
  it('records an Ultra HDR JPEG gain map: its kind, size and headroom', async () => {
    const { record } = await processed('formats/pier-ultrahdr.jpg');
    expect(record.metadata.hdr).toEqual({ kind: 'ultra-hdr', gainMap: { width: 160, height: 100 }, headroom: 2.3 });
  });

  it('analyses the primary picture, never the appended gain map', async () => {
    const { record } = await processed('formats/pier-ultrahdr.jpg');
    const plain = await processed('photos/pier.jpg', { thumbnailSizes: [640] });
    expect(record.metadata).toMatchObject({ width: 640, height: 400 });
    expect(record.dominantColor).toEqual(plain.record.dominantColor);
  });

  it('records an ISO 21496-1 APP2 without the hdrgm XMP as iso-21496-1', () => {
    const jpeg = fixture('photos/pier.jpg');
    const urn = Buffer.from('urn:iso:std:iso:ts:21496:-1\0\0\0\0\0', 'latin1');
    const segment = Buffer.concat([Buffer.from([0xff, 0xe2, 0, urn.length + 2]), urn]);
    expect(gainMapOf(Buffer.concat([jpeg.subarray(0, 2), segment, jpeg.subarray(2)]))).toEqual({ kind: 'iso-21496-1' });
  });

  it('finds none in a plain JPEG or bytes that are no JPEG', () => {
    expect(gainMapOf(fixture('photos/pier.jpg'))).toBeUndefined();
    expect(gainMapOf(Buffer.from('not a jpeg'))).toBeUndefined();
  });
});
