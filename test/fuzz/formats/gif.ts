/** GIF: the logical screen, extension and image blocks, LZW code sizes, and frame multiplication. */
import {
  dimension,
  dimensionPair,
  type FormatModel,
  hex,
  type Mutator,
  readUint,
  type Unit,
  withUint,
} from '../mutation';
import type { Rng } from '../prng';

const tableSize = (packed: number): number => (packed & 0x80 ? 3 << ((packed & 7) + 1) : 0);

/** Skips data sub-blocks from `at`; returns the offset after the terminating zero-length block. */
function skipSubBlocks(bytes: Buffer, at: number): number {
  while (at < bytes.length) {
    const size = bytes[at] as number;
    at += 1 + size;
    if (size === 0) break;
  }
  return Math.min(at, bytes.length);
}

/** Extension and image blocks after the header, logical screen descriptor and global colour table. */
export function gifBlocks(bytes: Buffer): Unit[] {
  if (bytes.toString('latin1', 0, 4) !== 'GIF8' || bytes.length < 13) return [];
  const units: Unit[] = [];
  let at = 13 + tableSize(bytes[10] as number);
  while (at < bytes.length && units.length < 8192) {
    const introducer = bytes[at];
    let end: number;
    let name: string;
    if (introducer === 0x21) {
      name = { 249: 'GCE', 255: 'APP', 254: 'COM', 1: 'PTE' }[bytes[at + 1] as number] ?? 'EXT';
      end = skipSubBlocks(bytes, at + 2);
    } else if (introducer === 0x2c) {
      name = 'IMAGE';
      end = skipSubBlocks(bytes, at + 10 + tableSize(bytes[at + 9] ?? 0) + 1);
    } else {
      units.push({ name: introducer === 0x3b ? 'TRAILER' : 'JUNK', start: at, end: at + 1 });
      break;
    }
    units.push({ name, start: at, end });
    at = end;
  }
  return units;
}

const pick = (bytes: Buffer, rng: Rng, name: string): Unit | undefined => {
  const matching = gifBlocks(bytes).filter((unit) => unit.name === name);
  return matching.length > 0 ? rng.pick(matching) : undefined;
};

/** Width and height of the logical screen (at 6) or of an image descriptor (at +5), set together. */
const size: Mutator = (bytes, { rng }) => {
  const target = rng.chance(0.5) ? pick(bytes, rng, 'IMAGE') : undefined;
  const at = target ? target.start + 5 : 6;
  const [width, height] = dimensionPair(rng, 16);
  const out = withUint(bytes, at, 2, width, true);
  if (!out || at + 4 > out.length) return undefined;
  out.writeUInt16LE(height, at + 2);
  return { bytes: out, note: `${target ? 'image' : 'screen'}.size=${width}x${height}` };
};

const screen: Mutator = (bytes, { rng }) => {
  if (bytes.length < 13) return undefined;
  const [offset, width, value, field] = rng.pick<[number, 1 | 2, number, string]>([
    [6, 2, dimension(rng, 16, readUint(bytes, 6, 2, true)), 'width'],
    [8, 2, dimension(rng, 16, readUint(bytes, 8, 2, true)), 'height'],
    [10, 1, rng.pick([0, 0x07, 0x70, 0x80, 0x87, 0xf7, 0xff]), 'packed'],
    [11, 1, rng.pick([0, 1, 0xff]), 'background'],
  ]);
  const out = withUint(bytes, offset, width, value, true);
  return out && { bytes: out, note: `screen.${field}=${hex(value)}` };
};

/** An image descriptor: position and size (outside the screen, zero, huge), flags, or its LZW minimum code size. */
const image: Mutator = (bytes, { rng }) => {
  const target = pick(bytes, rng, 'IMAGE');
  if (!target) return undefined;
  const at = target.start;
  const lzw = at + 10 + tableSize(bytes[at + 9] ?? 0);
  const [offset, width, value, field] = rng.pick<[number, 1 | 2, number, string]>([
    [at + 1, 2, dimension(rng, 16, readUint(bytes, at + 1, 2, true)), 'left'],
    [at + 3, 2, dimension(rng, 16, readUint(bytes, at + 3, 2, true)), 'top'],
    [at + 5, 2, dimension(rng, 16, readUint(bytes, at + 5, 2, true)), 'width'],
    [at + 7, 2, dimension(rng, 16, readUint(bytes, at + 7, 2, true)), 'height'],
    [at + 9, 1, rng.pick([0, 0x40, 0x80, 0x87, 0xc7, 0xff]), 'packed'],
    [lzw, 1, rng.pick([0, 1, 2, 8, 11, 12, 13, 0xff]), 'lzwMinimumCodeSize'],
    [lzw + 1, 1, rng.pick([0, 1, 0xff]), 'firstSubBlockSize'],
  ]);
  const out = withUint(bytes, offset, width, value, true);
  return out && { bytes: out, note: `image.${field}=${hex(value)}` };
};

/** Graphic control (disposal, delay, transparent index) and the NETSCAPE loop count. */
const extension: Mutator = (bytes, { rng }) => {
  const target = pick(bytes, rng, rng.chance(0.7) ? 'GCE' : 'APP');
  if (!target) return undefined;
  const offset = target.start + (target.name === 'GCE' ? rng.pick([2, 3, 4, 5, 6]) : rng.pick([2, 14, 15, 16, 17]));
  const value = rng.pick([0, 1, 0x1c, 0x7f, 0xff]);
  const out = withUint(bytes, offset, 1, value);
  return out && { bytes: out, note: `${target.name}[${offset - target.start}]=${hex(value)}` };
};

/** The first frame (with its graphic control) repeated: a frame-count bomb near and past the limit. */
const multiplyFrames: Mutator = (bytes, { rng }) => {
  const blocks = gifBlocks(bytes);
  const index = blocks.findIndex((unit) => unit.name === 'IMAGE');
  const frame = blocks[index];
  if (!frame) return undefined;
  const gce = blocks[index - 1]?.name === 'GCE' ? (blocks[index - 1] as Unit) : frame;
  const copy = bytes.subarray(gce.start, frame.end);
  const count = Math.min(rng.pick([2, 10, 999, 1000, 1001, 3000]), Math.floor(4_000_000 / copy.length));
  const copies = Array.from({ length: count }, () => copy);
  return {
    bytes: Buffer.concat([bytes.subarray(0, frame.end), ...copies, bytes.subarray(frame.end)]),
    note: `frames +${count}`,
  };
};

export const gif: FormatModel = {
  units: gifBlocks,
  edits: [screen, screen, size, image, image, image, extension, multiplyFrames],
};
