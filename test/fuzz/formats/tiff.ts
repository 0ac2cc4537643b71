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
  at: number;
  tag: number;
  type: number;
  count: number;
}

interface Ifd {
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
const KNOWN_TAGS = Object.keys(TAG_NAMES).map(Number);
const TYPE_SIZES = [0, 1, 1, 2, 4, 8, 1, 1, 2, 4, 8, 4, 8, 4];
const POINTER_TAGS = new Set([330, 34665, 34853]);

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
  const queue = [u32(base + 4)];
  while (queue.length > 0 && ifds.length < 16) {
    const offset = queue.shift() as number;
    const at = base + offset;
    if (offset === 0 || seen.has(at) || at + 2 > bytes.length) continue;
    seen.add(at);
    const count = Math.min(u16(at), Math.floor((bytes.length - at - 2) / 12));
    const entries: Entry[] = [];
    for (let i = 0; i < count; i++) {
      const entryAt = at + 2 + 12 * i;
      const entry = { at: entryAt, tag: u16(entryAt), type: u16(entryAt + 2), count: u32(entryAt + 4) };
      entries.push(entry);
      if (POINTER_TAGS.has(entry.tag)) queue.push(u32(entryAt + 8));
    }
    const nextAt = at + 2 + 12 * count;
    ifds.push({ at, entries, nextAt });
    if (nextAt + 4 <= bytes.length) queue.push(u32(nextAt));
  }
  return ifds.length > 0 ? { base, littleEndian, ifds } : undefined;
}

const tagName = (tag: number): string => TAG_NAMES[tag] ?? `tag${tag}`;

type TiffEdit = (bytes: Buffer, stream: TiffStream, rng: Rng) => Mutation | undefined;

function pickEntry(stream: TiffStream, rng: Rng): { ifd: Ifd; entry: Entry } | undefined {
  const ifd = rng.pick(stream.ifds);
  return ifd.entries.length > 0 ? { ifd, entry: rng.pick(ifd.entries) } : undefined;
}

const entryValue: TiffEdit = (bytes, stream, rng) => {
  const picked = pickEntry(stream, rng);
  if (!picked) return undefined;
  const { entry } = picked;
  const le = stream.littleEndian;
  const size = (TYPE_SIZES[entry.type] ?? 1) * entry.count;
  if (size > 4 && entry.type !== 3 && entry.type !== 4) {
    // Out-of-line data: point it somewhere else (nowhere, past the end, at the IFD itself).
    const target = rng.pick([0, bytes.length - stream.base, 0xffffffff, rng.int(bytes.length), picked.ifd.at]);
    const out = withUint(bytes, entry.at + 8, 4, target, le);
    return out && { bytes: out, note: `${tagName(entry.tag)}.offset=${hex(target)}` };
  }
  if (size > 4) {
    // An array of SHORT/LONG (BitsPerSample, StripOffsets...): edit one element where it lives.
    const width = entry.type === 3 ? 2 : 4;
    const element = stream.base + readUint(bytes, entry.at + 8, 4, le) + width * rng.int(Math.min(entry.count, 64));
    const value = valueFor(rng, entry.tag, readUint(bytes, element, width, le));
    const out = withUint(bytes, element, width, value % 2 ** (8 * width), le);
    return out && { bytes: out, note: `${tagName(entry.tag)}[]=${hex(value)}` };
  }
  const width = entry.type === 3 ? 2 : 4;
  const value = valueFor(rng, entry.tag, readUint(bytes, entry.at + 8, width, le)) % 2 ** (8 * width);
  const out = withUint(bytes, entry.at + 8, width, value, le);
  return out && { bytes: out, note: `${tagName(entry.tag)}=${hex(value)}` };
};

const entryHeader: TiffEdit = (bytes, stream, rng) => {
  const picked = pickEntry(stream, rng);
  if (!picked) return undefined;
  const { entry } = picked;
  const le = stream.littleEndian;
  const field = rng.pick(['tag', 'type', 'count'] as const);
  const [at, width, value] =
    field === 'tag'
      ? [entry.at, 2 as const, rng.chance(0.8) ? rng.pick(KNOWN_TAGS) : rng.int(0x10000)]
      : field === 'type'
        ? [entry.at + 2, 2 as const, rng.pick([0, 1, 2, 3, 4, 5, 7, 11, 12, 13, 14, 16, 0xffff])]
        : [entry.at + 4, 4 as const, rng.pick([0, 1, 2, 0x7fffffff, 0xffffffff, entry.count * 2, entry.count + 1])];
  const out = withUint(bytes, at, width, value % 2 ** (8 * width), le);
  return out && { bytes: out, note: `${tagName(entry.tag)}.${field}=${hex(value)}` };
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
  return { bytes: out, note: `delete ${tagName(entry.tag)}` };
};

const entryCopy: TiffEdit = (bytes, stream, rng) => {
  const ifd = rng.pick(stream.ifds);
  if (ifd.entries.length < 2) return undefined;
  const from = rng.pick(ifd.entries);
  const to = rng.pick(ifd.entries);
  const out = Buffer.from(bytes);
  bytes.copy(out, to.at, from.at, from.at + 12);
  return { bytes: out, note: `${tagName(from.tag)} over ${tagName(to.tag)}` };
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

const TIFF_EDITS: TiffEdit[] = [entryValue, entryValue, entryValue, entryHeader, entryDelete, entryCopy, ifdLinks];

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
