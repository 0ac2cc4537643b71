import { ImageRejectedError } from '../../errors';
import type { RawFacts } from '../../record';
import type { RawFormat } from '../../vocabulary';
import { cr3Exif, cr3Parts } from './bmff';
import { type JpegInfo, jpegInfo, withOrientation } from './jpeg';
import { allIfds, type Ifd, type Reader, TAG, walkTiff } from './tiff';

/*
 * A camera RAW's pictures come from the full-size JPEG preview the camera embedded, its own rendering of the sensor
 * data: no demosaicing here (docs/formats.md, "RAW"). This finds every JPEG the file holds, keeps the largest, and
 * gives it the RAW's orientation when it has none of its own.
 */

export interface Size {
  width: number;
  height: number;
}

export type { RawFacts };

export interface RawPicture {
  /** The preview JPEG, with the RAW's orientation when it had none of its own. */
  jpeg: Buffer;
  facts: RawFacts;
  /** A TIFF block exif-reader reads the camera's facts from (the RAW itself for the TIFF-based kinds). */
  exif?: Buffer;
}

/**
 * The smallest preview a RAW's pictures are made from: 640 px on its long side, and a quarter of the sensor's. A
 * camera's full-size or 1616 px preview passes; the 160 px thumbnail alone of a file stripped of its preview does not.
 */
export const MIN_PREVIEW_SIDE = 640;
const MIN_PREVIEW_FRACTION = 0.25;

/** What a kind's container says: where its JPEGs are, its sensor's size and orientation, its EXIF. */
interface Found {
  jpegs: [number, number][];
  sensor?: Size;
  orientation?: number;
  exif?: Buffer;
}

/** The RAW's preview and facts; a RAW without a usable preview is refused with `RAW_NO_PREVIEW`. */
export function rawPicture(bytes: Buffer, kind: RawFormat): RawPicture {
  const found = kind === 'raf' ? fromRaf(bytes) : kind === 'cr3' ? fromCr3(bytes) : fromTiff(bytes, kind);
  let best: { jpeg: Buffer; info: JpegInfo } | undefined;
  let pastTheEnd = 0;
  let unreadable = 0;
  for (const [offset, length] of found.jpegs) {
    if (length <= 0 || offset <= 0) continue;
    if (offset + length > bytes.length) {
      pastTheEnd++;
      continue;
    }
    const jpeg = bytes.subarray(offset, offset + length);
    const info = jpegInfo(jpeg);
    if (!info) unreadable++;
    else if (!best || info.width * info.height > best.info.width * best.info.height) best = { jpeg, info };
  }
  if (!best) {
    const why =
      pastTheEnd > 0
        ? `its preview runs past the end of the file (${bytes.length} bytes): truncated`
        : unreadable > 0
          ? 'its embedded preview is not a JPEG we can read'
          : 'it embeds no JPEG preview';
    throw new ImageRejectedError('RAW_NO_PREVIEW', `${kind.toUpperCase()}: ${why}`, kind);
  }
  const { width, height } = best.info;
  const long = Math.max(width, height);
  const sensorLong = found.sensor ? Math.max(found.sensor.width, found.sensor.height) : 0;
  if (long < MIN_PREVIEW_SIDE || long < sensorLong * MIN_PREVIEW_FRACTION) {
    throw new ImageRejectedError(
      'RAW_NO_PREVIEW',
      `${kind.toUpperCase()}: its largest embedded preview is ${width}x${height}, under ${MIN_PREVIEW_SIDE} px or a ` +
        `quarter of the sensor's ${sensorLong} px`,
      kind,
    );
  }
  // The preview's own orientation wins; else the RAW's, written into the preview's EXIF.
  const orientation = best.info.orientation ?? found.orientation;
  const jpeg =
    best.info.orientation === undefined && orientation !== undefined && orientation !== 1
      ? withOrientation(best.jpeg, orientation, best.info.exifSegments)
      : best.jpeg;
  const facts: RawFacts = { kind, preview: { width, height } };
  if (found.sensor) facts.sensor = found.sensor;
  return { jpeg, facts, exif: found.exif };
}

/**
 * DNG, CR2, NEF, ARW, ORF: every IFD's JPEG, as JPEGInterchangeFormat/Length (513/514) or as the one strip of an IFD
 * compressed as JPEG (259 = 6 or 7); a lossless JPEG (a CR2's or DNG's raw data) is no preview (jpeg.ts).
 */
function fromTiff(bytes: Buffer, kind: RawFormat): Found {
  const walked = walkTiff(bytes);
  if (!walked) return { jpegs: [] };
  const { tiff, reader } = walked;
  const jpegs: [number, number][] = [];
  const ifds = allIfds(tiff);
  for (const ifd of ifds) {
    const interchange = [reader.number(ifd, TAG.jpegOffset), reader.number(ifd, TAG.jpegLength)];
    if (interchange[0] !== undefined && interchange[1] !== undefined) jpegs.push(interchange as [number, number]);
    const compression = reader.number(ifd, TAG.compression);
    const strips = reader.numbers(ifd.entries.get(TAG.stripOffsets), 2);
    const counts = reader.numbers(ifd.entries.get(TAG.stripByteCounts), 2);
    if ((compression === 6 || compression === 7) && strips.length === 1 && counts.length === 1) {
      jpegs.push([strips[0] as number, counts[0] as number]);
    }
  }
  if (kind === 'orf') jpegs.push(...olympusPreview(bytes, reader, tiff.exif));
  const ifd0 = tiff.chain[0];
  const orientation = reader.number(ifd0, TAG.orientation);
  return {
    jpegs,
    sensor: sensorSize(ifds, reader, tiff.exif),
    orientation: orientation !== undefined && orientation >= 1 && orientation <= 8 ? orientation : undefined,
    // exif-reader reads a TIFF from its own header, which must say 42: an ORF's says RO.
    exif: kind === 'orf' ? undefined : bytes,
  };
}

/** The raw data's IFD (a colour filter array, or DNG's linear raw) says the sensor's size; else the EXIF IFD's. */
function sensorSize(ifds: Ifd[], reader: Reader, exif: Ifd | undefined): Size | undefined {
  for (const ifd of ifds) {
    const photometric = reader.number(ifd, TAG.photometric);
    if (photometric !== 32803 && photometric !== 34892) continue;
    const width = reader.number(ifd, TAG.width);
    const height = reader.number(ifd, TAG.height);
    if (width && height) return { width, height };
  }
  const width = reader.number(exif, TAG.exifWidth);
  const height = reader.number(exif, TAG.exifHeight);
  return width && height ? { width, height } : undefined;
}

/**
 * An Olympus ORF keeps its preview in its maker note (EXIF 37500): the CameraSettings IFD (tag 0x2020 of the maker
 * note's IFD) says PreviewImageStart and Length (0x0101, 0x0102), from the maker note's start.
 */
function olympusPreview(bytes: Buffer, reader: Reader, exif: Ifd | undefined): [number, number][] {
  const note = exif?.entries.get(37500);
  if (!note) return [];
  const header = bytes.toString('latin1', note.at, note.at + 12);
  const ifdAt = header.startsWith('OLYMPUS\0') ? 12 : header.startsWith('OM SYSTEM') ? 16 : undefined;
  if (ifdAt === undefined) return [];
  const base = note.at;
  const main = reader.ifd(base + ifdAt);
  const settings = reader.number(main, 0x2020);
  const camera = settings === undefined ? undefined : reader.ifd(base + settings);
  const start = reader.number(camera, 0x0101);
  const length = reader.number(camera, 0x0102);
  return start && length ? [[base + start, length]] : [];
}

/**
 * Fujifilm RAF: a big-endian header whose JPEG offset and length sit at bytes 84 and 88; the JPEG carries the camera's
 * EXIF and orientation itself. The sensor's size is the CFA header's record 0x100 (height, width).
 */
function fromRaf(bytes: Buffer): Found {
  if (bytes.length < 100) return { jpegs: [] };
  const offset = bytes.readUInt32BE(84);
  const length = bytes.readUInt32BE(88);
  const found: Found = { jpegs: [[offset, length]] };
  const headerAt = bytes.readUInt32BE(92);
  if (headerAt > 0 && headerAt + 4 <= bytes.length) {
    const records = Math.min(bytes.readUInt32BE(headerAt), 256);
    let at = headerAt + 4;
    for (let i = 0; i < records && at + 4 <= bytes.length; i++) {
      const tag = bytes.readUInt16BE(at);
      const size = bytes.readUInt16BE(at + 2);
      if (tag === 0x100 && size >= 4 && at + 8 <= bytes.length) {
        found.sensor = { height: bytes.readUInt16BE(at + 4), width: bytes.readUInt16BE(at + 6) };
        break;
      }
      at += 4 + size;
    }
  }
  // Its JPEG's APP1 is the camera's EXIF: handed over as the TIFF block inside it.
  const jpeg = offset + length <= bytes.length ? bytes.subarray(offset, offset + length) : undefined;
  const segment = jpeg && jpegInfo(jpeg)?.exifSegments[0];
  if (jpeg && segment) found.exif = jpeg.subarray(segment[0] + 10, segment[1]);
  return found;
}

/** Canon CR3: the first track's full-size JPEG, else PRVW's; orientation from CMT1 (IFD0), EXIF from CMT1, 2 and 4. */
function fromCr3(bytes: Buffer): Found {
  const parts = cr3Parts(bytes);
  const found: Found = { jpegs: parts.jpegs };
  const ifd0 = parts.tiffs.CMT1 && walkTiff(parts.tiffs.CMT1);
  if (ifd0) {
    const orientation = ifd0.reader.number(ifd0.tiff.chain[0], TAG.orientation);
    if (orientation !== undefined && orientation >= 1 && orientation <= 8) found.orientation = orientation;
    found.exif = cr3Exif(parts.tiffs);
  }
  const exif = parts.tiffs.CMT2 && walkTiff(parts.tiffs.CMT2);
  const width = exif?.reader.number(exif.tiff.chain[0], TAG.exifWidth);
  const height = exif?.reader.number(exif.tiff.chain[0], TAG.exifHeight);
  if (width && height) found.sensor = { width, height };
  return found;
}
