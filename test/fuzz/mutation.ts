/** The vocabulary shared by the mutators: formats, structural units, byte edits and interesting values. */
import type { Rng } from './prng';

export const FUZZ_FORMATS = ['jpeg', 'png', 'webp', 'gif', 'tiff', 'avif', 'heic'] as const;
export type FuzzFormat = (typeof FUZZ_FORMATS)[number];

/** A big-endian or little-endian unsigned length field of a container around a unit (RIFF size, parent box). */
export interface SizeField {
  offset: number;
  littleEndian: boolean;
}

/** A structural piece of a file: JPEG segment, PNG chunk, RIFF chunk, GIF block or ISO-BMFF box. */
export interface Unit {
  name: string;
  start: number;
  end: number;
  /** Fixed up (most of the time) when bytes are inserted or removed at this unit. */
  containers?: SizeField[];
}

/** A mutated copy of the input and a short note of what was done, kept with every finding. */
export interface Mutation {
  bytes: Buffer;
  note: string;
}

export interface Donor {
  name: string;
  format: FuzzFormat;
  bytes: Buffer;
}

/** What a mutator may use besides its input: the iteration's random stream and other seeds to splice from. */
export interface MutationContext {
  rng: Rng;
  format: FuzzFormat;
  /** Another seed input, of the same format unless `anyFormat`. */
  donor(anyFormat?: boolean): Donor;
}

/** Returns undefined when it does not apply to this input (no such chunk, too short...). */
export type Mutator = (bytes: Buffer, context: MutationContext) => Mutation | undefined;

/** What the engine knows about one format. */
export interface FormatModel {
  units(bytes: Buffer): Unit[];
  /** Edits that know the format: header fields, tables, checksums, frame counts. */
  edits: Mutator[];
}

export const INTERESTING_8 = [0, 1, 0x7f, 0x80, 0xff] as const;
export const INTERESTING_16 = [0, 1, 0xff, 0x100, 0x3fff, 0x7fff, 0x8000, 0xffff] as const;
export const INTERESTING_32 = [0, 1, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xffffffff] as const;

/** A width or height worth trying for a field of `bits` bits: zero, one, the maximum, near the original, random. */
export function dimension(rng: Rng, bits: number, original: number): number {
  const max = bits >= 32 ? 0xffffffff : 2 ** bits - 1;
  const choices = [0, 1, 2, max, max - 1, Math.floor(max / 2), original + 1, original - 1, original * 2, original * 16];
  const value = rng.chance(0.8) ? rng.pick(choices) : rng.int(max + 1);
  return Math.min(max, Math.max(0, value));
}

/**
 * A width and height together: a sliver (1 x max, far past any sane aspect ratio, yet few pixels), zero, one
 * pixel, or the largest both ways.
 */
export function dimensionPair(rng: Rng, bits: number): [number, number] {
  const max = bits >= 32 ? 0xffffffff : 2 ** bits - 1;
  const sliver = Math.min(max, 30_000);
  return rng.pick<[number, number]>([
    [1, max],
    [max, 1],
    [1, sliver],
    [sliver, 1],
    [2, sliver],
    [0, 0],
    [1, 1],
    [max, max],
  ]);
}

/** An interesting unsigned value that fits in `bytes` bytes. */
export function interesting(rng: Rng, bytes: 1 | 2 | 3 | 4): number {
  if (bytes === 1) return rng.pick(INTERESTING_8);
  if (bytes === 2) return rng.pick(INTERESTING_16);
  if (bytes === 3) return rng.pick([0, 1, 0x3fff, 0x7fffff, 0xffffff]);
  return rng.pick(INTERESTING_32);
}

/** A copy of `bytes` with an unsigned integer written at `offset`; undefined if it does not fit. */
export function withUint(
  bytes: Buffer,
  offset: number,
  width: 1 | 2 | 3 | 4,
  value: number,
  littleEndian = false,
): Buffer | undefined {
  if (offset < 0 || offset + width > bytes.length) return undefined;
  const copy = Buffer.from(bytes);
  if (littleEndian) copy.writeUIntLE(value >>> 0, offset, width);
  else copy.writeUIntBE(value >>> 0, offset, width);
  return copy;
}

export function readUint(bytes: Buffer, offset: number, width: 1 | 2 | 3 | 4, littleEndian = false): number {
  if (offset < 0 || offset + width > bytes.length) return 0;
  return littleEndian ? bytes.readUIntLE(offset, width) : bytes.readUIntBE(offset, width);
}

/** `bytes` with [start, end) replaced by `insert`, and each container's length field moved by the size change. */
export function replaceRange(
  bytes: Buffer,
  start: number,
  end: number,
  insert: Buffer,
  containers: SizeField[] = [],
): Buffer {
  const out = Buffer.concat([bytes.subarray(0, start), insert, bytes.subarray(end)]);
  const delta = insert.length - (end - start);
  for (const { offset, littleEndian } of containers) {
    if (offset + 4 > start) continue;
    const size = readUint(out, offset, 4, littleEndian);
    const resized = Math.min(0xffffffff, Math.max(0, size + delta));
    if (littleEndian) out.writeUInt32LE(resized, offset);
    else out.writeUInt32BE(resized, offset);
  }
  return out;
}

export const hex = (value: number): string => `0x${value.toString(16)}`;
