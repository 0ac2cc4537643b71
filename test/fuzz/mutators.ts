/**
 * Mutators that need no knowledge of the format (bit flips, interesting values, truncation, splicing) and the
 * structural ones that work on any format's units (duplicate, delete, swap, borrow from another file).
 */
import { interesting, type Mutator, replaceRange, type Unit } from './mutation';
import type { Rng } from './prng';

/** Half the time within the first 2 KiB, where headers, tables and chunk directories live. */
const position = (rng: Rng, length: number): number =>
  rng.chance(0.5) ? rng.int(Math.min(length, 2048)) : rng.int(length);

export const flipBits: Mutator = (bytes, { rng }) => {
  if (bytes.length === 0) return undefined;
  const out = Buffer.from(bytes);
  const count = rng.pick([1, 1, 2, 4, 8, 32]);
  for (let i = 0; i < count; i++) {
    const at = position(rng, out.length);
    out[at] = (out[at] as number) ^ (1 << rng.int(8));
  }
  return { bytes: out, note: `flip ${count} bit${count > 1 ? 's' : ''}` };
};

export const setInteresting: Mutator = (bytes, { rng }) => {
  const width = rng.pick([1, 1, 2, 4] as const);
  if (bytes.length < width) return undefined;
  const at = position(rng, bytes.length - width + 1);
  const value = interesting(rng, width);
  const out = Buffer.from(bytes);
  if (rng.chance(0.5)) out.writeUIntLE(value, at, width);
  else out.writeUIntBE(value, at, width);
  return { bytes: out, note: `set ${width}B @${at}=0x${value.toString(16)}` };
};

export const truncate: Mutator = (bytes, { rng }) => {
  if (bytes.length < 2) return undefined;
  const at = rng.chance(0.3) ? rng.int(Math.min(bytes.length, 64)) : rng.int(bytes.length);
  return { bytes: bytes.subarray(0, at), note: `truncate @${at}` };
};

export const deleteRange: Mutator = (bytes, { rng }) => {
  if (bytes.length < 4) return undefined;
  const start = position(rng, bytes.length);
  const end = Math.min(bytes.length, start + rng.between(1, rng.pick([4, 64, 1024])));
  return { bytes: replaceRange(bytes, start, end, Buffer.alloc(0)), note: `delete ${end - start}B @${start}` };
};

export const duplicateRange: Mutator = (bytes, { rng }) => {
  if (bytes.length < 4) return undefined;
  const start = position(rng, bytes.length);
  const end = Math.min(bytes.length, start + rng.between(1, rng.pick([4, 64, 1024])));
  const at = position(rng, bytes.length);
  const copy = Buffer.from(bytes.subarray(start, end));
  return { bytes: replaceRange(bytes, at, at, copy), note: `copy ${copy.length}B @${start} to @${at}` };
};

export const insertBytes: Mutator = (bytes, { rng }) => {
  const length = rng.pick([1, 4, 16, 256]);
  const fill = rng.chance(0.5) ? undefined : rng.pick([0, 0xff]);
  const insert = Buffer.from(Array.from({ length }, () => fill ?? rng.int(256)));
  const at = position(rng, bytes.length + 1);
  return { bytes: replaceRange(bytes, at, at, insert), note: `insert ${length}B @${at}` };
};

/** The head of this input and the tail of another (usually of the same format). */
export const splice: Mutator = (bytes, context) => {
  const donor = context.donor(context.rng.chance(0.2));
  if (bytes.length < 2 || donor.bytes.length < 2) return undefined;
  const cut = context.rng.int(bytes.length);
  const from = context.rng.int(donor.bytes.length);
  return {
    bytes: Buffer.concat([bytes.subarray(0, cut), donor.bytes.subarray(from)]),
    note: `splice @${cut} + ${donor.name}@${from}`,
  };
};

/** Structural mutators over a format's units; `units` is the format model's parser. */
export function structural(units: (bytes: Buffer) => Unit[]): Mutator[] {
  const someUnit = (bytes: Buffer, rng: Rng): Unit | undefined => {
    const all = units(bytes);
    return all.length > 0 ? rng.pick(all) : undefined;
  };
  const duplicate: Mutator = (bytes, { rng }) => {
    const unit = someUnit(bytes, rng);
    if (!unit) return undefined;
    const times = rng.pick([1, 1, 1, 2, 16]);
    const copies = Buffer.concat(Array.from({ length: times }, () => bytes.subarray(unit.start, unit.end)));
    const fix = rng.chance(0.8) ? unit.containers : [];
    return { bytes: replaceRange(bytes, unit.end, unit.end, copies, fix), note: `dup ${unit.name} x${times}` };
  };
  const remove: Mutator = (bytes, { rng }) => {
    const unit = someUnit(bytes, rng);
    if (!unit) return undefined;
    const fix = rng.chance(0.8) ? unit.containers : [];
    return { bytes: replaceRange(bytes, unit.start, unit.end, Buffer.alloc(0), fix), note: `drop ${unit.name}` };
  };
  const swap: Mutator = (bytes, { rng }) => {
    const all = units(bytes);
    if (all.length < 2) return undefined;
    const index = rng.int(all.length - 1);
    const [a, b] = [all[index] as Unit, all[index + 1] as Unit];
    if (a.end !== b.start) return undefined;
    const swapped = Buffer.concat([bytes.subarray(b.start, b.end), bytes.subarray(a.start, a.end)]);
    return { bytes: replaceRange(bytes, a.start, b.end, swapped), note: `swap ${a.name} ${b.name}` };
  };
  /** A unit from another file of the same format (another table, chunk or box) inserted before one of ours. */
  const borrow: Mutator = (bytes, context) => {
    const donor = context.donor();
    const theirs = someUnit(donor.bytes, context.rng);
    const ours = someUnit(bytes, context.rng);
    if (!theirs || !ours) return undefined;
    const insert = Buffer.from(donor.bytes.subarray(theirs.start, theirs.end));
    const fix = context.rng.chance(0.8) ? ours.containers : [];
    return {
      bytes: replaceRange(bytes, ours.start, ours.start, insert, fix),
      note: `${donor.name}:${theirs.name} before ${ours.name}`,
    };
  };
  /** Random bytes inside one unit's payload, leaving its framing alone. */
  const corrupt: Mutator = (bytes, { rng }) => {
    const unit = someUnit(bytes, rng);
    if (!unit || unit.end - unit.start <= 8) return undefined;
    const out = Buffer.from(bytes);
    const count = rng.between(1, 8);
    for (let i = 0; i < count; i++) out[unit.start + 8 + rng.int(unit.end - unit.start - 8)] = rng.int(256);
    return { bytes: out, note: `scribble ${unit.name} x${count}` };
  };
  return [duplicate, duplicate, remove, remove, swap, borrow, corrupt, corrupt];
}

export const GENERIC: Mutator[] = [
  flipBits,
  flipBits,
  setInteresting,
  setInteresting,
  truncate,
  deleteRange,
  duplicateRange,
  insertBytes,
  splice,
];
