/*
 * The words the record, the search index, the API and every client share, as plain lists: no zod here, because the
 * web app bundles this file (through lambdas/search/filters.ts) and the schemas are built from these lists.
 */

/**
 * Camera RAW kinds (core/analysis/raw): kept as uploaded, their pictures made from the embedded full-size preview.
 * DNG (Adobe), CR2 and CR3 (Canon), NEF (Nikon), ARW (Sony), RAF (Fujifilm), ORF (Olympus / OM System).
 */
export const RAW_FORMATS = ['dng', 'cr2', 'cr3', 'nef', 'arw', 'raf', 'orf'] as const;
export type RawFormat = (typeof RAW_FORMATS)[number];

/** Formats the analysis can find in an image's bytes (`metadata.format`). */
export const IMAGE_FORMATS = [
  'jpeg',
  'png',
  'webp',
  'gif',
  'avif',
  'tiff',
  'heic',
  'jxl',
  'svg',
  ...RAW_FORMATS,
] as const;

/**
 * The formats a PROCESSED image can have, which a search by format offers: the pipeline refuses SVG (it can
 * reference external resources), so no image of it is ever an SVG.
 */
export const PROCESSED_FORMATS = IMAGE_FORMATS.filter(
  (format): format is Exclude<(typeof IMAGE_FORMATS)[number], 'svg'> => format !== 'svg',
);

/** The media type of each format a PROCESSED image can have: what a client declares, what a reader is told. */
export const FORMAT_MEDIA_TYPES = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  gif: 'image/gif',
  avif: 'image/avif',
  tiff: 'image/tiff',
  heic: 'image/heic',
  jxl: 'image/jxl',
  dng: 'image/x-adobe-dng',
  cr2: 'image/x-canon-cr2',
  cr3: 'image/x-canon-cr3',
  nef: 'image/x-nikon-nef',
  arw: 'image/x-sony-arw',
  raf: 'image/x-fuji-raf',
  orf: 'image/x-olympus-orf',
} as const satisfies Record<(typeof PROCESSED_FORMATS)[number], string>;

/** The shape of an image (`metadata.orientation`). */
export const ORIENTATIONS = ['landscape', 'portrait', 'square'] as const;

/** Where an image is in the pipeline; TRASHED: deleted, kept until its purge date so it can be restored. */
export const IMAGE_STATUSES = ['PENDING', 'PROCESSED', 'REJECTED', 'FAILED', 'TRASHED'] as const;

/** The twelve colour names an image's palette is described by (search/terms.ts names each colour). */
export const COLOR_NAMES = [
  'red',
  'orange',
  'yellow',
  'green',
  'teal',
  'blue',
  'purple',
  'pink',
  'brown',
  'black',
  'white',
  'gray',
] as const;
export type ColorName = (typeof COLOR_NAMES)[number];

/** Who gave an image a label: a vision model, or a person correcting them. */
export const LABEL_SOURCES = ['model', 'user'] as const;

/** What the core's quality flags say of a photo (`quality.flags`); a search's `quality=ok` finds those with none. */
export const QUALITY_FLAGS = ['blurry', 'underexposed', 'overexposed', 'lowContrast'] as const;
export const QUALITY_SEARCH_VALUES = [...QUALITY_FLAGS, 'ok'] as const;

/**
 * Where a photo comes from, in one word (`provenance.summary`, lambdas/provenance): made by a generative model, part
 * of it made by one, a camera's capture, made or changed with other software, or nothing says.
 */
export const PROVENANCE_SUMMARIES = ['ai-generated', 'ai-edited', 'camera', 'edited', 'unknown'] as const;
export type ProvenanceSummary = (typeof PROVENANCE_SUMMARIES)[number];

/**
 * What checking an image's Content Credentials (its C2PA manifest) found: `valid`, signed by a certificate the
 * deployment trusts, its hashes matching the bytes; `untrusted`, intact but signed by a certificate no trust anchor
 * vouches for; `invalid`, altered since it was signed, or unreadable.
 */
export const CREDENTIAL_VALIDATIONS = ['valid', 'untrusted', 'invalid'] as const;
