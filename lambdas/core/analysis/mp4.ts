/*
 * Just enough of ISO-BMFF (MP4) and QuickTime (MOV) to describe a motion photo's video or a Live Photo's MOV: where
 * its boxes end, its brand, its duration (`moov/mvhd`) and the QuickTime metadata's content identifier
 * (`moov/meta` keys and items). Read in place from a Buffer, no copy: mp4box would want an ArrayBuffer of the whole
 * video (a copy of up to 50 MB) to tell what these few boxes say, and would add its 300 KB to the processor's bundle.
 */

/** A box: its four-character type, where it starts, where its payload starts and where it ends. */
export interface Box {
  type: string;
  start: number;
  payload: number;
  end: number;
}

/** What a run of boxes that starts with `ftyp` says of itself. */
export interface VideoFacts {
  /** `mov` for QuickTime's `qt  ` brand, else `mp4`. */
  format: 'mp4' | 'mov';
  /** Where the last whole top-level box ends (from the start of the buffer). */
  end: number;
  /** From `moov/mvhd`, in seconds (3 decimals); absent when there is no `moov` (a fragment) or it is unreadable. */
  durationSeconds?: number;
  /** QuickTime's `com.apple.quicktime.content.identifier`, as a Live Photo's MOV carries it. */
  contentIdentifier?: string;
}

const CONTENT_IDENTIFIER_KEY = 'com.apple.quicktime.content.identifier';

const printable = (bytes: Buffer, at: number) => {
  for (let i = at; i < at + 4; i++) if ((bytes[i] as number) < 0x20 || (bytes[i] as number) > 0x7e) return false;
  return true;
};

/** The box at `at`, if a whole one fits before `limit` (sizes 0 = to the limit and 1 = a 64-bit size read too). */
export function boxAt(bytes: Buffer, at: number, limit: number): Box | undefined {
  if (at + 8 > limit || !printable(bytes, at + 4)) return undefined;
  const size32 = bytes.readUInt32BE(at);
  let size = size32;
  let payload = at + 8;
  if (size32 === 1) {
    if (at + 16 > limit) return undefined;
    size = Number(bytes.readBigUInt64BE(at + 8));
    payload = at + 16;
  } else if (size32 === 0) {
    size = limit - at;
  }
  if (size < payload - at || at + size > limit) return undefined;
  return { type: bytes.toString('latin1', at + 4, at + 8), start: at, payload, end: at + size };
}

/** The boxes one after another from `start`, stopping at the first that is not a whole box before `limit`. */
export function boxesIn(bytes: Buffer, start: number, limit: number): Box[] {
  const found: Box[] = [];
  for (let at = start; ; ) {
    const box = boxAt(bytes, at, limit);
    if (!box) return found;
    found.push(box);
    at = box.end;
  }
}

const child = (bytes: Buffer, parent: Box, type: string, from = parent.payload) =>
  boxesIn(bytes, from, parent.end).find((box) => box.type === type);

/**
 * What the video starting at `start` (within `limit`) is: undefined unless its first box is `ftyp`. Only the
 * top-level boxes are walked (a few reads, whatever the video's size), and `moov`'s few children.
 */
export function videoFacts(bytes: Buffer, start: number, limit = bytes.length): VideoFacts | undefined {
  const top = boxesIn(bytes, start, limit);
  const ftyp = top[0];
  if (ftyp?.type !== 'ftyp' || ftyp.end - ftyp.payload < 4) return undefined;
  const brand = bytes.toString('latin1', ftyp.payload, ftyp.payload + 4);
  const facts: VideoFacts = { format: brand === 'qt  ' ? 'mov' : 'mp4', end: (top.at(-1) as Box).end };
  const moov = top.find((box) => box.type === 'moov');
  if (!moov) return facts;
  const duration = mvhdSeconds(bytes, child(bytes, moov, 'mvhd'));
  if (duration !== undefined) facts.durationSeconds = duration;
  const udta = child(bytes, moov, 'udta');
  const identifier =
    quickTimeValue(bytes, child(bytes, moov, 'meta'), CONTENT_IDENTIFIER_KEY) ??
    (udta && quickTimeValue(bytes, child(bytes, udta, 'meta'), CONTENT_IDENTIFIER_KEY));
  if (identifier) facts.contentIdentifier = identifier;
  return facts;
}

/** `mvhd`: version 0 has 32-bit times and duration, version 1 64-bit; the duration is in the timescale's units. */
function mvhdSeconds(bytes: Buffer, mvhd: Box | undefined): number | undefined {
  if (!mvhd) return undefined;
  const at = mvhd.payload;
  const version = bytes[at];
  const need = version === 1 ? 32 : 20;
  if (mvhd.end - at < need) return undefined;
  const timescale = bytes.readUInt32BE(at + (version === 1 ? 20 : 12));
  const duration = version === 1 ? Number(bytes.readBigUInt64BE(at + 24)) : bytes.readUInt32BE(at + 16);
  // All ones: the duration is not known.
  if (timescale === 0 || duration === 0xffffffff || !Number.isFinite(duration)) return undefined;
  return Math.round((duration / timescale) * 1000) / 1000;
}

/**
 * A QuickTime metadata value (`meta` with a `keys` box of `mdta` names and an `ilst` whose items are typed by their
 * key's index, each holding a `data` box): the UTF-8 text of the item whose key is `name`.
 */
function quickTimeValue(bytes: Buffer, meta: Box | undefined, name: string): string | undefined {
  if (!meta) return undefined;
  // QuickTime's `meta` has no version and flags, ISO's does: the children start where a box does.
  const from = boxAt(bytes, meta.payload, meta.end)?.type === 'hdlr' ? meta.payload : meta.payload + 4;
  const children = boxesIn(bytes, from, meta.end);
  const keys = children.find((box) => box.type === 'keys');
  const ilst = children.find((box) => box.type === 'ilst');
  if (!keys || !ilst || keys.end - keys.payload < 8) return undefined;
  let index: number | undefined;
  const count = bytes.readUInt32BE(keys.payload + 4);
  let at = keys.payload + 8;
  for (let i = 1; i <= count && at + 8 <= keys.end; i++) {
    const size = bytes.readUInt32BE(at);
    if (size < 8 || at + size > keys.end) return undefined;
    if (bytes.toString('utf8', at + 8, at + size) === name) index = i;
    at += size;
  }
  if (index === undefined) return undefined;
  for (let item = ilst.payload; item + 8 <= ilst.end; ) {
    const size = bytes.readUInt32BE(item);
    if (size < 8 || item + size > ilst.end) return undefined;
    if (bytes.readUInt32BE(item + 4) === index) {
      const data = boxesIn(bytes, item + 8, item + size).find((box) => box.type === 'data');
      // `data`: a type indicator (1: UTF-8) and a locale, then the value.
      if (!data || data.end - data.payload < 8 || bytes.readUInt32BE(data.payload) !== 1) return undefined;
      const text = bytes.toString('utf8', data.payload + 8, data.end).trim();
      return text === '' ? undefined : text.slice(0, 128);
    }
    item += size;
  }
  return undefined;
}
