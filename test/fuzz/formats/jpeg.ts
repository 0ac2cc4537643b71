/** JPEG: marker segments (a scan includes its entropy-coded data), frame header fields, tables and EXIF. */
import {
  dimension,
  dimensionPair,
  type FormatModel,
  hex,
  interesting,
  type Mutator,
  type Unit,
  withUint,
} from '../mutation';
import { editTiff } from './tiff';

const STANDALONE = (marker: number): boolean => marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7);
const isSof = (marker: number): boolean =>
  marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;

function markerName(marker: number): string {
  if (isSof(marker)) return `SOF${marker - 0xc0}`;
  if (marker >= 0xe0 && marker <= 0xef) return `APP${marker - 0xe0}`;
  if (marker >= 0xd0 && marker <= 0xd7) return `RST${marker - 0xd0}`;
  const names: Record<number, string> = { 196: 'DHT', 217: 'EOI', 218: 'SOS', 219: 'DQT', 221: 'DRI', 254: 'COM' };
  return names[marker] ?? `M${marker.toString(16)}`;
}

/** The segments after SOI, up to EOI or the first thing that is not a marker. */
export function jpegSegments(bytes: Buffer): Unit[] {
  if (bytes[0] !== 0xff || bytes[1] !== 0xd8) return [];
  const units: Unit[] = [];
  let at = 2;
  while (at + 1 < bytes.length && bytes[at] === 0xff && units.length < 512) {
    while (bytes[at + 1] === 0xff && at + 2 < bytes.length) at++;
    const marker = bytes[at + 1] as number;
    const name = markerName(marker);
    if (marker === 0xd9 || STANDALONE(marker)) {
      units.push({ name, start: at, end: at + 2 });
      if (marker === 0xd9) break;
      at += 2;
      continue;
    }
    if (at + 4 > bytes.length) break;
    let end = Math.min(bytes.length, at + 2 + bytes.readUInt16BE(at + 2));
    if (marker === 0xda) {
      // Entropy-coded data runs to the next marker that is neither a stuffed 0xff00 nor a restart.
      while (end + 1 < bytes.length) {
        const next = bytes[end + 1] as number;
        if (bytes[end] === 0xff && next !== 0 && !(next >= 0xd0 && next <= 0xd7)) break;
        end++;
      }
      if (end + 1 >= bytes.length) end = bytes.length;
    }
    units.push({ name, start: at, end });
    at = end;
  }
  return units;
}

const segment = (bytes: Buffer, rng: Parameters<Mutator>[1]['rng'], test: (unit: Unit) => boolean) => {
  const matching = jpegSegments(bytes).filter(test);
  return matching.length > 0 ? rng.pick(matching) : undefined;
};

/** Frame header: precision, height, width, component count, sampling factors, table selectors. */
const frameHeader: Mutator = (bytes, { rng }) => {
  const sof = segment(bytes, rng, (unit) => unit.name.startsWith('SOF'));
  if (!sof) return undefined;
  const at = sof.start;
  const components = Math.max(1, bytes[at + 9] ?? 1);
  const field = rng.pick(['precision', 'height', 'width', 'components', 'sampling', 'table'] as const);
  const component = 10 + 3 * rng.int(components);
  const [offset, width, value] = {
    precision: [at + 4, 1, rng.pick([0, 1, 7, 8, 12, 16, 255])],
    height: [at + 5, 2, dimension(rng, 16, bytes.readUInt16BE(at + 5))],
    width: [at + 7, 2, dimension(rng, 16, bytes.readUInt16BE(at + 7))],
    components: [at + 9, 1, rng.pick([0, 1, 2, 3, 4, 5, 255])],
    sampling: [at + component + 1, 1, rng.pick([0x00, 0x11, 0x12, 0x21, 0x22, 0x44, 0x41, 0x14, 0x55, 0xff])],
    table: [at + component + 2, 1, rng.pick([0, 1, 2, 3, 4, 255])],
  }[field] as [number, 1 | 2, number];
  const out = withUint(bytes, offset, width, value);
  return out && { bytes: out, note: `${sof.name}.${field}=${hex(value)}` };
};

const frameSize: Mutator = (bytes, { rng }) => {
  const sof = segment(bytes, rng, (unit) => unit.name.startsWith('SOF'));
  const [width, height] = dimensionPair(rng, 16);
  const out = sof && withUint(bytes, sof.start + 5, 2, height);
  if (!sof || !out || sof.start + 9 > out.length) return undefined;
  out.writeUInt16BE(width, sof.start + 7);
  return { bytes: out, note: `${sof.name}.size=${width}x${height}` };
};

/** Quantisation and Huffman tables: a zero divisor, a wrong precision or class, code counts that overflow. */
const tables: Mutator = (bytes, { rng }) => {
  const table = segment(bytes, rng, (unit) => unit.name === 'DQT' || unit.name === 'DHT');
  if (!table || table.end - table.start < 22) return undefined;
  const selector = rng.chance(0.3);
  const offset = selector ? table.start + 4 : table.start + 5 + rng.int(Math.min(64, table.end - table.start - 5));
  const value = selector ? rng.pick([0x00, 0x01, 0x04, 0x10, 0x13, 0xff]) : interesting(rng, 1);
  const out = withUint(bytes, offset, 1, value);
  return (
    out && { bytes: out, note: `${table.name}${selector ? '.selector' : `[${offset - table.start}]`}=${hex(value)}` }
  );
};

/** Scan header: component count, spectral selection and successive approximation (progressive scans). */
const scanHeader: Mutator = (bytes, { rng }) => {
  const sos = segment(bytes, rng, (unit) => unit.name === 'SOS');
  if (!sos) return undefined;
  const headerEnd = sos.start + 2 + bytes.readUInt16BE(sos.start + 2);
  const field = rng.int(4);
  const offset = field === 0 ? sos.start + 4 : headerEnd - 4 + field;
  const value = field === 0 ? rng.pick([0, 1, 2, 3, 4, 5, 255]) : rng.pick([0, 1, 5, 13, 63, 64, 0xff, 0x10, 0xd0]);
  const out = withUint(bytes, offset, 1, value);
  return out && { bytes: out, note: `SOS.${['components', 'Ss', 'Se', 'AhAl'][field]}=${hex(value)}` };
};

/** A segment length that lies: zero, short, long, or past the end. */
const segmentLength: Mutator = (bytes, { rng }) => {
  const target = segment(bytes, rng, (unit) => unit.end - unit.start >= 4);
  if (!target) return undefined;
  const length = bytes.readUInt16BE(target.start + 2);
  const value = rng.pick([0, 1, 2, 3, 0xffff, length + 1, length - 1, length * 2]) & 0xffff;
  const out = withUint(bytes, target.start + 2, 2, value);
  return out && { bytes: out, note: `${target.name}.length=${hex(value)}` };
};

/** A restart interval the entropy data does not follow, inserted before the first scan. */
const restartInterval: Mutator = (bytes, { rng }) => {
  const sos = segment(bytes, rng, (unit) => unit.name === 'SOS');
  if (!sos) return undefined;
  const interval = rng.pick([0, 1, 2, 0xffff]);
  const dri = Buffer.from([0xff, 0xdd, 0x00, 0x04, interval >> 8, interval & 0xff]);
  return {
    bytes: Buffer.concat([bytes.subarray(0, sos.start), dri, bytes.subarray(sos.start)]),
    note: `DRI=${interval}`,
  };
};

/** EXIF is a TIFF stream after APP1's "Exif\0\0": the IFD edits apply to it too (exif-reader parses it). */
const exif: Mutator = (bytes, { rng }) => {
  const app1 = segment(
    bytes,
    rng,
    (unit) => unit.name === 'APP1' && bytes.toString('latin1', unit.start + 4, unit.start + 8) === 'Exif',
  );
  if (!app1) return undefined;
  const edit = editTiff(bytes, app1.start + 10, rng);
  return edit && { bytes: edit.bytes, note: `exif ${edit.note}` };
};

export const jpeg: FormatModel = {
  units: jpegSegments,
  edits: [frameHeader, frameHeader, frameSize, tables, scanHeader, segmentLength, restartInterval, exif, exif],
};
