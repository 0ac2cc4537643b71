/** PNG: chunks, IHDR fields, CRCs (kept valid most of the time, so the decoder looks past them), extra chunks. */
import { crc32, deflateSync } from 'node:zlib';
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

const SIGNATURE_LENGTH = 8;

export function pngChunks(bytes: Buffer): Unit[] {
  if (bytes.toString('latin1', 1, 4) !== 'PNG') return [];
  const units: Unit[] = [];
  let at = SIGNATURE_LENGTH;
  while (at + 12 <= bytes.length && units.length < 4096) {
    const end = Math.min(bytes.length, at + 12 + readUint(bytes, at, 4));
    units.push({ name: bytes.toString('latin1', at + 4, at + 8), start: at, end });
    at = end;
  }
  return units;
}

export function chunk(type: string, data: Buffer): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** Rewrites a chunk's CRC, unless this mutation means to leave it wrong (one time in five). */
function fixCrc(bytes: Buffer, unit: Unit, rng: Rng): string {
  if (unit.end - unit.start < 12 || rng.chance(0.2)) return ' (crc bad)';
  bytes.writeUInt32BE(crc32(bytes.subarray(unit.start + 4, unit.end - 4)), unit.end - 4);
  return '';
}

const pick = (bytes: Buffer, rng: Rng, test: (unit: Unit) => boolean): Unit | undefined => {
  const matching = pngChunks(bytes).filter(test);
  return matching.length > 0 ? rng.pick(matching) : undefined;
};

const header: Mutator = (bytes, { rng }) => {
  const ihdr = pick(bytes, rng, (unit) => unit.name === 'IHDR' && unit.end - unit.start >= 25);
  if (!ihdr) return undefined;
  const at = ihdr.start + 8;
  const field = rng.pick(['width', 'height', 'depth', 'colour', 'compression', 'filter', 'interlace'] as const);
  const [offset, width, value] = {
    width: [at, 4, dimension(rng, 31, readUint(bytes, at, 4))],
    height: [at + 4, 4, dimension(rng, 31, readUint(bytes, at + 4, 4))],
    depth: [at + 8, 1, rng.pick([0, 1, 2, 3, 4, 8, 16, 32, 255])],
    colour: [at + 9, 1, rng.pick([0, 1, 2, 3, 4, 5, 6, 7, 255])],
    compression: [at + 10, 1, rng.pick([0, 1, 255])],
    filter: [at + 11, 1, rng.pick([0, 1, 255])],
    interlace: [at + 12, 1, rng.pick([0, 1, 2, 255])],
  }[field] as [number, 1 | 4, number];
  const out = withUint(bytes, offset, width, value);
  return out && { bytes: out, note: `IHDR.${field}=${hex(value)}${fixCrc(out, ihdr, rng)}` };
};

const size: Mutator = (bytes, { rng }) => {
  const ihdr = pick(bytes, rng, (unit) => unit.name === 'IHDR' && unit.end - unit.start >= 25);
  if (!ihdr) return undefined;
  const [width, height] = dimensionPair(rng, 31);
  const out = Buffer.from(bytes);
  out.writeUInt32BE(width, ihdr.start + 8);
  out.writeUInt32BE(height, ihdr.start + 12);
  return { bytes: out, note: `IHDR.size=${width}x${height}${fixCrc(out, ihdr, rng)}` };
};

const chunkLength: Mutator = (bytes, { rng }) => {
  const target = pick(bytes, rng, () => true);
  if (!target) return undefined;
  const length = readUint(bytes, target.start, 4);
  const value = rng.pick([0, 1, 0x7fffffff, 0x80000000, 0xffffffff, length + 1, Math.max(0, length - 1)]);
  const out = withUint(bytes, target.start, 4, value);
  return out && { bytes: out, note: `${target.name}.length=${hex(value)}` };
};

/** Bytes changed inside a chunk's data, CRC rewritten so the decoder parses what it carries. */
const chunkData: Mutator = (bytes, { rng }) => {
  const target = pick(bytes, rng, (unit) => unit.end - unit.start > 12);
  if (!target) return undefined;
  const out = Buffer.from(bytes);
  const count = rng.between(1, 4);
  for (let i = 0; i < count; i++) {
    const at = target.start + 8 + rng.int(Math.min(target.end - target.start - 12, 256));
    out[at] = rng.chance(0.5) ? rng.int(256) : rng.pick([0, 0xff, 0x7f, 0x80]);
  }
  return { bytes: out, note: `${target.name} data x${count}${fixCrc(out, target, rng)}` };
};

let bombs: { zeros: Buffer } | undefined;
/** 64 MiB of zeros deflated to ~64 KiB, made once: a decompression bomb for compressed text and ICC chunks. */
const zlibBomb = (): Buffer => {
  bombs ??= { zeros: deflateSync(Buffer.alloc(64 * 1024 * 1024), { level: 9 }) };
  return bombs.zeros;
};

/** A chunk the seed did not have, placed after IHDR or before the first IDAT. */
const extraChunk: Mutator = (bytes, context) => {
  const { rng } = context;
  const units = pngChunks(bytes);
  const anchor = units.find((unit) => unit.name === (rng.chance(0.5) ? 'IHDR' : 'IDAT'));
  if (!anchor) return undefined;
  const u32 = (value: number) => {
    const out = Buffer.alloc(4);
    out.writeUInt32BE(value >>> 0);
    return out;
  };
  const random = (length: number) => Buffer.from(Array.from({ length }, () => rng.int(256)));
  const kind = rng.pick([
    'acTL',
    'fcTL',
    'PLTE',
    'tRNS',
    'iCCP',
    'zTXt',
    'iTXt',
    'eXIf',
    'IEND',
    'IDAT',
    'sBIT',
    'gAMA',
  ] as const);
  let data: Buffer;
  switch (kind) {
    case 'acTL':
      data = Buffer.concat([u32(rng.pick([0, 1, 2, 1001, 0xffffffff])), u32(rng.pick([0, 1]))]);
      break;
    case 'fcTL':
      data = Buffer.concat([u32(0), u32(dimension(rng, 31, 64)), u32(dimension(rng, 31, 64)), random(14)]);
      break;
    case 'PLTE':
      data = random(rng.pick([0, 3, 6, 768, 769, 1536]));
      break;
    case 'tRNS':
      data = random(rng.pick([0, 1, 2, 6, 256, 257]));
      break;
    case 'iCCP':
      data = Buffer.concat([Buffer.from('icc\0\0'), rng.chance(0.5) ? zlibBomb() : deflateSync(random(rng.int(600)))]);
      break;
    case 'zTXt':
      data = Buffer.concat([Buffer.from('Comment\0\0'), zlibBomb()]);
      break;
    case 'iTXt':
      data = Buffer.concat([Buffer.from('Comment\0\x01\0en\0\0'), rng.chance(0.5) ? zlibBomb() : random(64)]);
      break;
    case 'eXIf': {
      const donor = context.donor(true).bytes;
      const at = donor.indexOf('Exif\0\0');
      data = at >= 0 ? donor.subarray(at + 6, at + 6 + 4096) : random(64);
      break;
    }
    case 'sBIT':
      data = random(rng.pick([0, 1, 3, 4]));
      break;
    case 'gAMA':
      data = u32(rng.pick([0, 1, 0xffffffff]));
      break;
    default:
      data = Buffer.alloc(0);
  }
  const inserted = chunk(kind, data);
  const at = anchor.name === 'IHDR' ? anchor.end : anchor.start;
  return {
    bytes: Buffer.concat([bytes.subarray(0, at), inserted, bytes.subarray(at)]),
    note: `+${kind}(${data.length}) ${anchor.name === 'IHDR' ? 'after IHDR' : 'before IDAT'}`,
  };
};

/** The eXIf chunk (EXIF without a wrapper), edited as TIFF with its CRC fixed. */
const exif: Mutator = (bytes, { rng }) => {
  const target = pick(bytes, rng, (unit) => unit.name === 'eXIf');
  if (!target) return undefined;
  const edit = editTiff(bytes, target.start + 8, rng);
  return edit && { bytes: edit.bytes, note: `eXIf ${edit.note}${fixCrc(edit.bytes, target, rng)}` };
};

export const png: FormatModel = {
  units: pngChunks,
  edits: [header, header, header, size, chunkLength, chunkData, chunkData, extraChunk, extraChunk, exif],
};
