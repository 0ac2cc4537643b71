/**
 * ISO-BMFF (AVIF, HEIC): nested boxes with their parents' sizes kept in step, and the item properties a HEIF
 * reader trusts: spatial extents, clean aperture, rotation, item locations, brands and item types.
 */
import {
  dimension,
  dimensionPair,
  type FormatModel,
  hex,
  type Mutator,
  readUint,
  type SizeField,
  type Unit,
  withUint,
} from '../mutation';
import type { Rng } from '../prng';

/** Boxes whose payload is more boxes, and how many bytes (version/flags, entry count) come first. */
const CONTAINERS: Record<string, (bytes: Buffer, payload: number) => number> = {
  meta: () => 4,
  iprp: () => 0,
  ipco: () => 0,
  dinf: () => 0,
  iref: () => 4,
  grpl: () => 0,
  moov: () => 0,
  trak: () => 0,
  mdia: () => 0,
  minf: () => 0,
  stbl: () => 0,
  iinf: (bytes, payload) => (bytes[payload] === 0 ? 6 : 8),
};

function walk(bytes: Buffer, start: number, end: number, parents: SizeField[], path: string, out: Unit[]): void {
  let at = start;
  while (at + 8 <= end && out.length < 2048) {
    let size = readUint(bytes, at, 4);
    const type = bytes.toString('latin1', at + 4, at + 8);
    let header = 8;
    if (size === 1) {
      size = readUint(bytes, at + 8, 4) * 2 ** 32 + readUint(bytes, at + 12, 4);
      header = 16;
    } else if (size === 0) {
      size = end - at;
    }
    const boxEnd = size < header ? end : Math.min(end, at + size);
    const name = path ? `${path}/${type}` : type;
    out.push({ name, start: at, end: boxEnd, containers: parents });
    const skip = CONTAINERS[type];
    if (skip && header === 8) {
      walk(bytes, at + 8 + skip(bytes, at + 8), boxEnd, [...parents, { offset: at, littleEndian: false }], name, out);
    }
    at = boxEnd;
  }
}

export function bmffBoxes(bytes: Buffer): Unit[] {
  const out: Unit[] = [];
  walk(bytes, 0, bytes.length, [], '', out);
  return out;
}

const byType = (bytes: Buffer, rng: Rng, type: string): Unit | undefined => {
  const matching = bmffBoxes(bytes).filter((unit) => unit.name === type || unit.name.endsWith(`/${type}`));
  return matching.length > 0 ? rng.pick(matching) : undefined;
};

const boxHeader: Mutator = (bytes, { rng }) => {
  const boxes = bmffBoxes(bytes);
  if (boxes.length === 0) return undefined;
  const box = rng.pick(boxes);
  if (rng.chance(0.6)) {
    const size = box.end - box.start;
    const value = rng.pick([0, 1, 7, 8, 9, size - 1, size + 1, size * 2, bytes.length, 0x7fffffff, 0xffffffff]);
    const out = withUint(bytes, box.start, 4, value);
    return out && { bytes: out, note: `${box.name}.size=${hex(value)}` };
  }
  const types = [
    'free',
    'ispe',
    'ipma',
    'ipco',
    'iloc',
    'iinf',
    'mdat',
    'meta',
    'pitm',
    'iref',
    'hvcC',
    'av1C',
    'colr',
  ];
  const type = rng.pick(types);
  const out = Buffer.from(bytes);
  out.write(type, box.start + 4, 'latin1');
  return { bytes: out, note: `${box.name} renamed ${type}` };
};

/** Properties: extents, clean aperture (a fraction: zero denominators), rotation, mirror, pixel depth. */
const property: Mutator = (bytes, { rng }) => {
  const kind = rng.pick(['ispe', 'ispe', 'clap', 'irot', 'imir', 'pixi', 'pitm'] as const);
  const box = byType(bytes, rng, kind);
  if (!box) return undefined;
  const at = box.start;
  let edit: [number, 1 | 2 | 4, number, string];
  if (kind === 'ispe') {
    const field = rng.int(2);
    edit = [
      at + 12 + 4 * field,
      4,
      dimension(rng, 32, readUint(bytes, at + 12 + 4 * field, 4)),
      ['width', 'height'][field] as string,
    ];
  } else if (kind === 'clap') {
    const field = rng.int(8);
    edit = [at + 8 + 4 * field, 4, rng.pick([0, 1, 2, 0x7fffffff, 0x80000000, 0xffffffff]), `[${field}]`];
  } else if (kind === 'pixi') {
    edit = rng.chance(0.3)
      ? [at + 12, 1, rng.pick([0, 1, 3, 4, 255]), 'channels']
      : [at + 13 + rng.int(3), 1, rng.pick([0, 1, 8, 10, 12, 16, 255]), 'bits'];
  } else if (kind === 'pitm') {
    edit = [at + 12, 2, rng.pick([0, 1, 2, 3, 0xffff]), 'item'];
  } else {
    edit = [at + 8, 1, rng.pick([0, 1, 2, 3, 4, 0xff]), kind === 'irot' ? 'angle' : 'axis'];
  }
  const [offset, width, value, field] = edit;
  const out = withUint(bytes, offset, width, value);
  return out && { bytes: out, note: `${kind}.${field}=${hex(value)}` };
};

/** Spatial extents, width and height together. */
const extents: Mutator = (bytes, { rng }) => {
  const ispe = byType(bytes, rng, 'ispe');
  const [width, height] = dimensionPair(rng, 32);
  const out = ispe && withUint(bytes, ispe.start + 12, 4, width);
  if (!ispe || !out || ispe.start + 20 > out.length) return undefined;
  out.writeUInt32BE(height, ispe.start + 16);
  return { bytes: out, note: `ispe.size=${width}x${height}` };
};

/** Item locations: an extent's offset or length moved, past the end, to zero; or the extent count. */
const itemLocation: Mutator = (bytes, { rng }) => {
  const box = byType(bytes, rng, 'iloc');
  if (!box) return undefined;
  const at = box.start + 8;
  const version = bytes[at] as number;
  const offsetSize = (bytes[at + 4] ?? 0) >> 4;
  const lengthSize = (bytes[at + 4] ?? 0) & 15;
  const baseSize = (bytes[at + 5] ?? 0) >> 4;
  const indexSize = version >= 1 ? (bytes[at + 5] ?? 0) & 15 : 0;
  const idSize = version < 2 ? 2 : 4;
  const items = readUint(bytes, at + 6, idSize === 2 ? 2 : 4);
  let cursor = at + 6 + idSize;
  const fields: [number, number, string][] = [[at + 6, idSize, 'itemCount']];
  for (let i = 0; i < Math.min(items, 64) && cursor < box.end; i++) {
    cursor += idSize + (version >= 1 ? 2 : 0) + 2 + baseSize;
    const extents = readUint(bytes, cursor, 2);
    fields.push([cursor, 2, `item${i}.extentCount`]);
    cursor += 2;
    for (let e = 0; e < Math.min(extents, 64) && cursor < box.end; e++) {
      cursor += indexSize;
      if (offsetSize) fields.push([cursor, offsetSize, `item${i}.extent${e}.offset`]);
      cursor += offsetSize;
      if (lengthSize) fields.push([cursor, lengthSize, `item${i}.extent${e}.length`]);
      cursor += lengthSize;
    }
  }
  const [offset, size, field] = rng.pick(fields);
  const width = Math.min(4, size) as 1 | 2 | 4;
  const place = offset + size - width;
  const original = readUint(bytes, place, width);
  const value =
    rng.pick([0, 1, original + 1, original - 1, original * 2, bytes.length, 2 ** (8 * width) - 1]) % 2 ** (8 * width);
  const out = withUint(bytes, place, width, Math.max(0, value));
  return out && { bytes: out, note: `iloc.${field}=${hex(value)}` };
};

/** Which decoder sees the file (AVIF vs HEIC brands) and what it thinks an item is (grid, identity, Exif...). */
const typeSwap: Mutator = (bytes, { rng }) => {
  if (rng.chance(0.5)) {
    const ftyp = byType(bytes, rng, 'ftyp');
    if (!ftyp) return undefined;
    const slots = [8, ...Array.from({ length: Math.max(0, (ftyp.end - ftyp.start - 16) / 4) }, (_, i) => 16 + 4 * i)];
    const slot = rng.pick(slots);
    const brand = rng.pick(['avif', 'avis', 'heic', 'heix', 'mif1', 'msf1', 'hevc', 'miaf', 'jpeg', 'xxxx']);
    const out = Buffer.from(bytes);
    out.write(brand, ftyp.start + slot, 'latin1');
    return { bytes: out, note: `ftyp[${slot}]=${brand}` };
  }
  const infe = byType(bytes, rng, 'infe');
  if (!infe || (bytes[infe.start + 8] ?? 0) < 2) return undefined;
  const typeAt = infe.start + 12 + ((bytes[infe.start + 8] ?? 0) === 2 ? 4 : 6);
  const type = rng.pick(['av01', 'hvc1', 'grid', 'iden', 'iovl', 'Exif', 'mime', 'jpeg', 'unci']);
  const out = Buffer.from(bytes);
  out.write(type, typeAt, 'latin1');
  return { bytes: out, note: `infe.type=${type}` };
};

/** Item property associations: a property index past the table, or essential flags flipped. */
const associations: Mutator = (bytes, { rng }) => {
  const ipma = byType(bytes, rng, 'ipma');
  if (!ipma || ipma.end - ipma.start < 20) return undefined;
  const at = ipma.start + 16 + rng.int(ipma.end - ipma.start - 16);
  const value = rng.pick([0, 0x80, 0x7f, 0xff, 0x01, 0x0f]);
  const out = withUint(bytes, at, 1, value);
  return out && { bytes: out, note: `ipma[${at - ipma.start}]=${hex(value)}` };
};

export const bmff: FormatModel = {
  units: bmffBoxes,
  edits: [boxHeader, property, property, extents, itemLocation, itemLocation, typeSwap, associations],
};
