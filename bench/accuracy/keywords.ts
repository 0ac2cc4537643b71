import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { describedXmp } from '../../test/support/described';

/*
 * The photographer's own words for the set's KPhotoAlbum photos (set/kpa-keywords.json, made by make-keywords.ts from
 * the demo database Debian's kphotoalbum package ships), and those words written into a photo's bytes as an XMP
 * packet, as a photo manager exports them, so the query bench (queries.ts) reads them back through the core.
 */

export const KPA_KEYWORDS = path.join(__dirname, 'set/kpa-keywords.json');

/** KPhotoAlbum's categories the extract keeps (the demo's fourth, Tokens, is its UI's scratch marks). */
export const CATEGORIES = ['Events', 'Places', 'People'] as const;
export type Category = (typeof CATEGORIES)[number];

const EntrySchema = z.object({
  /** The demo photo this set photo was made from (a face crop shares its photo's entry). */
  file: z.string(),
  Events: z.array(z.string()),
  Places: z.array(z.string()),
  People: z.array(z.string()),
  description: z.string().optional(),
});
export type KeywordEntry = z.infer<typeof EntrySchema>;

export const KeywordsSchema = z.object({
  source: z.string(),
  licence: z.string(),
  credit: z.string(),
  command: z.string(),
  /** KPhotoAlbum's member groups per category: `Denmark` holds `Skagen`, `Pets` holds `Spiff`. */
  groups: z.partialRecord(z.enum(CATEGORIES), z.record(z.string(), z.array(z.string()))),
  /** Per set photo (`eval/kpa-snow.jpg`), its demo photo's categories and description. */
  images: z.record(z.string(), EntrySchema),
});
export type Keywords = z.infer<typeof KeywordsSchema>;

export function readKeywords(file = KPA_KEYWORDS): Keywords {
  return KeywordsSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
}

/**
 * A category's values on a photo, each with the groups that hold it (outermost first), as KPhotoAlbum's browser
 * counts them: a photo of Skagen is a photo of Denmark. `Skagen` is `['Denmark', 'Skagen']`.
 */
export function pathsOf(keywords: Keywords, entry: KeywordEntry, category: Category): string[][] {
  const groups = keywords.groups[category] ?? {};
  const parentsOf = (value: string, seen: ReadonlySet<string>): string[] => {
    const parent = Object.keys(groups).find((group) => !seen.has(group) && groups[group]?.includes(value));
    return parent === undefined ? [] : [...parentsOf(parent, new Set([...seen, parent])), parent];
  };
  return entry[category].map((value) => [...parentsOf(value, new Set([value])), value]);
}

/** Every value a photo carries, its groups included: what a search for it should find. */
export function valuesOf(keywords: Keywords, entry: KeywordEntry): Set<string> {
  return new Set(CATEGORIES.flatMap((category) => pathsOf(keywords, entry, category).flat()));
}

/**
 * The XMP packet a photo manager exports for an entry, as Lightroom writes keywords with its default export
 * settings: `dc:subject` each keyword and the keywords containing it (`Skagen`, `Denmark`), `lr:hierarchicalSubject`
 * each keyword's path from its category (`Places|Denmark|Skagen`), and the description as `dc:description`.
 */
export function xmpOf(keywords: Keywords, entry: KeywordEntry): string {
  const paths = CATEGORIES.flatMap((category) => pathsOf(keywords, entry, category).map((one) => [category, ...one]));
  return describedXmp({
    subjects: [...valuesOf(keywords, entry)],
    hierarchicalSubjects: paths.map((one) => one.join('|')),
    ...(entry.description !== undefined && { description: { 'x-default': entry.description } }),
  });
}

/** The signature an APP1 segment holding an XMP packet starts with (XMP specification part 3, 1.1.3). */
const XMP_SIGNATURE = Buffer.from('http://ns.adobe.com/xap/1.0/\0', 'latin1');

/**
 * `jpeg` with `xmp` in an APP1 segment after its SOI and JFIF (APP0) segment, its compressed pixels untouched, as
 * Exiv2 (KPhotoAlbum's and digiKam's writer) and Lightroom's metadata save write one: a re-encode would change the
 * pixels the other queries' colours are measured on.
 */
export function withXmpSegment(jpeg: Buffer, xmp: string): Buffer {
  if (jpeg[0] !== 0xff || jpeg[1] !== 0xd8) throw new Error('not a JPEG');
  const payload = Buffer.concat([XMP_SIGNATURE, Buffer.from(xmp, 'utf8')]);
  if (payload.length > 0xffff - 2) throw new Error(`XMP packet of ${payload.length} bytes: more than one segment`);
  const head = Buffer.from([0xff, 0xe1, 0, 0]);
  head.writeUInt16BE(payload.length + 2, 2);
  // After an APP0 (JFIF) segment where there is one: JFIF asks for it right after the SOI.
  const at = jpeg[2] === 0xff && jpeg[3] === 0xe0 ? 4 + jpeg.readUInt16BE(4) : 2;
  return Buffer.concat([jpeg.subarray(0, at), head, payload, jpeg.subarray(at)]);
}
