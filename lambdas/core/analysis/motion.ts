import exifReader from 'exif-reader';
import type { Motion } from '../record';
import { videoFacts } from './mp4';
import {
  attributesOf,
  elementName,
  MAX_XMP_BYTES,
  parser,
  qualified,
  type Scope,
  unescaped,
  walkElements,
  withNamespaces,
  type XmlNode,
  type XmpElement,
} from './xmp';

/*
 * Motion photos: a still with a short video after it, in one file.
 * - Google's Motion Photo (Camera XMP 1.0): `GCamera:MotionPhoto="1"` and a `Container:Directory` whose items follow
 *   the primary image in order, each with its `Item:Length` (and `Item:Padding` after it), so the video's offset is
 *   the file's length less its own length and every later item's.
 * - Google's older MicroVideo: `GCamera:MicroVideo="1"` and `GCamera:MicroVideoOffset`, the video's length, from
 *   the end of the file.
 * - Samsung's: no XMP claim, but a trailer after the still: a `MotionPhoto_Data` entry (its SEF directory at the end
 *   of the file, `SEFH` ... `SEFT`, says where) holding the MP4.
 * Where the XMP says, the video is looked for there and nowhere else; what is there must be an MP4 (an `ftyp` box),
 * or the still is recorded without motion, with a note. The still alone goes to the decoder: the caller cuts the
 * bytes at `stillEnd`.
 */

const NS = {
  camera: 'http://ns.google.com/photos/1.0/camera/',
  container: 'http://ns.google.com/photos/1.0/container/',
  item: 'http://ns.google.com/photos/1.0/container/item/',
} as const;

const XMP_SIGNATURE = Buffer.from('http://ns.adobe.com/xap/1.0/\0', 'latin1');
const SAMSUNG_MARKER = Buffer.from('MotionPhoto_Data', 'latin1');
/** A Container item's depth is x:xmpmeta > rdf:RDF > rdf:Description > Directory > Seq > li > Item: 7. */
const MAX_DEPTH = 12;
/** Items of a Container directory read at most: a motion photo has two or three. */
const MAX_ITEMS = 16;

/** A motion photo's video found (`motion`, where the still ends), or what its XMP claimed that was not so (`note`). */
export interface MotionPhoto {
  motion?: Motion;
  /** The still is `bytes[0, stillEnd)`: what the decoder reads. */
  stillEnd?: number;
  note?: string;
}

/** What the XMP says of a video in the file. */
interface Claims {
  motionPhoto: boolean;
  microVideo: boolean;
  microVideoOffset?: number;
  items: { mime?: string; semantic?: string; length?: number; padding?: number }[];
}

/** The motion photo in `bytes` (a JPEG or a HEIF), if it is one; never throws. */
export function findMotionPhoto(bytes: Buffer): MotionPhoto {
  const claims = readClaims(xmpOf(bytes));
  const claimed = claims && claimedVideo(claims, bytes.length);
  if (claimed) {
    const facts = videoFacts(bytes, claimed.start, claimed.start + claimed.length);
    if (!facts) {
      const note = `the XMP says a video of ${claimed.length} bytes is at byte ${claimed.start}, but no MP4 is there`;
      return { note };
    }
    return { motion: motionOf(facts, claimed.start, claimed.length), stillEnd: claimed.start };
  }
  if (claims && (claims.motionPhoto || claims.microVideo)) {
    return { note: 'the XMP says it is a motion photo, but not where its video is' };
  }
  const samsung = samsungVideo(bytes);
  if (samsung) {
    const facts = videoFacts(bytes, samsung.start, samsung.limit);
    if (facts) return { motion: motionOf(facts, samsung.start, facts.end - samsung.start), stillEnd: samsung.entry };
  }
  return {};
}

function motionOf(facts: NonNullable<ReturnType<typeof videoFacts>>, offset: number, length: number): Motion {
  return {
    kind: 'motion-photo',
    format: facts.format,
    bytes: length,
    ...(facts.durationSeconds !== undefined && { durationSeconds: facts.durationSeconds }),
    offset,
  };
}

/** Where the XMP puts the video: the Container's MotionPhoto (or first video) item, else MicroVideo's offset. */
function claimedVideo(claims: Claims, size: number): { start: number; length: number } | undefined {
  const { items } = claims;
  const index = items.findIndex((item) => item.semantic === 'MotionPhoto');
  const video = index >= 0 ? index : items.findIndex((item, i) => i > 0 && item.mime?.startsWith('video/'));
  if (video > 0) {
    const own = items[video] as Claims['items'][number];
    // The items after the primary are stored one after the other in the directory's order, each followed by its
    // padding: the video ends where the later items' bytes begin.
    let after = own.padding ?? 0;
    for (const later of items.slice(video + 1)) after += (later.length ?? 0) + (later.padding ?? 0);
    const length = own.length;
    if (length === undefined || length <= 0 || length + after >= size) return undefined;
    return { start: size - after - length, length };
  }
  const offset = claims.microVideoOffset;
  if (claims.microVideo && offset !== undefined && offset > 0 && offset < size) {
    return { start: size - offset, length: offset };
  }
  return undefined;
}

/**
 * The XMP packet of a JPEG (its APP1 segment, walked to, up to the scan) or of a HEIF (the first `x:xmpmeta` in its
 * bytes: the still's metadata comes before the video appended after it).
 */
function xmpOf(bytes: Buffer): Buffer | undefined {
  if (bytes[0] === 0xff && bytes[1] === 0xd8) {
    for (let at = 2; at + 4 <= bytes.length && bytes[at] === 0xff; ) {
      const marker = bytes[at + 1] as number;
      // Start of scan or end of image: no metadata after; a marker without a length (RSTn, TEM) is skipped.
      if (marker === 0xda || marker === 0xd9) return undefined;
      if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
        at += 2;
        continue;
      }
      const length = bytes.readUInt16BE(at + 2);
      const payload = bytes.subarray(at + 4, Math.min(at + 2 + length, bytes.length));
      if (marker === 0xe1 && payload.subarray(0, XMP_SIGNATURE.length).equals(XMP_SIGNATURE)) {
        return payload.subarray(XMP_SIGNATURE.length);
      }
      at += 2 + length;
    }
    return undefined;
  }
  if (bytes.toString('latin1', 4, 8) !== 'ftyp') return undefined;
  const start = bytes.indexOf('<x:xmpmeta');
  const end = start < 0 ? -1 : bytes.indexOf('</x:xmpmeta>', start);
  return end < 0 ? undefined : bytes.subarray(start, end + '</x:xmpmeta>'.length);
}

/** What the packet says of a video (GCamera and Container properties), or undefined when it says nothing. */
function readClaims(xmp: Buffer | undefined): Claims | undefined {
  if (xmp === undefined || xmp.length > MAX_XMP_BYTES) return undefined;
  const text = xmp.toString('utf8');
  if (!text.includes(NS.camera) && !text.includes(NS.container)) return undefined;
  let tree: unknown;
  try {
    tree = parser.parse(text);
  } catch {
    return undefined;
  }
  const claims: Claims = { motionPhoto: false, microVideo: false, items: [] };
  walkElements(tree, {}, MAX_DEPTH, (element) => claimsOf(element, claims));
  return claims;
}

/** What one element claims of a video; false for a directory item, read whole. */
function claimsOf({ qualifiedName, attributes, content, scope }: XmpElement, claims: Claims): boolean {
  if (qualifiedName === `${NS.container}Item`) {
    if (claims.items.length < MAX_ITEMS) claims.items.push(itemOf(content, attributes, scope));
    return false;
  }
  // Simple properties as attributes of a description or as elements of their own.
  for (const [attribute, value] of Object.entries(attributes)) {
    if (attribute.includes(':') && typeof value === 'string') claim(claims, qualified(attribute, scope), value);
  }
  claim(claims, qualifiedName, textOf(content));
  return true;
}

function claim(claims: Claims, property: string | undefined, value: string): void {
  const text = unescaped(value).trim();
  if (property === `${NS.camera}MotionPhoto`) claims.motionPhoto = text === '1';
  else if (property === `${NS.camera}MicroVideo`) claims.microVideo = text === '1';
  else if (property === `${NS.camera}MicroVideoOffset`) claims.microVideoOffset = whole(text);
}

/** A Container item: its `Item:` properties, as attributes or as elements. */
function itemOf(children: unknown, attributes: Record<string, unknown>, scope: Scope): Claims['items'][number] {
  const values: Record<string, string> = {};
  for (const [attribute, value] of Object.entries(attributes)) {
    const property = qualified(attribute, scope);
    if (typeof value === 'string' && property?.startsWith(NS.item)) values[property.slice(NS.item.length)] = value;
  }
  for (const child of Array.isArray(children) ? (children as XmlNode[]) : []) {
    const name = elementName(child);
    const property = name && qualified(name, withNamespaces(scope, attributesOf(child)));
    if (property?.startsWith(NS.item)) values[property.slice(NS.item.length)] = textOf(child[name as string]);
  }
  const text = (key: string) => (values[key] === undefined ? undefined : unescaped(values[key]).trim());
  return {
    mime: text('Mime'),
    semantic: text('Semantic'),
    length: whole(text('Length')),
    padding: whole(text('Padding')),
  };
}

function textOf(children: unknown): string {
  if (!Array.isArray(children)) return '';
  return (children as XmlNode[])
    .map((node) => node['#text'])
    .filter((part) => typeof part === 'string')
    .join('');
}

function whole(text: string | undefined): number | undefined {
  return text !== undefined && /^\d{1,15}$/.test(text) ? Number(text) : undefined;
}

/**
 * Samsung's trailer: its SEF directory (`SEFH`, a version, a count, then per entry a type, an offset back from the
 * directory and a length; the file ends with the directory's length and `SEFT`) names the `MotionPhoto_Data` entry,
 * whose name is followed by the MP4. Without a directory, the entry's name right after the still, if an MP4 follows.
 */
function samsungVideo(bytes: Buffer): { entry: number; start: number; limit: number } | undefined {
  const size = bytes.length;
  if (size > 16 && bytes.toString('latin1', size - 4) === 'SEFT') {
    const directory = size - 8 - bytes.readUInt32LE(size - 8);
    if (directory >= 0 && bytes.toString('latin1', directory, directory + 4) === 'SEFH') {
      const count = Math.min(bytes.readUInt32LE(directory + 8), 64);
      for (let i = 0; i < count; i++) {
        const at = directory + 12 + i * 12;
        if (at + 12 > size - 8) break;
        const entry = directory - bytes.readUInt32LE(at + 4);
        const limit = entry + bytes.readUInt32LE(at + 8);
        if (entry < 0 || limit > directory || entry + 8 > limit) continue;
        const nameLength = bytes.readUInt32LE(entry + 4);
        const named = bytes.subarray(entry + 8, entry + 8 + nameLength);
        if (named.equals(SAMSUNG_MARKER)) return { entry, start: entry + 8 + nameLength, limit };
      }
      return undefined;
    }
  }
  const marker = bytes.indexOf(SAMSUNG_MARKER);
  if (marker < 0) return undefined;
  return { entry: marker, start: marker + SAMSUNG_MARKER.length, limit: size };
}

/**
 * Apple's content identifier (its MakerNote's tag 17), which a Live Photo's still and its MOV share: the MakerNote
 * is `Apple iOS\0`, a version, the byte order (`MM`), then an IFD whose offsets count from the MakerNote's start.
 */
export function appleContentIdentifier(exif: Buffer | undefined): string | undefined {
  if (!exif || exif.length === 0) return undefined;
  let note: Buffer | undefined;
  try {
    note = exifReader(exif).Photo?.MakerNote;
  } catch {
    return undefined;
  }
  if (!Buffer.isBuffer(note) || note.length < 16 || note.toString('latin1', 0, 10) !== 'Apple iOS\0') return undefined;
  const order = note.toString('latin1', 12, 14);
  if (order !== 'MM' && order !== 'II') return undefined;
  const u16 = (at: number) => (order === 'MM' ? note.readUInt16BE(at) : note.readUInt16LE(at));
  const u32 = (at: number) => (order === 'MM' ? note.readUInt32BE(at) : note.readUInt32LE(at));
  const count = Math.min(u16(14), 256);
  for (let i = 0; i < count; i++) {
    const at = 16 + i * 12;
    if (at + 12 > note.length) return undefined;
    // Tag 17, ASCII.
    if (u16(at) !== 17 || u16(at + 2) !== 2) continue;
    const length = u32(at + 4);
    const start = length <= 4 ? at + 8 : u32(at + 8);
    if (length === 0 || length > 128 || start + length > note.length) return undefined;
    const text = note
      .toString('latin1', start, start + length)
      .replace(/\0+$/, '')
      .trim();
    return text === '' ? undefined : text;
  }
  return undefined;
}
