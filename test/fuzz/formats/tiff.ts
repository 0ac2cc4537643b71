/**
 * TIFF: the IFD chain and its 12-byte entries. Also EXIF, which is a TIFF stream inside a JPEG APP1 segment, a
 * PNG eXIf chunk or a WebP EXIF chunk, so these edits take the stream's `base` offset.
 */
import {
  dimension,
  type FormatModel,
  hex,
  interesting,
  type Mutation,
  type Mutator,
  readUint,
  withUint,
} from '../mutation';
import type { Rng } from '../prng';

interface Entry {
  kind: IfdKind;
  at: number;
  tag: number;
  type: number;
  count: number;
}

/** Which tags an IFD holds: the image's own, EXIF's, or GPS's (tag numbers overlap between them). */
type IfdKind = 'image' | 'exif' | 'gps';

interface Ifd {
  kind: IfdKind;
  at: number;
  entries: Entry[];
  /** Where this IFD's next-IFD pointer is. */
  nextAt: number;
}

interface TiffStream {
  base: number;
  littleEndian: boolean;
  ifds: Ifd[];
}

const TAG_NAMES: Record<number, string> = {
  256: 'ImageWidth',
  257: 'ImageLength',
  258: 'BitsPerSample',
  259: 'Compression',
  262: 'Photometric',
  273: 'StripOffsets',
  274: 'Orientation',
  277: 'SamplesPerPixel',
  278: 'RowsPerStrip',
  279: 'StripByteCounts',
  284: 'PlanarConfig',
  317: 'Predictor',
  320: 'ColorMap',
  322: 'TileWidth',
  323: 'TileLength',
  324: 'TileOffsets',
  325: 'TileByteCounts',
  330: 'SubIFDs',
  338: 'ExtraSamples',
  339: 'SampleFormat',
  347: 'JPEGTables',
  530: 'YCbCrSubSampling',
  34665: 'ExifIFD',
  34853: 'GPSIFD',
  34675: 'ICCProfile',
};
const TYPE_SIZES = [0, 1, 1, 2, 4, 8, 1, 1, 2, 4, 8, 4, 8, 4];
const POINTER_TAGS: Record<number, IfdKind> = { 330: 'image', 34665: 'exif', 34853: 'gps' };
const EXIF_TAGS = [33434, 33437, 34855, 36864, 36867, 36868, 37121, 37500, 37510, 40961, 40962, 40963, 40965];
/** GPS tags 0-31; latitude, longitude and altitude (1-6) are the ones the core reads. */
const GPS_TAGS = [1, 2, 3, 4, 5, 6, 1, 2, 3, 4, 5, 6, 0, 7, 16, 17, 29, 31];
const GPS_NAMES: Record<number, string> = {
  0: 'GPSVersionID',
  1: 'GPSLatitudeRef',
  2: 'GPSLatitude',
  3: 'GPSLongitudeRef',
  4: 'GPSLongitude',
  5: 'GPSAltitudeRef',
  6: 'GPSAltitude',
};
const TAG_CHOICES: Record<IfdKind, number[]> = {
  image: Object.keys(TAG_NAMES).map(Number),
  exif: EXIF_TAGS,
  gps: GPS_TAGS,
};

/** Values worth trying for a tag whose meaning we know; 32-bit interesting values otherwise. */
function valueFor(rng: Rng, tag: number, original: number): number {
  switch (tag) {
    case 256:
    case 257:
    case 278:
    case 322:
    case 323:
      return dimension(rng, 32, original);
    case 258:
      return rng.pick([0, 1, 2, 4, 8, 12, 16, 24, 32, 64, 255]);
    case 259:
      return rng.pick([0, 1, 2, 3, 4, 5, 6, 7, 8, 32773, 32946, 34712, 34887, 50000]);
    case 262:
      return rng.pick([0, 1, 2, 3, 4, 5, 6, 8, 9, 10, 32844, 32845, 34892, 0xffff]);
    case 274:
      return rng.pick([0, 1, 3, 5, 6, 7, 8, 9, 0xffff]);
    case 277:
      return rng.pick([0, 1, 2, 3, 4, 5, 255, 0xffff]);
    case 284:
      return rng.pick([0, 1, 2, 3]);
    case 317:
      return rng.pick([0, 1, 2, 3, 4]);
    case 339:
      return rng.pick([0, 1, 2, 3, 4, 5, 6]);
    default:
      return interesting(rng, 4);
  }
}

/** Reads the IFD chain (and EXIF/GPS sub-IFDs) of the TIFF stream at `base`, stopping at loops and bad offsets. */
export function readTiff(bytes: Buffer, base = 0): TiffStream | undefined {
  const order = bytes.toString('latin1', base, base + 2);
  if (order !== 'II' && order !== 'MM') return undefined;
  const littleEndian = order === 'II';
  const u16 = (at: number) => readUint(bytes, at, 2, littleEndian);
  const u32 = (at: number) => readUint(bytes, at, 4, littleEndian);
  if (u16(base + 2) !== 42) return undefined;
  const ifds: Ifd[] = [];
  const seen = new Set<number>();
  const queue: [number, IfdKind][] = [[u32(base + 4), 'image']];
  while (queue.length > 0 && ifds.length < 16) {
    const [offset, kind] = queue.shift() as [number, IfdKind];
    const at = base + offset;
    if (offset === 0 || seen.has(at) || at + 2 > bytes.length) continue;
    seen.add(at);
    const count = Math.min(u16(at), Math.floor((bytes.length - at - 2) / 12));
    const entries: Entry[] = [];
    for (let i = 0; i < count; i++) {
      const entryAt = at + 2 + 12 * i;
      const entry = { kind, at: entryAt, tag: u16(entryAt), type: u16(entryAt + 2), count: u32(entryAt + 4) };
      entries.push(entry);
      const pointsTo = kind === 'image' ? POINTER_TAGS[entry.tag] : undefined;
      if (pointsTo) queue.push([u32(entryAt + 8), pointsTo]);
    }
    const nextAt = at + 2 + 12 * count;
    ifds.push({ kind, at, entries, nextAt });
    if (nextAt + 4 <= bytes.length) queue.push([u32(nextAt), kind]);
  }
  return ifds.length > 0 ? { base, littleEndian, ifds } : undefined;
}

const tagName = ({ kind, tag }: Entry): string =>
  (kind === 'gps' ? GPS_NAMES[tag] : kind === 'image' ? TAG_NAMES[tag] : undefined) ?? `${kind}.tag${tag}`;

type TiffEdit = (bytes: Buffer, stream: TiffStream, rng: Rng) => Mutation | undefined;

/** Tags our own code reads (lambdas/core/analysis/exif.ts, orientation): half the entry edits go to them. */
const READ_BY_CORE: Record<IfdKind, Set<number>> = {
  image: new Set([271, 272, 274, 306]),
  exif: new Set([36867]),
  gps: new Set([1, 2, 3, 4, 5, 6]),
};
const readByCore = (entry: Entry): boolean => READ_BY_CORE[entry.kind].has(entry.tag);

function pickEntry(stream: TiffStream, rng: Rng, test: (entry: Entry) => boolean = () => true): Entry | undefined {
  const all = stream.ifds.flatMap((ifd) => ifd.entries).filter(test);
  const read = all.filter(readByCore);
  return read.length > 0 && rng.chance(0.5) ? rng.pick(read) : all.length > 0 ? rng.pick(all) : undefined;
}

const entryValue: TiffEdit = (bytes, stream, rng) => {
  const entry = pickEntry(stream, rng);
  if (!entry) return undefined;
  const le = stream.littleEndian;
  const size = (TYPE_SIZES[entry.type] ?? 1) * entry.count;
  const data = stream.base + readUint(bytes, entry.at + 8, 4, le);
  if (size > 4 && entry.type !== 3 && entry.type !== 4) {
    // Out-of-line data: point it somewhere else (nowhere, past the end, at the IFD itself).
    const target = rng.pick([0, 8, bytes.length - stream.base, 0xffffffff, rng.int(bytes.length - stream.base)]);
    const out = withUint(bytes, entry.at + 8, 4, target, le);
    return out && { bytes: out, note: `${tagName(entry)}.offset=${hex(target)}` };
  }
  if (size > 4) {
    // An array of SHORT/LONG (BitsPerSample, StripOffsets...): edit one element where it lives.
    const width = entry.type === 3 ? 2 : 4;
    const element = data + width * rng.int(Math.min(entry.count, 64));
    const value = valueFor(rng, entry.tag, readUint(bytes, element, width, le));
    const out = withUint(bytes, element, width, value % 2 ** (8 * width), le);
    return out && { bytes: out, note: `${tagName(entry)}[]=${hex(value)}` };
  }
  const width = entry.type === 3 ? 2 : 4;
  const value = valueFor(rng, entry.tag, readUint(bytes, entry.at + 8, width, le)) % 2 ** (8 * width);
  const out = withUint(bytes, entry.at + 8, width, value, le);
  return out && { bytes: out, note: `${tagName(entry)}=${hex(value)}` };
};

/** A rational (resolution, GPS position and altitude, exposure): a zero denominator, a huge or negative part. */
const rational: TiffEdit = (bytes, stream, rng) => {
  const entry = pickEntry(stream, rng, ({ type }) => type === 5 || type === 10);
  if (!entry) return undefined;
  const element = rng.int(Math.max(1, Math.min(entry.count, 16)));
  const part = rng.int(2);
  const value = rng.pick([0, 0, 1, 0x7fffffff, 0x80000000, 0xffffffff]);
  const at = stream.base + readUint(bytes, entry.at + 8, 4, stream.littleEndian) + 8 * element + 4 * part;
  const out = withUint(bytes, at, 4, value, stream.littleEndian);
  return (
    out && { bytes: out, note: `${tagName(entry)}[${element}].${part ? 'denominator' : 'numerator'}=${hex(value)}` }
  );
};

const entryHeader: TiffEdit = (bytes, stream, rng) => {
  const entry = pickEntry(stream, rng);
  if (!entry) return undefined;
  const le = stream.littleEndian;
  const field = rng.pick(['tag', 'type', 'count'] as const);
  const [at, width, value] =
    field === 'tag'
      ? [entry.at, 2 as const, rng.chance(0.8) ? rng.pick(TAG_CHOICES[entry.kind]) : rng.int(0x10000)]
      : field === 'type'
        ? [entry.at + 2, 2 as const, rng.pick([0, 1, 2, 3, 4, 5, 7, 11, 12, 13, 14, 16, 0xffff])]
        : [entry.at + 4, 4 as const, rng.pick([0, 1, 2, 0x7fffffff, 0xffffffff, entry.count * 2, entry.count + 1])];
  const out = withUint(bytes, at, width, value % 2 ** (8 * width), le);
  return out && { bytes: out, note: `${tagName(entry)}.${field}=${hex(value)}` };
};

/** Removes an entry in place: later entries move up, the count drops, the next pointer follows them. */
const entryDelete: TiffEdit = (bytes, stream, rng) => {
  const ifd = rng.pick(stream.ifds);
  if (ifd.entries.length === 0 || ifd.nextAt + 4 > bytes.length) return undefined;
  const index = rng.int(ifd.entries.length);
  const entry = ifd.entries[index] as Entry;
  const out = Buffer.from(bytes);
  out.copy(out, entry.at, entry.at + 12, ifd.nextAt + 4);
  out.fill(0, ifd.nextAt - 8, ifd.nextAt + 4);
  if (stream.littleEndian) out.writeUInt16LE(ifd.entries.length - 1, ifd.at);
  else out.writeUInt16BE(ifd.entries.length - 1, ifd.at);
  return { bytes: out, note: `delete ${tagName(entry)}` };
};

const entryCopy: TiffEdit = (bytes, stream, rng) => {
  const ifd = rng.pick(stream.ifds);
  if (ifd.entries.length < 2) return undefined;
  const from = rng.pick(ifd.entries);
  const to = rng.pick(ifd.entries);
  const out = Buffer.from(bytes);
  bytes.copy(out, to.at, from.at, from.at + 12);
  return { bytes: out, note: `${tagName(from)} over ${tagName(to)}` };
};

const ifdLinks: TiffEdit = (bytes, stream, rng) => {
  const ifd = rng.pick(stream.ifds);
  const first = stream.ifds[0] as Ifd;
  const choice = rng.int(3);
  if (choice === 0) {
    const count = rng.pick([0, 1, ifd.entries.length + 1, 0xffff]);
    const out = withUint(bytes, ifd.at, 2, count, stream.littleEndian);
    return out && { bytes: out, note: `ifd.count=${count}` };
  }
  // Offsets are relative to the stream: point at this IFD (a loop), the first one, nowhere, or anywhere.
  const base = stream.base;
  const target = rng.pick([ifd.at - base, first.at - base, 0, 8, 0xffffffff, rng.int(bytes.length - base)]);
  const at = choice === 1 ? ifd.nextAt : base + 4;
  const out = withUint(bytes, at, 4, target, stream.littleEndian);
  return out && { bytes: out, note: `${choice === 1 ? 'next' : 'first'}-ifd=${hex(target)}` };
};

const TIFF_EDITS: TiffEdit[] = [
  entryValue,
  entryValue,
  entryValue,
  rational,
  entryHeader,
  entryDelete,
  entryCopy,
  ifdLinks,
];

/** One random edit of the TIFF stream at `base`; undefined if there is none there. */
export function editTiff(bytes: Buffer, base: number, rng: Rng): Mutation | undefined {
  const stream = readTiff(bytes, base);
  return stream && rng.pick(TIFF_EDITS)(bytes, stream, rng);
}

/**
 * Appends copies of the first IFD, each linked from the last, so the file has `pages` pages sharing one image's
 * strips: a cheap frame bomb, and a long IFD chain for the reader to walk.
 */
const multiplyPages: Mutator = (bytes, { rng }) => {
  const stream = readTiff(bytes);
  const first = stream?.ifds[0];
  const last = stream?.ifds.at(-1);
  if (!stream || !first || !last || last.nextAt + 4 > bytes.length) return undefined;
  const pages = rng.pick([2, 3, 100, 999, 1000, 1001, 5000]);
  const ifdSize = first.nextAt + 4 - first.at;
  const copies = Math.min(pages - 1, Math.floor(4_000_000 / ifdSize));
  const start = bytes.length + (bytes.length % 2);
  const out = Buffer.alloc(start + copies * ifdSize);
  bytes.copy(out);
  const write = (at: number, value: number) =>
    stream.littleEndian ? out.writeUInt32LE(value, at) : out.writeUInt32BE(value, at);
  let previousNext = last.nextAt;
  for (let i = 0; i < copies; i++) {
    const at = start + i * ifdSize;
    bytes.copy(out, at, first.at, first.nextAt + 4);
    write(previousNext, at);
    previousNext = at + (first.nextAt - first.at);
    write(previousNext, 0);
  }
  return { bytes: out, note: `pages x${copies + 1}` };
};

export const tiff: FormatModel = {
  // IFD entries cannot move without rewriting every offset after them; the edits handle them in place.
  units: () => [],
  edits: [
    ...Array.from(
      { length: 8 },
      (): Mutator =>
        (bytes, { rng }) =>
          editTiff(bytes, 0, rng),
    ),
    multiplyPages,
  ],
};
