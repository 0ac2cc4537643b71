/*
 * A bounded reader of TIFF image file directories, enough to find a RAW's previews and its facts. Hand-written rather
 * than utif2's: utif2 trusts each entry's count (a SHORT tag claiming 2^28 values kept `UTIF.decode` busy 34 s before it
 * threw) and follows the IFD chain with no guard against a loop; here every count is checked against the file, every
 * chain and tree has a visited set and a bound, and only the tags asked for are read.
 */

/** One directory entry: where its value is (absolute), checked to lie inside the file. */
export interface Entry {
  type: number;
  count: number;
  at: number;
}

/** One IFD: its entries by tag, and the IFDs under it (SubIFDs, tag 330). */
export interface Ifd {
  offset: number;
  entries: Map<number, Entry>;
  sub: Ifd[];
}

export interface Tiff {
  bytes: Buffer;
  littleEndian: boolean;
  /** IFD0 and the IFDs chained after it, each with its SubIFDs. */
  chain: Ifd[];
  /** The EXIF IFD (tag 34665 of IFD0), when there is one. */
  exif?: Ifd;
}

export const TAG = {
  newSubfileType: 254,
  width: 256,
  height: 257,
  compression: 259,
  photometric: 262,
  make: 271,
  model: 272,
  stripOffsets: 273,
  orientation: 274,
  stripByteCounts: 279,
  subIfds: 330,
  jpegOffset: 513,
  jpegLength: 514,
  exifIfd: 34665,
  gpsIfd: 34853,
  exifWidth: 40962,
  exifHeight: 40963,
  dngVersion: 50706,
} as const;

const TYPE_SIZES: Record<number, number> = {
  1: 1,
  2: 1,
  3: 2,
  4: 4,
  5: 8,
  6: 1,
  7: 1,
  8: 2,
  9: 4,
  10: 8,
  11: 4,
  12: 8,
  13: 4,
};
/** More IFDs than any camera writes (a NEF has 4-6, a DNG 3-5): a file claiming more is walked no further. */
const MAX_IFDS = 32;
const MAX_ENTRIES = 1000;

/** Whether `bytes` start as a TIFF does (II or MM, then any magic: ORF's `RO`/`RS` replace TIFF's 42). */
export function isTiffLike(bytes: Buffer): boolean {
  return bytes.length >= 8 && ((bytes[0] === 0x49 && bytes[1] === 0x49) || (bytes[0] === 0x4d && bytes[1] === 0x4d));
}

/** IFD0's entries alone, for a cheap look at what kind of TIFF this is; undefined when it is not readable. */
export function firstIfd(bytes: Buffer): { ifd: Ifd; reader: Reader } | undefined {
  if (!isTiffLike(bytes)) return undefined;
  const reader = new Reader(bytes, bytes[0] === 0x49);
  const ifd = reader.ifd(reader.u32(4));
  return ifd && { ifd, reader };
}

/** IFD0, its chain, their SubIFDs and the EXIF IFD, each read once. */
export function walkTiff(bytes: Buffer): { tiff: Tiff; reader: Reader } | undefined {
  const first = firstIfd(bytes);
  if (!first) return undefined;
  const { reader } = first;
  const seen = new Set<number>();
  const chain: Ifd[] = [];
  let budget = MAX_IFDS;
  // SubIFDs two levels deep at most: cameras nest one (a NEF's previews and raw), DNG's specification allows two.
  const withSubs = (ifd: Ifd, depth: number): Ifd => {
    seen.add(ifd.offset);
    if (depth > 2) return ifd;
    for (const offset of reader.numbers(ifd.entries.get(TAG.subIfds), MAX_IFDS)) {
      if (seen.has(offset) || budget-- <= 0) continue;
      const sub = reader.ifd(offset);
      if (sub) ifd.sub.push(withSubs(sub, depth + 1));
    }
    return ifd;
  };
  let next: Ifd | undefined = first.ifd;
  while (next && !seen.has(next.offset) && budget-- > 0) {
    chain.push(withSubs(next, 0));
    next = reader.ifd(reader.nextOffset(next));
  }
  const exifOffset = reader.numbers(first.ifd.entries.get(TAG.exifIfd), 1)[0];
  const exif = exifOffset === undefined ? undefined : reader.ifd(exifOffset);
  return { tiff: { bytes, littleEndian: reader.littleEndian, chain, exif }, reader };
}

/** Every IFD of the walk, the chain's and their SubIFDs', depth first. */
export function allIfds(tiff: Tiff): Ifd[] {
  const out: Ifd[] = [];
  const visit = (ifd: Ifd) => {
    out.push(ifd);
    for (const sub of ifd.sub) visit(sub);
  };
  for (const ifd of tiff.chain) visit(ifd);
  return out;
}

/** Bounds-checked reads in the file's byte order. */
export class Reader {
  constructor(
    readonly bytes: Buffer,
    readonly littleEndian: boolean,
  ) {}

  u16(at: number): number {
    if (at < 0 || at + 2 > this.bytes.length) return 0;
    return this.littleEndian ? this.bytes.readUInt16LE(at) : this.bytes.readUInt16BE(at);
  }

  u32(at: number): number {
    if (at < 0 || at + 4 > this.bytes.length) return 0;
    return this.littleEndian ? this.bytes.readUInt32LE(at) : this.bytes.readUInt32BE(at);
  }

  /** The IFD at `offset`; entries whose value lies outside the file are left out. */
  ifd(offset: number): Ifd | undefined {
    if (offset < 8 || offset + 2 > this.bytes.length) return undefined;
    const count = Math.min(this.u16(offset), MAX_ENTRIES, Math.floor((this.bytes.length - offset - 2) / 12));
    const entries = new Map<number, Entry>();
    for (let i = 0; i < count; i++) {
      const entry = offset + 2 + i * 12;
      const type = this.u16(entry + 2);
      const size = TYPE_SIZES[type];
      if (size === undefined) continue;
      const valueCount = this.u32(entry + 4);
      const bytes = size * valueCount;
      const at = bytes <= 4 ? entry + 8 : this.u32(entry + 8);
      if (at + bytes > this.bytes.length) continue;
      entries.set(this.u16(entry), { type, count: valueCount, at });
    }
    return { offset, entries, sub: [] };
  }

  nextOffset(ifd: Ifd): number {
    return this.u32(ifd.offset + 2 + this.u16(ifd.offset) * 12);
  }

  /** At most `max` unsigned integers (BYTE, SHORT, LONG or IFD values). */
  numbers(entry: Entry | undefined, max = 16): number[] {
    if (!entry) return [];
    const read: Record<number, (at: number) => number> = {
      1: (at) => this.bytes[at] ?? 0,
      3: (at) => this.u16(at),
      4: (at) => this.u32(at),
      13: (at) => this.u32(at),
    };
    const one = read[entry.type];
    if (!one) return [];
    const size = TYPE_SIZES[entry.type] ?? 1;
    return Array.from({ length: Math.min(entry.count, max) }, (_, i) => one(entry.at + i * size));
  }

  number(ifd: Ifd | undefined, tag: number): number | undefined {
    return this.numbers(ifd?.entries.get(tag), 1)[0];
  }

  /** An ASCII value, NULs and surrounding space dropped, at most 256 characters. */
  text(ifd: Ifd | undefined, tag: number): string | undefined {
    const entry = ifd?.entries.get(tag);
    if (entry?.type !== 2) return undefined;
    const value = this.bytes.toString('latin1', entry.at, entry.at + Math.min(entry.count, 256));
    return value.replace(/\0.*$/s, '').trim() || undefined;
  }
}
