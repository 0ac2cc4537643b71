import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import exifReader from 'exif-reader';
import sharp from 'sharp';
import { readExif } from '../../../lambdas/core/analysis/exif';
import { hasGps, jpegWithoutGps, withoutGps } from '../../../lambdas/core/without-gps';

const fixture = (...path: string[]) => readFileSync(join(__dirname, '../../fixtures', ...path));

/** Where the JPEG's scan starts: what follows is its compressed pixels. */
function scanOf(jpeg: Buffer): Buffer {
  return jpeg.subarray(jpeg.indexOf(Buffer.from([0xff, 0xda])));
}

describe('withoutGps: a copy that does not say where it was taken', () => {
  it('empties a JPEG EXIF GPS directory and keeps its camera, date and pixels byte for byte', async () => {
    const original = fixture('places', 'basel.jpg');
    expect(readExif((await sharp(original).metadata()).exif, true)?.gps).toBeDefined();

    const { bytes, removal } = await withoutGps(original);

    expect(removal).toBe('in-place');
    expect(bytes.length).toBe(original.length);
    const exif = (await sharp(bytes).metadata()).exif;
    expect(hasGps(exif)).toBe(false);
    expect(exifReader(exif as Buffer).GPSInfo?.GPSLatitude).toBeUndefined();
    expect(readExif(exif, true)).toEqual(readExif((await sharp(original).metadata()).exif, false));
    expect(scanOf(bytes).equals(scanOf(original))).toBe(true);
  });

  it('leaves a JPEG without a position as it is', async () => {
    const original = fixture('places', 'no-gps.jpg');
    const { bytes, removal } = await withoutGps(original);
    expect(removal).toBe('none');
    expect(bytes.equals(original)).toBe(true);
  });

  it("takes the GPS properties out of a JPEG's XMP and keeps the rest of it", () => {
    const xmp = Buffer.from(
      '<x:xmpmeta><rdf:RDF><rdf:Description exif:GPSLatitude="47,33.6N" tiff:Make="Acme">' +
        '<exif:GPSLongitude>7,35.4E</exif:GPSLongitude><dc:title>Boats</dc:title></rdf:Description></rdf:RDF></x:xmpmeta>',
    );
    const payload = Buffer.concat([Buffer.from('http://ns.adobe.com/xap/1.0/\0', 'latin1'), xmp]);
    const head = Buffer.from([0xff, 0xe1, 0, 0]);
    head.writeUInt16BE(payload.length + 2, 2);
    const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8]), head, payload, Buffer.from([0xff, 0xda, 1, 2, 3])]);

    const text = jpegWithoutGps(jpeg).toString('latin1');

    expect(text).not.toContain('GPS');
    expect(text).toContain('tiff:Make="Acme"');
    expect(text).toContain('<dc:title>Boats</dc:title>');
    expect(text.endsWith('\xff\xda\x01\x02\x03')).toBe(true);
  });

  it('encodes a PNG with a position again, in PNG, without it', async () => {
    const png = await sharp(fixture('formats', 'forest.png'))
      .withExif({ IFD0: { Make: 'Acme' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '47/1 33/1 3600/100' } })
      .png()
      .toBuffer();
    expect(hasGps((await sharp(png).metadata()).exif)).toBe(true);

    const { bytes, removal } = await withoutGps(png);

    expect(removal).toBe('re-encoded');
    const metadata = await sharp(bytes).metadata();
    expect(metadata.format).toBe('png');
    expect(hasGps(metadata.exif)).toBe(false);
    expect(readExif(metadata.exif, false)?.make).toBe('Acme');
  });
});
