/*
 * Canon CR3 (ISO-BMFF): where its pictures and its EXIF are, after ExifTool's and LibRaw's descriptions of the
 * format. The full-size JPEG is the first track's one sample; the preview uuid box holds a PRVW box with a smaller
 * one (1620 px wide); Canon's uuid box inside moov holds the TIFF blocks CMT1 (IFD0), CMT2 (EXIF IFD) and CMT4 (GPS).
 */

export interface Cr3Parts {
  /** [offset, length] of each JPEG found: the first track's sample, then PRVW's. */
  jpegs: [number, number][];
  /** The TIFF blocks by box name (CMT1, CMT2, CMT4). */
  tiffs: Partial<Record<'CMT1' | 'CMT2' | 'CMT4', Buffer>>;
}

const CANON_UUID = '85c0b687820f11e08111f4ce462b6a48';
const PREVIEW_UUID = 'eaf42b5e1c984b88b9fbb7dc406e4d16';
const MAX_BOXES = 4096;

interface Box {
  type: string;
  /** Where the box's content starts (after its header, and its 16-byte uuid for a `uuid` box) and ends. */
  start: number;
  end: number;
  uuid?: string;
}

function boxes(bytes: Buffer, start: number, end: number): Box[] {
  const out: Box[] = [];
  let at = start;
  while (at + 8 <= end && out.length < MAX_BOXES) {
    let size = bytes.readUInt32BE(at);
    const type = bytes.toString('latin1', at + 4, at + 8);
    let header = 8;
    if (size === 1) {
      if (at + 16 > end) break;
      size = Number(bytes.readBigUInt64BE(at + 8));
      header = 16;
    } else if (size === 0) size = end - at;
    if (size < header || at + size > end) break;
    let uuid: string | undefined;
    if (type === 'uuid') {
      if (header + 16 > size) break;
      uuid = bytes.toString('hex', at + header, at + header + 16);
      header += 16;
    }
    out.push({ type, start: at + header, end: at + size, uuid });
    at += size;
  }
  return out;
}

const child = (bytes: Buffer, box: Box | undefined, type: string): Box | undefined =>
  box && boxes(bytes, box.start, box.end).find((inner) => inner.type === type);

export function cr3Parts(bytes: Buffer): Cr3Parts {
  const top = boxes(bytes, 0, bytes.length);
  const parts: Cr3Parts = { jpegs: [], tiffs: {} };
  const moov = top.find((box) => box.type === 'moov');
  const inMoov = moov ? boxes(bytes, moov.start, moov.end) : [];
  const canon = inMoov.find((box) => box.type === 'uuid' && box.uuid === CANON_UUID);
  if (canon) {
    for (const box of boxes(bytes, canon.start, canon.end)) {
      if (box.type === 'CMT1' || box.type === 'CMT2' || box.type === 'CMT4') {
        parts.tiffs[box.type] = bytes.subarray(box.start, box.end);
      }
    }
  }
  const sample = firstTrackSample(
    bytes,
    inMoov.find((box) => box.type === 'trak'),
  );
  if (sample) parts.jpegs.push(sample);
  const preview = top.find((box) => box.type === 'uuid' && box.uuid === PREVIEW_UUID);
  // The preview uuid's content: 8 bytes, then the PRVW box; PRVW: 16 bytes of fields (width and height at 6 and 8,
  // the JPEG's length at 12), then the JPEG.
  const prvw = preview && boxes(bytes, preview.start + 8, preview.end).find((box) => box.type === 'PRVW');
  if (prvw && prvw.start + 16 <= prvw.end) {
    const length = bytes.readUInt32BE(prvw.start + 12);
    parts.jpegs.push([prvw.start + 16, Math.min(length, prvw.end - prvw.start - 16)]);
  }
  return parts;
}

/** The first track's first sample: its chunk offset (co64 or stco) and its size (stsz). */
function firstTrackSample(bytes: Buffer, trak: Box | undefined): [number, number] | undefined {
  const stbl = child(bytes, child(bytes, child(bytes, trak, 'mdia'), 'minf'), 'stbl');
  if (!stbl) return undefined;
  const inner = boxes(bytes, stbl.start, stbl.end);
  const stsz = inner.find((box) => box.type === 'stsz');
  const co64 = inner.find((box) => box.type === 'co64');
  const stco = inner.find((box) => box.type === 'stco');
  if (!stsz || stsz.start + 16 > stsz.end) return undefined;
  // stsz: version+flags, the sample size for all (0: each has its own), the count, then the sizes.
  const size = bytes.readUInt32BE(stsz.start + 4) || bytes.readUInt32BE(stsz.start + 12);
  let offset: number | undefined;
  if (co64 && co64.start + 16 <= co64.end) offset = Number(bytes.readBigUInt64BE(co64.start + 8));
  else if (stco && stco.start + 12 <= stco.end) offset = bytes.readUInt32BE(stco.start + 8);
  return offset === undefined ? undefined : [offset, size];
}

/**
 * CR3's EXIF as one TIFF block exif-reader reads: CMT1 (IFD0) as it is, then CMT2 (the EXIF IFD) and CMT4 (GPS) with
 * their offsets moved to where they now sit, then a copy of IFD0 with the two pointers to them added, which the header
 * then names. Undefined without CMT1; a block of another byte order than CMT1's is left out.
 */
export function cr3Exif(tiffs: Cr3Parts['tiffs']): Buffer | undefined {
  const { CMT1: ifd0Block } = tiffs;
  if (!ifd0Block || ifd0Block.length < 8) return undefined;
  const order = ifd0Block.toString('latin1', 0, 2);
  const le = order === 'II';
  const u16 = (b: Buffer, at: number) => (at + 2 > b.length ? 0 : le ? b.readUInt16LE(at) : b.readUInt16BE(at));
  const u32 = (b: Buffer, at: number) => (at + 4 > b.length ? 0 : le ? b.readUInt32LE(at) : b.readUInt32BE(at));
  const put32 = (b: Buffer, v: number, at: number) => (le ? b.writeUInt32LE(v, at) : b.writeUInt32BE(v, at));
  const sizes: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8 };
  const entriesOf = (b: Buffer): Buffer[] => {
    const at = u32(b, 4);
    const count = Math.min(u16(b, at), Math.floor((b.length - at - 2) / 12), 1000);
    return Array.from({ length: Math.max(0, count) }, (_, i) => b.subarray(at + 2 + i * 12, at + 14 + i * 12));
  };
  const parts: Buffer[] = [ifd0Block];
  let length = ifd0Block.length;
  const pointers: Buffer[] = [];
  for (const [name, tag] of [
    ['CMT2', 34665],
    ['CMT4', 34853],
  ] as const) {
    const block = tiffs[name];
    if (!block || block.length < 8 || block.toString('latin1', 0, 2) !== order) continue;
    const pad = length % 2;
    const base = length + pad;
    const moved = Buffer.from(block);
    for (const entry of entriesOf(moved)) {
      const bytes = (sizes[u16(entry, 2)] ?? 0) * u32(entry, 4);
      if (bytes > 4) put32(entry, u32(entry, 8) + base, 8);
    }
    parts.push(Buffer.alloc(pad), moved);
    const pointer = Buffer.alloc(12);
    if (le) {
      pointer.writeUInt16LE(tag, 0);
      pointer.writeUInt16LE(4, 2);
    } else {
      pointer.writeUInt16BE(tag, 0);
      pointer.writeUInt16BE(4, 2);
    }
    put32(pointer, 1, 4);
    put32(pointer, base + u32(block, 4), 8);
    pointers.push(pointer);
    length = base + moved.length;
  }
  const entries = [...entriesOf(ifd0Block).filter((e) => u16(e, 0) !== 34665 && u16(e, 0) !== 34853), ...pointers];
  entries.sort((a, b) => u16(a, 0) - u16(b, 0));
  const ifd = Buffer.alloc(2 + entries.length * 12 + 4);
  if (le) ifd.writeUInt16LE(entries.length, 0);
  else ifd.writeUInt16BE(entries.length, 0);
  for (const [i, entry] of entries.entries()) entry.copy(ifd, 2 + i * 12);
  const pad = Buffer.alloc(length % 2);
  const merged = Buffer.concat([...parts, pad, ifd]);
  put32(merged, length + pad.length, 4);
  return merged;
}
