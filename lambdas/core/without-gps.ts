import { crc32 } from 'node:zlib';
import exifReader from 'exif-reader';

/*
 * An image's bytes without where it was taken: a saved copy of a shared photo whose link never handed out its
 * original (lambdas/albums/functions/save-shared). Nothing is encoded again and no byte moves: every EXIF block's GPS
 * directory is emptied in place (its values and entries zeroed, its count 0) and every XMP `exif:GPS...` property is
 * overwritten with spaces (whitespace where XML allows it), so the pixels, the camera, the date and the rest of the
 * metadata stay byte for byte. A JPEG's EXIF is found in its APP1 segments; a TIFF is an EXIF block itself; a PNG's
 * is its `eXIf` chunk (each chunk's CRC written again after); any other container's (WebP's `EXIF` chunk, HEIF's
 * Exif item) by its `Exif\0\0` header. No library the project has edits EXIF without re-encoding (exif-reader only
 * reads; sharp writes only the EXIF it is given, re-encoding, and API functions do not carry it). Buffer in, Buffer
 * out: no AWS, no native module.
 */

const JPEG_SOI = 0xffd8;
const EXIF_HEADER = Buffer.from('Exif\0\0', 'latin1');
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const XMP_GPS = Buffer.from('exif:GPS', 'latin1');
const GPS_IFD_TAG = 0x8825;
/** Bytes per value of each TIFF type (BYTE, ASCII, SHORT, LONG, RATIONAL, SBYTE, UNDEFINED, SSHORT, SLONG, SRATIONAL). */
const TYPE_SIZES: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8 };
/** An XMP GPS property, as an attribute or as an element (exif:GPSLatitude, exif:GPSLongitude...). */
const XMP_GPS_ATTRIBUTE = /\s+exif:GPS\w+\s*=\s*("[^"]*"|'[^']*')/g;
const XMP_GPS_ELEMENT = /<exif:GPS(\w+)\b[^>]*?(?:\/>|>[\s\S]*?<\/exif:GPS\1\s*>)/g;

/** The bytes without a position (a copy), and whether there was one to take out. */
export function withoutGps(bytes: Buffer): { bytes: Buffer; removed: boolean } {
  const out = Buffer.from(bytes);
  if (out.length > 2 && out.readUInt16BE(0) === JPEG_SOI) {
    jpegWithoutGps(out);
  } else {
    const order = out.toString('latin1', 0, 4);
    if (order === 'II*\0' || order === 'MM\0*') emptyGpsDirectory(out);
    if (out.subarray(0, 8).equals(PNG_SIGNATURE)) pngWithoutGps(out);
    for (let at = out.indexOf(EXIF_HEADER); at >= 0; at = out.indexOf(EXIF_HEADER, at + 1)) {
      emptyGpsDirectory(out.subarray(at + EXIF_HEADER.length));
    }
  }
  blankXmpGps(out);
  if (out.subarray(0, 8).equals(PNG_SIGNATURE)) writePngCrcs(out);
  return { bytes: out, removed: !out.equals(bytes) };
}

/** Whether EXIF holds a latitude or a longitude. */
export function hasGps(exif: Buffer | undefined): boolean {
  if (!exif || exif.length === 0) return false;
  try {
    const gps = exifReader(exif).GPSInfo;
    return gps?.GPSLatitude !== undefined || gps?.GPSLongitude !== undefined;
  } catch {
    return false;
  }
}

/** Each `eXIf` chunk's GPS directory emptied (its CRC is written again by writePngCrcs). */
function pngWithoutGps(png: Buffer): void {
  for (let at = 8; at + 12 <= png.length; ) {
    const length = png.readUInt32BE(at);
    if (png.toString('latin1', at + 4, at + 8) === 'eXIf' && at + 8 + length <= png.length) {
      emptyGpsDirectory(png.subarray(at + 8, at + 8 + length));
    }
    at += 12 + length;
  }
}

/** Every chunk's CRC, as its type and data are now (a chunk left alone gets the CRC it had). */
function writePngCrcs(png: Buffer): void {
  for (let at = 8; at + 12 <= png.length; ) {
    const length = png.readUInt32BE(at);
    if (at + 12 + length > png.length) return;
    png.writeUInt32BE(crc32(png.subarray(at + 4, at + 8 + length)), at + 8 + length);
    at += 12 + length;
  }
}

/** Every XMP GPS property (`exif:GPSLatitude="..."`, `<exif:GPSLongitude>...</exif:GPSLongitude>`) as spaces. */
function blankXmpGps(bytes: Buffer): void {
  if (bytes.indexOf(XMP_GPS) < 0) return;
  const text = bytes.toString('latin1');
  for (const pattern of [XMP_GPS_ATTRIBUTE, XMP_GPS_ELEMENT]) {
    for (const match of text.matchAll(pattern)) bytes.fill(0x20, match.index, match.index + match[0].length);
  }
}

/** A JPEG's APP1 EXIF blocks, before its scan, each with its GPS directory emptied in place. */
function jpegWithoutGps(jpeg: Buffer): void {
  let at = 2;
  while (at + 4 <= jpeg.length && jpeg[at] === 0xff) {
    const marker = jpeg[at + 1] as number;
    // Fill bytes, or a marker without a length (TEM, RSTn).
    if (marker === 0xff) {
      at += 1;
      continue;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      at += 2;
      continue;
    }
    // The scan starts: everything from here is the image's data.
    if (marker === 0xda || marker === 0xd9) return;
    const end = at + 2 + jpeg.readUInt16BE(at + 2);
    if (end > jpeg.length) return;
    const payload = jpeg.subarray(at + 4, end);
    if (marker === 0xe1 && payload.subarray(0, EXIF_HEADER.length).equals(EXIF_HEADER)) {
      emptyGpsDirectory(payload.subarray(EXIF_HEADER.length));
    }
    at = end;
  }
}

/**
 * Empty a TIFF block's GPS directory in place: each entry's values zeroed (those stored apart from the entry too),
 * then its entries, and its count set to 0, so a reader finds the directory and nothing in it. Lengths and every
 * other offset are unchanged. A directory that points outside the block is left alone (no reader can follow it).
 */
function emptyGpsDirectory(tiff: Buffer): void {
  if (tiff.length < 8) return;
  const order = tiff.toString('latin1', 0, 2);
  if (order !== 'II' && order !== 'MM') return;
  const le = order === 'II';
  const u16 = (at: number) => (le ? tiff.readUInt16LE(at) : tiff.readUInt16BE(at));
  const u32 = (at: number) => (le ? tiff.readUInt32LE(at) : tiff.readUInt32BE(at));
  const ifd0 = u32(4);
  if (ifd0 + 2 > tiff.length) return;
  const entries = u16(ifd0);
  let gps: number | undefined;
  for (let i = 0; i < entries; i++) {
    const entry = ifd0 + 2 + i * 12;
    if (entry + 12 > tiff.length) return;
    if (u16(entry) === GPS_IFD_TAG) gps = u32(entry + 8);
  }
  if (gps === undefined || gps + 2 > tiff.length) return;
  const count = u16(gps);
  const last = gps + 2 + count * 12;
  if (last > tiff.length) return;
  for (let i = 0; i < count; i++) {
    const entry = gps + 2 + i * 12;
    const size = (TYPE_SIZES[u16(entry + 2)] ?? 1) * u32(entry + 4);
    const offset = u32(entry + 8);
    if (size > 4 && offset + size <= tiff.length) tiff.fill(0, offset, offset + size);
  }
  // The count, the entries, and the pointer to a next directory (none: a GPS directory has none).
  tiff.fill(0, gps, Math.min(tiff.length, last + 4));
}
