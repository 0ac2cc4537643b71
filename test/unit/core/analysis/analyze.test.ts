import sharp from 'sharp';
import { analyzeImage } from '../../../../lambdas/core/analysis/analyze';
import { hammingDistance } from '../../../../lambdas/core/analysis/phash';
import type { AnalyzeOptions } from '../../../../lambdas/core/options';
import {
  type AnalysisRecord,
  AnalysisRecordSchema,
  type ProcessedRecord,
  type RejectedRecord,
} from '../../../../lambdas/core/record';
import { fixture } from '../../../fixtures';

async function processed(file: string, options?: AnalyzeOptions): Promise<ProcessedRecord> {
  const { record } = await analyzeImage(fixture(file), options);
  expect(AnalysisRecordSchema.parse(record)).toEqual(record);
  if (record.status !== 'PROCESSED') throw new Error(`${file}: ${JSON.stringify(record)}`);
  return record;
}

async function rejected(bytes: Buffer, options?: AnalyzeOptions): Promise<RejectedRecord> {
  const { record, thumbnails } = await analyzeImage(bytes, options);
  expect(AnalysisRecordSchema.parse(record)).toEqual(record);
  expect(thumbnails).toEqual([]);
  if (record.status !== 'REJECTED') throw new Error(`expected REJECTED: ${JSON.stringify(record)}`);
  return record;
}

describe('analyzeImage on accepted formats', () => {
  it.each([
    ['photos/forest.jpg', 'jpeg', 1280, 800],
    ['formats/forest.png', 'png', 640, 400],
    ['formats/forest.webp', 'webp', 640, 400],
    ['formats/forest.avif', 'avif', 640, 400],
    ['formats/forest.tiff', 'tiff', 640, 400],
    ['formats/forest.heic', 'heic', 640, 400],
    ['formats/animated.gif', 'gif', 96, 64],
  ])('processes %s as %s, %ix%i', async (file, format, width, height) => {
    const { metadata } = await processed(file);
    expect(metadata).toMatchObject({ format, width, height, orientation: 'landscape' });
    expect(metadata.aspectRatio).toBeCloseTo(width / height, 3);
  });

  it('sees the same picture in every format (perceptual hashes within 6)', async () => {
    const reference = (await processed('formats/forest.png')).hashes.phash;
    for (const file of ['formats/forest.webp', 'formats/forest.avif', 'formats/forest.heic', 'formats/forest.tiff']) {
      const { phash } = (await processed(file)).hashes;
      expect(hammingDistance(phash, reference)).toBeLessThanOrEqual(6);
    }
  });

  it('hashes the original bytes with SHA-256', async () => {
    const { hashes } = await processed('photos/kite.jpg');
    const { createHash } = await import('node:crypto');
    expect(hashes.sha256).toBe(createHash('sha256').update(fixture('photos/kite.jpg')).digest('hex'));
  });

  it('auto-orients from EXIF before anything else: a stored 640x400 with orientation 6 is a 400x640 portrait', async () => {
    const record = await processed('formats/rotated-exif6.jpg');
    expect(record.metadata).toMatchObject({ width: 400, height: 640, orientation: 'portrait' });
    expect(record.thumbnails.find((t) => t.size === 128)).toMatchObject({ width: 80, height: 128 });
  });

  it('says whether the file names an EXIF orientation: vision may look at a picture turned only when it does not', async () => {
    expect((await analyzeImage(fixture('formats/rotated-exif6.jpg'))).orientationTagged).toBe(true);
    expect((await analyzeImage(fixture('formats/forest.png'))).orientationTagged).toBe(false);
  });

  it('converts CMYK to sRGB and reports the source colour space', async () => {
    const record = await processed('formats/cmyk.jpg');
    expect(record.metadata.colorSpace).toBe('cmyk');
    const { thumbnails } = await analyzeImage(fixture('formats/cmyk.jpg'));
    expect((await sharp(thumbnails[0]?.data).metadata()).space).toBe('srgb');
  });

  it('reports 16-bit depth for a 16-bit PNG and still makes 8-bit thumbnails', async () => {
    const record = await processed('formats/16bit.png');
    expect(record.metadata).toMatchObject({ bitDepth: 16, colorSpace: 'rgb16' });
  });

  it('reports alpha', async () => {
    expect((await processed('formats/alpha.png')).metadata.hasAlpha).toBe(true);
    expect((await processed('photos/forest.jpg')).metadata.hasAlpha).toBe(false);
  });

  it('reports an animated GIF with its frame count', async () => {
    expect((await processed('formats/animated.gif')).metadata).toMatchObject({ isAnimated: true, pages: 4 });
  });

  it('keeps camera make, model and time but leaves GPS out unless asked', async () => {
    const without = await processed('formats/exif-gps.jpg');
    expect(without.metadata.exif).toEqual({ make: 'Fixture Camera Co', model: 'FC-1', takenAt: '2024-05-17T09:30:12' });
    const withGps = await processed('formats/exif-gps.jpg', { includeGps: true });
    expect(withGps.metadata.exif?.gps?.latitude).toBeCloseTo(48.8582, 3);
    expect(withGps.metadata.exif?.gps?.longitude).toBeCloseTo(2.2945, 3);
  });
});

describe('thumbnails', () => {
  it('makes WebP thumbnails at 128, 512 and 1024 by default, longest side first', async () => {
    const { record, thumbnails } = await analyzeImage(fixture('photos/forest.jpg'));
    expect(thumbnails.map(({ size, width, height, format }) => ({ size, width, height, format }))).toEqual([
      { size: 1024, width: 1024, height: 640, format: 'webp' },
      { size: 512, width: 512, height: 320, format: 'webp' },
      { size: 128, width: 128, height: 80, format: 'webp' },
    ]);
    for (const thumbnail of thumbnails) {
      const meta = await sharp(thumbnail.data).metadata();
      expect(meta).toMatchObject({ format: 'webp', width: thumbnail.width, height: thumbnail.height });
      expect(thumbnail.bytes).toBe(thumbnail.data.length);
    }
    expect((record as ProcessedRecord).thumbnails).toEqual(thumbnails.map(({ data: _data, ...entry }) => entry));
  });

  it('never upscales: a 200 px image gives 200 px for the larger sizes', async () => {
    const { thumbnails } = (await analyzeImage(fixture('formats/alpha.png'))) as {
      thumbnails: { size: number; width: number }[];
    };
    expect(thumbnails.map(({ size, width }) => [size, width])).toEqual([
      [1024, 200],
      [512, 200],
      [128, 128],
    ]);
  });

  it('strips EXIF from thumbnails', async () => {
    const { thumbnails } = await analyzeImage(fixture('formats/exif-gps.jpg'));
    for (const thumbnail of thumbnails) expect((await sharp(thumbnail.data).metadata()).exif).toBeUndefined();
  });

  it('honours configured sizes', async () => {
    const record = await processed('photos/forest.jpg', { thumbnailSizes: [300, 64] });
    expect(record.thumbnails.map((t) => [t.size, t.width, t.height])).toEqual([
      [300, 300, 188],
      [64, 64, 40],
    ]);
  });

  it('can hand back the oriented RGB raster for inference', async () => {
    const { raster } = await analyzeImage(fixture('formats/rotated-exif6.jpg'), { keepRaster: true });
    expect(raster).toMatchObject({ width: 400, height: 640, channels: 3 });
    expect(raster?.data.length).toBe(400 * 640 * 3);
  });

  it('hands back, if asked, the decoded pixels the largest thumbnail was encoded from, alpha kept', async () => {
    const { pixels, thumbnails } = await analyzeImage(fixture('formats/alpha.png'), { keepPixels: true });
    expect(pixels).toMatchObject({ width: 200, height: 200, channels: 4 });
    const fromPixels = await sharp(pixels?.data, { raw: { width: 200, height: 200, channels: 4 } })
      .webp({ quality: 80, effort: 4 })
      .toBuffer();
    expect(fromPixels.equals(thumbnails[0]?.data as Buffer)).toBe(true);
    expect((await analyzeImage(fixture('formats/alpha.png'))).pixels).toBeUndefined();
  });

  it('hands back pixels oriented and shrunk as the largest thumbnail is', async () => {
    const { pixels } = await analyzeImage(fixture('formats/rotated-exif6.jpg'), {
      keepPixels: true,
      thumbnailSizes: [320],
    });
    expect(pixels).toMatchObject({ width: 200, height: 320, channels: 3 });
  });
});

describe('analyzeImage on bad input', () => {
  it.each([
    ['bad/empty.jpg', 'EMPTY_FILE'],
    ['bad/text.jpg', 'UNSUPPORTED_FORMAT'],
    ['bad/image.svg', 'UNSUPPORTED_FORMAT'],
    ['bad/truncated.jpg', 'CORRUPT_IMAGE'],
    ['bad/bomb-20000.png', 'PIXEL_LIMIT_EXCEEDED'],
    ['bad/huge-dimensions.png', 'PIXEL_LIMIT_EXCEEDED'],
  ])('rejects %s with %s', async (file, code) => {
    const record = await rejected(fixture(file));
    expect(record.rejection.code).toBe(code);
    expect(record.rejection.message.length).toBeGreaterThan(10);
  });

  // From the header's size, which only readHeader says (decode.ts), before a pixel is decoded: a clock would say it
  // too, but a loaded machine's clock says nothing about the code (the benchmarks measure time, bench/).
  it.each(['bad/bomb-20000.png', 'bad/huge-dimensions.png'])(
    'refuses %s from its header, before decoding it',
    async (file) => {
      const record = await rejected(fixture(file));
      expect(record.rejection.message).toMatch(/^\d+x\d+ (is [\d.]+ MP, over the|has a side over the) /);
      expect(record.detectedFormat).toBe('png');
    },
  );

  it('says what a file really is when it lies about its type', async () => {
    const record = await processed('formats/forest.png');
    expect(record.metadata.format).toBe('png');
  });

  it('rejects a truncated PNG and a JPEG with corrupted scan data', async () => {
    const png = fixture('formats/forest.png');
    expect((await rejected(png.subarray(0, png.length >> 1))).rejection.code).toBe('CORRUPT_IMAGE');
    const jpeg = Buffer.from(fixture('photos/forest.jpg'));
    jpeg.fill(0xff, 5000, 5400);
    expect((await rejected(jpeg)).rejection.code).toBe('CORRUPT_IMAGE');
  });

  it('applies a configured pixel limit', async () => {
    const record = await rejected(fixture('photos/forest.jpg'), { maxPixels: 1_000_000 });
    expect(record.rejection).toEqual({
      code: 'PIXEL_LIMIT_EXCEEDED',
      message: '1280x800 is 1.0 MP, over the 1.0 MP limit',
    });
  });

  it('applies a frame limit to animations', async () => {
    expect((await rejected(fixture('formats/animated.gif'), { maxFrames: 3 })).rejection.code).toBe(
      'FRAME_LIMIT_EXCEEDED',
    );
  });

  it('applies a byte limit', async () => {
    expect((await rejected(fixture('photos/forest.jpg'), { maxBytes: 1000 })).rejection.code).toBe('FILE_TOO_LARGE');
  });

  it("holds a camera RAW to its own byte limit and every other format to maxBytes, whatever the RAW's", async () => {
    const jpeg = fixture('photos/forest.jpg');
    const dng = fixture('raw/forest.dng');
    const limits = { maxBytes: jpeg.length - 1, maxRawBytes: dng.length + jpeg.length };
    const refused = await rejected(jpeg, limits);
    expect(refused.rejection).toEqual({
      code: 'FILE_TOO_LARGE',
      message: `${jpeg.length} bytes, over the ${jpeg.length - 1} byte limit`,
    });
    expect(refused.detectedFormat).toBe('jpeg');
    expect((await analyzeImage(dng, { ...limits, maxBytes: 1000 })).record.status).toBe('PROCESSED');
    expect((await rejected(dng, { maxBytes: 1000 })).rejection.code).toBe('FILE_TOO_LARGE');
  });

  it('records the SHA-256 of rejected bytes so duplicates of bad uploads are recognisable', async () => {
    const record = await rejected(fixture('bad/text.jpg'));
    expect(record.hashes.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('rejects bad options loudly instead of guessing', async () => {
    await expect(analyzeImage(fixture('photos/forest.jpg'), { webpEffort: 9 })).rejects.toThrow();
  });
});

describe('the record', () => {
  it('is plain JSON that round-trips through the schema', async () => {
    const { record } = await analyzeImage(fixture('photos/boats.jpg'));
    const copy: AnalysisRecord = JSON.parse(JSON.stringify(record));
    expect(AnalysisRecordSchema.parse(copy)).toEqual(record);
    expect(record).toMatchObject({ status: 'PROCESSED', analysisVersion: expect.any(String), size: 226819 });
  });
});
