import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import exifReader from 'exif-reader';
import sharp from 'sharp';
import { readExif } from '../../../lambdas/core/analysis/exif';
import { hasGps, withoutGps } from '../../../lambdas/core/without-gps';

const fixture = (...path: string[]) => readFileSync(join(__dirname, '../../fixtures', ...path));

/** Where the JPEG's scan starts: what follows is its compressed pixels. */
function scanOf(jpeg: Buffer): Buffer {
  return jpeg.subarray(jpeg.indexOf(Buffer.from([0xff, 0xda])));
}

const LOCATED = {
  IFD0: { Make: 'Acme', Model: 'One' },
  IFD3: {
    GPSLatitudeRef: 'N',
    GPSLatitude: '47/1 33/1 3600/100',
    GPSLongitudeRef: 'E',
    GPSLongitude: '7/1 35/1 2400/100',
  },
};

describe('withoutGps: a copy that does not say where it was taken, nothing encoded again', () => {
  it('empties a JPEG EXIF GPS directory and keeps its camera, date and pixels byte for byte', async () => {
    const original = fixture('places', 'basel.jpg');
    const before = (await sharp(original).metadata()).exif;
    expect(readExif(before, true)?.gps).toBeDefined();

    const { bytes, removed } = withoutGps(original);

    expect(removed).toBe(true);
    expect(bytes.length).toBe(original.length);
    const exif = (await sharp(bytes).metadata()).exif;
    expect(hasGps(exif)).toBe(false);
    expect(exifReader(exif as Buffer).GPSInfo?.GPSLatitude).toBeUndefined();
    expect(readExif(exif, true)).toEqual(readExif(before, false));
    expect(scanOf(bytes).equals(scanOf(original))).toBe(true);
    // The original's own bytes are not touched.
    expect(hasGps((await sharp(original).metadata()).exif)).toBe(true);
  });

  it('leaves a JPEG without a position as it is', () => {
    const original = fixture('places', 'no-gps.jpg');
    const { bytes, removed } = withoutGps(original);
    expect(removed).toBe(false);
    expect(bytes.equals(original)).toBe(true);
  });

  it("blanks the GPS properties of a JPEG's XMP and keeps the rest of it, every byte where it was", () => {
    const xmp = Buffer.from(
      '<x:xmpmeta><rdf:RDF><rdf:Description exif:GPSLatitude="47,33.6N" tiff:Make="Acme">' +
        '<exif:GPSLongitude>7,35.4E</exif:GPSLongitude><dc:title>Boats</dc:title></rdf:Description></rdf:RDF></x:xmpmeta>',
    );
    const payload = Buffer.concat([Buffer.from('http://ns.adobe.com/xap/1.0/\0', 'latin1'), xmp]);
    const head = Buffer.from([0xff, 0xe1, 0, 0]);
    head.writeUInt16BE(payload.length + 2, 2);
    const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8]), head, payload, Buffer.from([0xff, 0xda, 1, 2, 3])]);

    const { bytes } = withoutGps(jpeg);
    const text = bytes.toString('latin1');

    expect(bytes.length).toBe(jpeg.length);
    expect(text).not.toContain('GPS');
    expect(text).not.toContain('47,33.6N');
    expect(text).toContain('tiff:Make="Acme"');
    expect(text).toContain('<dc:title>Boats</dc:title>');
    expect(text.endsWith('\xff\xda\x01\x02\x03')).toBe(true);
  });

  it.each([
    ['png', (image: sharp.Sharp) => image.png()],
    ['webp', (image: sharp.Sharp) => image.webp()],
    ['heif', (image: sharp.Sharp) => image.avif()],
  ])('empties the GPS of a %s and it still decodes, the same pixels', async (format, encode) => {
    const located = await encode(sharp(fixture('formats', 'forest.png')).withExif(LOCATED)).toBuffer();
    expect(hasGps((await sharp(located).metadata()).exif)).toBe(true);

    const { bytes, removed } = withoutGps(located);

    expect(removed).toBe(true);
    expect(bytes.length).toBe(located.length);
    const metadata = await sharp(bytes).metadata();
    expect(metadata.format).toBe(format);
    expect(hasGps(metadata.exif)).toBe(false);
    expect(readExif(metadata.exif, false)?.make).toBe('Acme');
    const pixels = async (image: Buffer) => (await sharp(image).raw().toBuffer()).toString('base64');
    expect(await pixels(bytes)).toBe(await pixels(located));
  });

  it('empties the GPS directory of a TIFF, which is an EXIF block itself', async () => {
    const exif = (await sharp(fixture('places', 'basel.jpg')).metadata()).exif as Buffer;
    const tiff = exif.subarray(6);
    expect(hasGps(exif)).toBe(true);

    const { bytes, removed } = withoutGps(tiff);

    expect(removed).toBe(true);
    expect(hasGps(Buffer.concat([exif.subarray(0, 6), bytes]))).toBe(false);
    expect(readExif(Buffer.concat([exif.subarray(0, 6), bytes]), false)).toEqual(readExif(exif, false));
  });
});
