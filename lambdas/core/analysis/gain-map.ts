import type { Hdr } from '../record';

/*
 * An HDR gain map in a JPEG (Android's Ultra HDR v1, Adobe's gain map, ISO 21496-1): the file is an SDR JPEG, the
 * primary picture, with a second JPEG, the gain map, appended after it and indexed by the primary's MPF (CIPA DC-007)
 * APP2 segment. The primary says so in its XMP (the `hdrgm` namespace) or in an ISO 21496-1 APP2 segment; the gain
 * map's own XMP carries its parameters. Read from the markers alone: no pixel is decoded, and the gain map is never
 * taken for the picture (libvips, like every JPEG decoder, stops at the primary's EOI).
 */

const XMP_ID = Buffer.from('http://ns.adobe.com/xap/1.0/\0', 'latin1');
const MPF_ID = Buffer.from('MPF\0', 'latin1');
const ISO_21496_ID = Buffer.from('urn:iso:std:iso:ts:21496:-1\0', 'latin1');
const HDRGM_NAMESPACE = 'http://ns.adobe.com/hdr-gain-map/1.0/';

interface Segments {
  xmp?: Buffer;
  /** The MPF segment's payload after its identifier: a TIFF header, from which its offsets count. */
  mpf?: { tiff: Buffer; start: number };
  iso21496: boolean;
  /** Width and height from the frame header (SOF), when one came before the scan. */
  size?: { width: number; height: number };
}

/** The gain map a JPEG carries, or undefined when it has none (or its markers do not parse). */
export function gainMapOf(bytes: Buffer): Hdr | undefined {
  const primary = segmentsOf(bytes, 0);
  if (!primary) return undefined;
  const xmp = primary.xmp?.toString('utf8') ?? '';
  const hdrgm = xmp.includes(HDRGM_NAMESPACE);
  if (!hdrgm && !primary.iso21496) return undefined;
  const secondary = secondaryImage(bytes, primary, xmp);
  const map = secondary === undefined ? undefined : segmentsOf(bytes, secondary);
  const headroom = capacityMax(map?.xmp?.toString('utf8') ?? '') ?? capacityMax(xmp);
  return {
    kind: hdrgm ? 'ultra-hdr' : 'iso-21496-1',
    ...(map?.size && { gainMap: map.size }),
    ...(headroom !== undefined && { headroom }),
  };
}

/** The JPEG's segments up to its first scan, from `start` (its SOI); undefined when it is no JPEG there. */
function segmentsOf(bytes: Buffer, start: number): Segments | undefined {
  if (bytes[start] !== 0xff || bytes[start + 1] !== 0xd8) return undefined;
  const found: Segments = { iso21496: false };
  let offset = start + 2;
  while (offset + 4 <= bytes.length) {
    if (bytes[offset] !== 0xff) return found;
    const marker = bytes[offset + 1] as number;
    if (marker === 0xff) {
      offset++; // fill byte
      continue;
    }
    if (marker === 0xda || marker === 0xd9) return found;
    const length = bytes.readUInt16BE(offset + 2);
    const body = bytes.subarray(offset + 4, Math.min(bytes.length, offset + 2 + length));
    if (marker === 0xe1 && startsWith(body, XMP_ID)) found.xmp ??= body.subarray(XMP_ID.length);
    if (marker === 0xe2 && startsWith(body, MPF_ID)) {
      found.mpf ??= { tiff: body.subarray(MPF_ID.length), start: offset + 4 + MPF_ID.length };
    }
    if (marker === 0xe2 && startsWith(body, ISO_21496_ID)) found.iso21496 = true;
    // SOF0-SOF15 but DHT (C4), JPG (C8) and DAC (CC): precision, height, width.
    if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker) && body.length >= 5) {
      found.size ??= { height: body.readUInt16BE(1), width: body.readUInt16BE(3) };
    }
    offset += 2 + length;
  }
  return found;
}

/**
 * Where the gain map JPEG starts: the MPF index's second entry (its offset counts from the MPF's TIFF header), else,
 * as Ultra HDR's XMP `Container:Directory` lists it, the last `Item:Length` bytes of the file.
 */
function secondaryImage(bytes: Buffer, primary: Segments, xmp: string): number | undefined {
  const fromMpf = primary.mpf && mpfSecondOffset(primary.mpf.tiff);
  if (fromMpf !== undefined) {
    const start = (primary.mpf as { start: number }).start + fromMpf;
    if (start < bytes.length) return start;
  }
  const lengths = [...xmp.matchAll(/Item:Length\s*=\s*"(\d+)"/g)].map((match) => Number(match[1]));
  const last = lengths.at(-1);
  return last && last < bytes.length ? bytes.length - last : undefined;
}

/** The second MP entry's data offset in an MPF's TIFF structure (its MPEntry tag, B002). */
function mpfSecondOffset(tiff: Buffer): number | undefined {
  if (tiff.length < 8) return undefined;
  const little = tiff.toString('latin1', 0, 2) === 'II';
  const u16 = (at: number) => (little ? tiff.readUInt16LE(at) : tiff.readUInt16BE(at));
  const u32 = (at: number) => (little ? tiff.readUInt32LE(at) : tiff.readUInt32BE(at));
  const ifd = u32(4);
  if (ifd + 2 > tiff.length) return undefined;
  const count = u16(ifd);
  for (let index = 0; index < count; index++) {
    const entry = ifd + 2 + index * 12;
    if (entry + 12 > tiff.length) return undefined;
    if (u16(entry) !== 0xb002) continue;
    const entries = u32(entry + 4) / 16;
    const at = u32(entry + 8);
    if (entries < 2 || at + 32 > tiff.length) return undefined;
    const offset = u32(at + 16 + 8);
    return offset > 0 ? offset : undefined;
  }
  return undefined;
}

/** `hdrgm:HDRCapacityMax`, as an attribute or an element, when it is a number of stops in range. */
function capacityMax(xmp: string): number | undefined {
  const match = /hdrgm:HDRCapacityMax\s*(?:=\s*"|>)\s*([0-9.]+)/.exec(xmp);
  const value = match ? Number(match[1]) : Number.NaN;
  return Number.isFinite(value) && value >= 0 && value <= 16 ? Math.round(value * 1000) / 1000 : undefined;
}

function startsWith(body: Buffer, id: Buffer): boolean {
  return body.length >= id.length && body.subarray(0, id.length).equals(id);
}
