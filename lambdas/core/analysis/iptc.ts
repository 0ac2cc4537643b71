/*
 * IPTC-IIM (the IPTC Information Interchange Model, 4.2), as sharp hands it over: a JPEG's APP13 payload (a
 * Photoshop 3.0 image resource block whose resource 0x0404 holds the IIM), or a TIFF's IPTC tag (the IIM itself).
 * No npm library reads these buffers: those that read IPTC (exifreader, exifr) parse a whole file again, which sharp
 * has already done. What is read is the uploader's to write, so every length is checked against what is there.
 */

/** What an IIM block says of the photo, each text decoded but not yet cleaned (described.ts bounds it). */
export interface IimText {
  keywords: string[];
  objectName?: string;
  headline?: string;
  caption?: string;
}

/** The largest IPTC buffer read: APP13 holds 64 KB; a bigger one is no photo's metadata. */
export const MAX_IPTC_BYTES = 1_000_000;
/** Datasets read at most: a keyword is one each, and a record keeps 40 (DESCRIBED_LIMITS). */
const MAX_DATASETS = 1000;
/** A Photoshop resource's image resource ID for IPTC-IIM. */
const IPTC_RESOURCE = 0x0404;
/** The IIM's tag marker: every dataset starts with it. */
const TAG_MARKER = 0x1c;
const PHOTOSHOP = Buffer.from('Photoshop 3.0\0', 'latin1');
const RESOURCE_SIGNATURE = Buffer.from('8BIM', 'latin1');
/** 1:90 Coded Character Set: `ESC % G` says the texts are UTF-8. */
const UTF8_DESIGNATION = Buffer.from([0x1b, 0x25, 0x47]);

/** The datasets kept: record 2 (application), by dataset number. */
const KEYWORDS = 25;
const OBJECT_NAME = 5;
const HEADLINE = 105;
const CAPTION = 120;

/**
 * The keywords, object name, headline and caption of an IPTC buffer; undefined when it holds no IIM or none of them.
 * A dataset whose length runs past the end, or bytes that are not a dataset where one should start (the zero
 * padding writers leave), end the read: the datasets before them are kept. Never throws.
 */
export function readIptc(raw: Buffer | undefined): IimText | undefined {
  if (raw === undefined || raw.length === 0 || raw.length > MAX_IPTC_BYTES) return undefined;
  const iim = iimOf(raw);
  if (iim === undefined) return undefined;
  const found = new Map<number, Buffer[]>();
  let utf8 = false;
  let at = 0;
  for (let count = 0; count < MAX_DATASETS && at + 5 <= iim.length && iim[at] === TAG_MARKER; count++) {
    const record = iim[at + 1] as number;
    const dataset = iim[at + 2] as number;
    const declared = iim.readUInt16BE(at + 3);
    let start = at + 5;
    let length = declared;
    // An extended dataset: the high bit set, the rest says how many bytes the length takes (IIM 4.2, 1.5.4).
    if (declared & 0x8000) {
      const bytes = declared & 0x7fff;
      if (bytes === 0 || bytes > 4 || start + bytes > iim.length) break;
      length = iim.readUIntBE(start, bytes);
      start += bytes;
    }
    if (start + length > iim.length) break;
    const data = iim.subarray(start, start + length);
    if (record === 1 && dataset === 90) utf8 = data.includes(UTF8_DESIGNATION);
    if (record === 2) found.set(dataset, [...(found.get(dataset) ?? []), data]);
    at = start + length;
  }
  const text = (dataset: number) => {
    const first = found.get(dataset)?.[0];
    return first === undefined ? undefined : decode(first, utf8);
  };
  const read: IimText = {
    keywords: (found.get(KEYWORDS) ?? []).map((data) => decode(data, utf8)),
    objectName: text(OBJECT_NAME),
    headline: text(HEADLINE),
    caption: text(CAPTION),
  };
  return read.keywords.length > 0 || read.objectName || read.headline || read.caption ? read : undefined;
}

/**
 * The IIM in an IPTC buffer: resource 0x0404 of a Photoshop image resource block (with or without the `Photoshop
 * 3.0` header), or the buffer itself when it starts as an IIM does.
 */
function iimOf(raw: Buffer): Buffer | undefined {
  if (raw[0] === TAG_MARKER) return raw;
  let at = raw.subarray(0, PHOTOSHOP.length).equals(PHOTOSHOP) ? PHOTOSHOP.length : 0;
  // Each resource: signature (4), ID (2), a Pascal name padded to even (1 + n), size (4), data padded to even.
  while (at + 12 <= raw.length && raw.subarray(at, at + 4).equals(RESOURCE_SIGNATURE)) {
    const id = raw.readUInt16BE(at + 4);
    const nameBytes = raw[at + 6] as number;
    const sizeAt = at + 6 + nameBytes + 1 + ((nameBytes + 1) % 2);
    if (sizeAt + 4 > raw.length) return undefined;
    const size = raw.readUInt32BE(sizeAt);
    const start = sizeAt + 4;
    if (start + size > raw.length) return undefined;
    if (id === IPTC_RESOURCE) return raw.subarray(start, start + size);
    at = start + size + (size % 2);
  }
  return undefined;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * A text as 1:90 says it is written: UTF-8, or else ISO 8859-1 (IIM's default). A text without 1:90 that is valid
 * UTF-8 is read as UTF-8: many writers leave 1:90 out, and Latin-1 text is seldom valid UTF-8 by chance (`Ã©` would
 * have to be meant).
 */
function decode(data: Buffer, utf8: boolean): string {
  if (utf8) return data.toString('utf8');
  try {
    return strictUtf8.decode(data);
  } catch {
    return data.toString('latin1');
  }
}
