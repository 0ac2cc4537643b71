/** WebP: RIFF chunks, the VP8/VP8L/VP8X headers, and animation built from a still (ANIM + ANMF frames). */
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
import { editTiff } from './tiff';

const RIFF_SIZE = { offset: 4, littleEndian: true };

export function riffChunks(bytes: Buffer): Unit[] {
  if (bytes.toString('latin1', 0, 4) !== 'RIFF') return [];
  const units: Unit[] = [];
  let at = 12;
  while (at + 8 <= bytes.length && units.length < 4096) {
    const size = readUint(bytes, at + 4, 4, true);
    const end = Math.min(bytes.length, at + 8 + size + (size % 2));
    units.push({ name: bytes.toString('latin1', at, at + 4), start: at, end, containers: [RIFF_SIZE] });
    at = end;
  }
  return units;
}

export function riffChunk(fourcc: string, data: Buffer): Buffer {
  const out = Buffer.alloc(8 + data.length + (data.length % 2));
  out.write(fourcc, 0, 'latin1');
  out.writeUInt32LE(data.length, 4);
  data.copy(out, 8);
  return out;
}

const pick = (bytes: Buffer, rng: Rng, test: (unit: Unit) => boolean): Unit | undefined => {
  const matching = riffChunks(bytes).filter(test);
  return matching.length > 0 ? rng.pick(matching) : undefined;
};

const sizes: Mutator = (bytes, { rng }) => {
  const target = rng.chance(0.3) ? undefined : pick(bytes, rng, () => true);
  const at = target ? target.start + 4 : 4;
  const size = readUint(bytes, at, 4, true);
  const value = rng.pick([0, 1, 4, 0x7fffffff, 0xffffffff, size + 1, size + 2, Math.max(0, size - 1), size * 2]);
  const out = withUint(bytes, at, 4, value, true);
  return out && { bytes: out, note: `${target?.name ?? 'RIFF'}.size=${hex(value)}` };
};

/** Bitstream headers: VP8X flags and canvas, VP8L's packed 14-bit sizes, VP8's frame tag and sizes. */
const bitstreamHeader: Mutator = (bytes, { rng }) => {
  const target = pick(bytes, rng, (unit) => ['VP8X', 'VP8L', 'VP8 '].includes(unit.name));
  if (!target) return undefined;
  const data = target.start + 8;
  let edit: [number, 1 | 2 | 3 | 4, number, string];
  if (target.name === 'VP8X') {
    edit = rng.pick([
      [data, 1, rng.pick([0, 0x02, 0x08, 0x10, 0x20, 0x3e, 0xff]), 'flags'],
      [data + 4, 3, dimension(rng, 24, readUint(bytes, data + 4, 3, true)), 'canvasWidth-1'],
      [data + 7, 3, dimension(rng, 24, readUint(bytes, data + 7, 3, true)), 'canvasHeight-1'],
    ] as const);
  } else if (target.name === 'VP8L') {
    const packed = readUint(bytes, data + 1, 4, true);
    const field = rng.int(4);
    const value =
      field === 0
        ? (packed & ~0x3fff) | dimension(rng, 14, packed & 0x3fff)
        : field === 1
          ? (packed & ~(0x3fff << 14)) | (dimension(rng, 14, (packed >>> 14) & 0x3fff) << 14)
          : field === 2
            ? (packed & 0x1fffffff) | (rng.int(8) << 29)
            : packed ^ (1 << 28);
    edit = rng.chance(0.2)
      ? [data, 1, rng.pick([0, 0x2e, 0xff]), 'signature']
      : [data + 1, 4, value >>> 0, ['width-1', 'height-1', 'version', 'alpha'][field] as string];
  } else {
    edit = rng.pick([
      [data, 3, rng.chance(0.5) ? rng.int(0x1000000) : readUint(bytes, data, 3, true) ^ 1, 'frameTag'],
      [data + 3, 3, rng.pick([0x2a019d, 0, 0xffffff]), 'startCode'],
      [data + 6, 2, dimension(rng, 16, readUint(bytes, data + 6, 2, true)), 'width+scale'],
      [data + 8, 2, dimension(rng, 16, readUint(bytes, data + 8, 2, true)), 'height+scale'],
    ] as const);
  }
  const [offset, width, value, field] = edit;
  const out = withUint(bytes, offset, width, value, true);
  return out && { bytes: out, note: `${target.name.trim()}.${field}=${hex(value)}` };
};

/** VP8X canvas width and height (each stored minus one), set together. */
const canvasSize: Mutator = (bytes, { rng }) => {
  const vp8x = pick(bytes, rng, (unit) => unit.name === 'VP8X');
  const [width, height] = dimensionPair(rng, 24);
  const out = vp8x && withUint(bytes, vp8x.start + 12, 3, Math.max(0, width - 1), true);
  if (!vp8x || !out || vp8x.start + 18 > out.length) return undefined;
  out.writeUIntLE(Math.max(0, height - 1), vp8x.start + 15, 3);
  return { bytes: out, note: `VP8X.canvas=${width}x${height}` };
};

const u24 = (value: number): Buffer => {
  const out = Buffer.alloc(3);
  out.writeUIntLE(Math.min(0xffffff, Math.max(0, value)), 0, 3);
  return out;
};

/**
 * Wraps a still's bitstream (with its ALPH chunk, if any) in a VP8X + ANIM + n ANMF file: a frame-count bomb when
 * n is large, and frames that sit or extend outside the canvas when their offsets or sizes are edited.
 */
const animate: Mutator = (bytes, { rng }) => {
  const units = riffChunks(bytes);
  const frame = units.filter((unit) => unit.name === 'ALPH' || unit.name === 'VP8 ' || unit.name === 'VP8L');
  const image = frame.find((unit) => unit.name !== 'ALPH');
  if (!image || units.some((unit) => unit.name === 'ANIM')) return undefined;
  const vp8l = image.name === 'VP8L';
  const packed = readUint(bytes, image.start + 9, 4, true);
  const width = vp8l ? (packed & 0x3fff) + 1 : readUint(bytes, image.start + 14, 2, true) & 0x3fff;
  const height = vp8l ? ((packed >>> 14) & 0x3fff) + 1 : readUint(bytes, image.start + 16, 2, true) & 0x3fff;
  const frames = rng.pick([1, 2, 3, 50, 1001, 3000]);
  const payload = Buffer.concat(frame.map((unit) => bytes.subarray(unit.start, unit.end)));
  const count = Math.min(frames, Math.floor(4_000_000 / (payload.length + 24)));
  const odd = rng.chance(0.3);
  const anmf = riffChunk(
    'ANMF',
    Buffer.concat([
      u24(odd ? rng.pick([0, 1, 0x7fffff]) : 0),
      u24(odd ? rng.pick([0, 1, 0x7fffff]) : 0),
      u24(odd ? rng.pick([0, width * 2, 0xffffff]) : width - 1),
      u24(height - 1),
      u24(rng.pick([0, 100])),
      Buffer.from([rng.pick([0, 1, 2, 3])]),
      payload,
    ]),
  );
  const flags = 0x02 | (frame.some((unit) => unit.name === 'ALPH') || vp8l ? 0x10 : 0);
  const vp8x = riffChunk('VP8X', Buffer.concat([Buffer.from([flags, 0, 0, 0]), u24(width - 1), u24(height - 1)]));
  const anim = riffChunk('ANIM', Buffer.from([0, 0, 0, 0, rng.pick([0, 1]), 0]));
  const body = Buffer.concat([Buffer.from('WEBP'), vp8x, anim, ...Array.from({ length: count }, () => anmf)]);
  const header = Buffer.alloc(8);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(body.length, 4);
  return { bytes: Buffer.concat([header, body]), note: `animate x${count}${odd ? ' (frame outside canvas)' : ''}` };
};

/** The EXIF chunk, edited as TIFF. */
const exif: Mutator = (bytes, { rng }) => {
  const target = pick(bytes, rng, (unit) => unit.name === 'EXIF');
  if (!target) return undefined;
  const base = bytes.toString('latin1', target.start + 8, target.start + 12) === 'Exif' ? 14 : 8;
  const edit = editTiff(bytes, target.start + base, rng);
  return edit && { bytes: edit.bytes, note: `EXIF ${edit.note}` };
};

export const webp: FormatModel = {
  units: riffChunks,
  edits: [sizes, bitstreamHeader, bitstreamHeader, canvasSize, animate, exif],
};
