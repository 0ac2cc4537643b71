import exifReader from 'exif-reader';
import sharp from 'sharp';

/*
 * An image's bytes without where it was taken: a saved copy of a shared photo whose link never handed out its
 * position (lambdas/albums/functions/save-shared). A JPEG loses only its position: its EXIF GPS directory is emptied
 * in place (every other byte, the pixels' too, stays as it was) and the GPS properties of its XMP are taken out. No
 * library the project has edits EXIF without re-encoding (exif-reader only reads, sharp writes the EXIF it is given
 * and re-encodes), so any other format that holds a position is re-encoded by sharp in its own format at high quality
 * (lossless where the format has it) with its camera, date and orientation tags and its colour profile, never the
 * rest of its metadata. Buffer in, Buffer out: no AWS.
 */

/** What was done: nothing (no position in it), the JPEG edited in place, or the image encoded again. */
export type GpsRemoval = 'none' | 'in-place' | 're-encoded';

export interface WithoutGps {
  bytes: Buffer;
  removal: GpsRemoval;
}

const JPEG_SOI = 0xffd8;
const EXIF_HEADER = Buffer.from('Exif\0\0', 'latin1');
const XMP_HEADER = Buffer.from('http://ns.adobe.com/xap/1.0/\0', 'latin1');
const GPS_IFD_TAG = 0x8825;
/** Bytes per value of each TIFF type (BYTE, ASCII, SHORT, LONG, RATIONAL, SBYTE, UNDEFINED, SSHORT, SLONG, SRATIONAL). */
const TYPE_SIZES: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8 };
/** An XMP GPS property, as an attribute or as an element (exif:GPSLatitude, exif:GPSLongitude...). */
const XMP_GPS_ATTRIBUTE = /\s+exif:GPS\w+\s*=\s*("[^"]*"|'[^']*')/g;
const XMP_GPS_ELEMENT = /<exif:GPS(\w+)\b[^>]*?(?:\/>|>[\s\S]*?<\/exif:GPS\1\s*>)/g;

/** The bytes without a position: the same bytes when they hold none. */
export async function withoutGps(bytes: Buffer): Promise<WithoutGps> {
  if (bytes.length > 2 && bytes.readUInt16BE(0) === JPEG_SOI) {
    const edited = jpegWithoutGps(bytes);
    return edited.equals(bytes) ? { bytes, removal: 'none' } : { bytes: edited, removal: 'in-place' };
  }
  const image = sharp(bytes, { animated: true });
  const metadata = await image.metadata();
  if (!hasGps(metadata.exif) && !/exif:GPS/.test(metadata.xmp?.toString('utf8') ?? '')) {
    return { bytes, removal: 'none' };
  }
  const exif = keptExif(metadata.exif);
  const format = metadata.format === 'heif' ? 'heif' : metadata.format;
  let encoder = image.keepIccProfile().withExif(exif);
  if (format === 'png') encoder = encoder.png({ compressionLevel: 9 });
  else if (format === 'webp') encoder = encoder.webp({ quality: 95 });
  else if (format === 'gif') encoder = encoder.gif();
  else if (format === 'tiff') encoder = encoder.tiff({ quality: 95 });
  else if (format === 'heif') encoder = encoder.avif({ quality: 90 });
  else encoder = encoder.jpeg({ quality: 95, chromaSubsampling: '4:4:4' });
  return { bytes: await encoder.toBuffer(), removal: 're-encoded' };
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

/** The tags a re-encoded copy keeps: camera, when it was taken, orientation (as sharp's `withExif` takes them). */
function keptExif(exif: Buffer | undefined): { IFD0?: Record<string, string>; IFD2?: Record<string, string> } {
  if (!exif) return {};
  let tags: ReturnType<typeof exifReader>;
  try {
    tags = exifReader(exif);
  } catch {
    return {};
  }
  const text = (value: unknown) => (typeof value === 'string' ? value.replace(/\0/g, '') : undefined);
  const date = (value: unknown) =>
    value instanceof Date && !Number.isNaN(value.getTime())
      ? value.toISOString().slice(0, 19).replace('T', ' ').replace(/-/g, ':')
      : undefined;
  const pick = (entries: [string, string | undefined][]) =>
    Object.fromEntries(entries.filter((entry): entry is [string, string] => entry[1] !== undefined));
  return {
    IFD0: pick([
      ['Make', text(tags.Image?.Make)],
      ['Model', text(tags.Image?.Model)],
      ['DateTime', date(tags.Image?.DateTime)],
    ]),
    IFD2: pick([['DateTimeOriginal', date(tags.Photo?.DateTimeOriginal)]]),
  };
}

/** A JPEG's segments before its scan, each APP1 without a position; the scan and after as they are. */
export function jpegWithoutGps(bytes: Buffer): Buffer {
  const parts: Buffer[] = [bytes.subarray(0, 2)];
  let at = 2;
  while (at + 4 <= bytes.length && bytes[at] === 0xff) {
    const marker = bytes[at + 1] as number;
    // Fill bytes, or a marker without a length (TEM, RSTn): copied as they are.
    if (marker === 0xff || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      parts.push(bytes.subarray(at, at + (marker === 0xff ? 1 : 2)));
      at += marker === 0xff ? 1 : 2;
      continue;
    }
    // The scan starts: everything from here is the image's data.
    if (marker === 0xda || marker === 0xd9) break;
    const length = bytes.readUInt16BE(at + 2);
    const end = at + 2 + length;
    if (length < 2 || end > bytes.length) break;
    const payload = bytes.subarray(at + 4, end);
    if (marker === 0xe1 && startsWith(payload, EXIF_HEADER)) {
      const copy = Buffer.from(payload);
      emptyGpsDirectory(copy.subarray(EXIF_HEADER.length));
      parts.push(bytes.subarray(at, at + 4), copy);
    } else if (marker === 0xe1 && startsWith(payload, XMP_HEADER)) {
      parts.push(segment(marker, xmpWithoutGps(payload)));
    } else {
      parts.push(bytes.subarray(at, end));
    }
    at = end;
  }
  parts.push(bytes.subarray(at));
  return Buffer.concat(parts);
}

function startsWith(payload: Buffer, header: Buffer): boolean {
  return payload.length >= header.length && payload.subarray(0, header.length).equals(header);
}

function segment(marker: number, payload: Buffer): Buffer {
  const head = Buffer.alloc(4);
  head[0] = 0xff;
  head[1] = marker;
  head.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([head, payload]);
}

/** An XMP packet without its `exif:GPS...` properties (attributes and elements alike). */
function xmpWithoutGps(payload: Buffer): Buffer {
  const packet = payload.subarray(XMP_HEADER.length).toString('utf8');
  const kept = packet.replace(XMP_GPS_ATTRIBUTE, '').replace(XMP_GPS_ELEMENT, '');
  return kept === packet ? payload : Buffer.concat([XMP_HEADER, Buffer.from(kept, 'utf8')]);
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
