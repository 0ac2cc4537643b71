import sharp from 'sharp';
import { analyzeImage } from '../../../../lambdas/core/analysis/analyze';
import { pictureOf } from '../../../../lambdas/core/analysis/container';
import { rawPicture } from '../../../../lambdas/core/analysis/raw/preview';
import { sniffFormat } from '../../../../lambdas/core/analysis/sniff';
import { ImageRejectedError } from '../../../../lambdas/core/errors';
import type { ProcessedRecord, RejectedRecord } from '../../../../lambdas/core/record';
import { fixture } from '../../../fixtures';
import { MOSAIC, makeArw, makeCr2, makeDng, makeNef, partsOf, SHOT } from '../../../fixtures/make-raw';
import { Blob, Ifd, layOut, tiffHead } from '../../../fixtures/raw-writer';

const RAWS = [
  ['raw/forest.dng', 'dng'],
  ['raw/boats-turned.nef', 'nef'],
  ['raw/cups.cr2', 'cr2'],
  ['raw/kite.arw', 'arw'],
  ['raw/leaf.raf', 'raf'],
  ['raw/pier.cr3', 'cr3'],
] as const;

async function processed(bytes: Buffer): Promise<ProcessedRecord> {
  const { record } = await analyzeImage(bytes, { includeGps: true });
  if (record.status !== 'PROCESSED') throw new Error(`expected PROCESSED, got ${JSON.stringify(record)}`);
  return record;
}

async function rejected(bytes: Buffer): Promise<RejectedRecord> {
  const { record } = await analyzeImage(bytes);
  if (record.status !== 'REJECTED') throw new Error(`expected REJECTED, got ${JSON.stringify(record)}`);
  return record;
}

describe('sniffing camera RAW kinds by their bytes', () => {
  it.each(RAWS)('%s is %s', (name, kind) => {
    expect(sniffFormat(fixture(name))).toBe(kind);
  });

  it('keeps a plain TIFF a TIFF', () => {
    expect(sniffFormat(fixture('formats/forest.tiff'))).toBe('tiff');
  });

  it("keeps a camera maker's plain TIFF (no SubIFDs, no DNGVersion) a TIFF", () => {
    const strip = new Blob(Buffer.alloc(12));
    const ifd0 = new Ifd({
      256: { long: [2] },
      257: { long: [2] },
      258: { short: [8, 8, 8] },
      262: { short: [2] },
      271: { ascii: 'NIKON CORPORATION' },
      273: { offsetOf: [strip] },
      277: { short: [3] },
      279: { lengthOf: strip },
    });
    const tiff = layOut(tiffHead(true), [ifd0, strip], true, (_, u32) => u32(ifd0.offset, 4));
    expect(sniffFormat(tiff)).toBe('tiff');
  });

  it('knows ORF by its magic, RAF by its header and CR3 by its brand', () => {
    expect(sniffFormat(Buffer.from('IIRO\x08\x00\x00\x00', 'latin1'))).toBe('orf');
    expect(sniffFormat(Buffer.from('MMOR\x00\x00\x00\x08', 'latin1'))).toBe('orf');
    expect(sniffFormat(Buffer.from('FUJIFILMCCD-RAW 0201', 'latin1'))).toBe('raf');
    expect(sniffFormat(Buffer.from('\x00\x00\x00\x18ftypcrx \x00\x00\x00\x01crx isom', 'latin1'))).toBe('cr3');
  });
});

describe('the picture inside a RAW: its largest embedded JPEG', () => {
  it.each(RAWS)('%s gives its 1024x640 preview, a JPEG sharp decodes', async (name, kind) => {
    const picture = pictureOf(fixture(name), kind);
    expect(picture).toMatchObject({
      format: 'jpeg',
      container: kind,
      raw: { kind, preview: { width: 1024, height: 640 } },
    });
    const meta = await sharp(picture.bytes).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 1024, 640]);
  });

  it('takes the full-size preview, not the thumbnails beside it (CR2: IFD0 strip, IFD1 thumbnail)', () => {
    const { facts } = rawPicture(fixture('raw/cups.cr2'), 'cr2');
    expect(facts.preview).toEqual({ width: 1024, height: 640 });
  });

  it("says the sensor's size from the raw data's IFD", () => {
    expect(rawPicture(fixture('raw/forest.dng'), 'dng').facts.sensor).toEqual(MOSAIC);
    expect(rawPicture(fixture('raw/leaf.raf'), 'raf').facts.sensor).toEqual(MOSAIC);
  });

  it('hands a plain image over as it is', () => {
    const bytes = fixture('photos/kite.jpg');
    expect(pictureOf(bytes, 'jpeg')).toEqual({ bytes, format: 'jpeg', container: 'jpeg' });
  });
});

describe('a RAW analysed', () => {
  it.each(RAWS)("%s is PROCESSED with the camera's metadata and the preview's size", async (name, kind) => {
    const record = await processed(fixture(name));
    expect(record.metadata).toMatchObject({ format: kind, raw: { kind, preview: { width: 1024, height: 640 } } });
    expect(record.metadata.exif).toMatchObject({
      make: expect.any(String),
      model: expect.any(String),
      takenAt: '2024-05-17T09:30:12',
      lens: expect.any(String),
      exposure: { seconds: 0.004, fNumber: 5.6, iso: SHOT.iso, focalLengthMm: 50 },
      gps: { latitude: expect.closeTo(SHOT.gps.latitude, 4), longitude: expect.closeTo(SHOT.gps.longitude, 4) },
    });
  });

  it("turns the preview as the RAW's IFD0 says when the preview says nothing (NEF, Orientation 6)", async () => {
    const record = await processed(fixture('raw/boats-turned.nef'));
    expect(record.metadata).toMatchObject({ width: 640, height: 1024, orientation: 'portrait' });
    expect(record.metadata.exif).toMatchObject({ make: 'NIKON CORPORATION', model: 'NIKON Z 6_2' });
    const largest = (await analyzeImage(fixture('raw/boats-turned.nef'))).thumbnails[0];
    expect([largest?.width, largest?.height]).toEqual([640, 1024]);
  });

  it("lets the preview's own orientation win over the RAW's", async () => {
    const parts = await partsOf(fixture('photos/forest.jpg'), 800);
    // The preview says 8 (a quarter anticlockwise), IFD0 says 3 (a half turn): the preview is believed.
    parts.preview = await sharp(parts.preview).withMetadata({ orientation: 8 }).jpeg().toBuffer();
    const picture = pictureOf(makeDng(parts, { orientation: 3 }), 'dng');
    expect((await sharp(picture.bytes).metadata()).orientation).toBe(8);
    const record = await processed(makeDng(parts, { orientation: 3 }));
    expect([record.metadata.width, record.metadata.height]).toEqual([500, 800]);
  });

  it('keeps the pixels the camera rendered: the thumbnails are those of the preview JPEG itself', async () => {
    const raw = await analyzeImage(fixture('raw/kite.arw'));
    const preview = await analyzeImage(pictureOf(fixture('raw/kite.arw'), 'arw').bytes);
    expect(raw.thumbnails.map((t) => t.data)).toEqual(preview.thumbnails.map((t) => t.data));
    expect((raw.record as ProcessedRecord).hashes.phash).toBe((preview.record as ProcessedRecord).hashes.phash);
  });
});

describe('a RAW without a usable preview is REJECTED as RAW_NO_PREVIEW', () => {
  it('when it embeds none', async () => {
    const record = await rejected(fixture('raw/no-preview.dng'));
    expect(record.rejection).toEqual({ code: 'RAW_NO_PREVIEW', message: 'DNG: it embeds no JPEG preview' });
    expect(record.detectedFormat).toBe('dng');
  });

  it.each([
    ['NEF', makeNef],
    ['CR2', makeCr2],
    ['ARW', makeArw],
  ])('when a %s has only its thumbnail', async (kind, make) => {
    const parts = await partsOf(fixture('photos/cups.jpg'));
    const record = await rejected(make(parts, { withoutPreview: true }));
    expect(record.rejection.code).toBe('RAW_NO_PREVIEW');
    expect(record.rejection.message).toContain(kind);
  });

  it('when its largest preview is under 640 px', async () => {
    const record = await rejected(makeDng(await partsOf(fixture('photos/cups.jpg'), 320)));
    expect(record.rejection).toEqual({
      code: 'RAW_NO_PREVIEW',
      message: "DNG: its largest embedded preview is 320x200, under 640 px or a quarter of the sensor's 256 px",
    });
  });

  it('when the file is cut short through its preview', async () => {
    const dng = fixture('raw/forest.dng');
    const record = await rejected(dng.subarray(0, Math.floor(dng.length * 0.7)));
    expect(record.rejection.code).toBe('RAW_NO_PREVIEW');
    expect(record.rejection.message).toMatch(/runs past the end of the file .*truncated/);
  });

  it('when its preview is damaged past its header', async () => {
    const dng = Buffer.from(fixture('raw/forest.dng'));
    // The preview is the file's last part: overwrite its entropy-coded tail.
    dng.fill(0x00, dng.length - 20_000, dng.length - 2);
    const record = await rejected(dng);
    expect(record.rejection.code).toBe('RAW_NO_PREVIEW');
  });

  it('quickly, when its IFDs loop and claim counts past the end of the file', async () => {
    const ifd0 = new Ifd({
      271: { ascii: 'Canon' },
      // 2^28 SHORTs claimed, in a 300-byte file: a reader that trusts the count spends seconds on it.
      273: { short: [1] },
      50706: { byte: [1, 4, 0, 0] },
    });
    const file = layOut(tiffHead(true), [ifd0], true, (_, u32) => u32(ifd0.offset, 4));
    const entries = file.readUInt16LE(8);
    for (let i = 0; i < entries; i++) {
      if (file.readUInt16LE(10 + i * 12) === 273) file.writeUInt32LE(0x10000000, 10 + i * 12 + 4);
    }
    // The next IFD is IFD0 again.
    file.writeUInt32LE(8, 10 + entries * 12);
    const started = performance.now();
    expect(() => rawPicture(file, 'dng')).toThrow(ImageRejectedError);
    // utif2's UTIF.decode took 34 s on this count before it threw: here the count is checked against the file.
    expect(performance.now() - started).toBeLessThan(1000);
    expect((await rejected(file)).rejection.code).toBe('RAW_NO_PREVIEW');
  });
});
