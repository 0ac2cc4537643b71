/*
 * The words the record, the search index, the API and every client share, as plain lists: no zod here, because the
 * web app bundles this file (through lambdas/search/filters.ts) and the schemas are built from these lists.
 */

/** Formats the analysis can find in an image's bytes (`metadata.format`). */
export const IMAGE_FORMATS = ['jpeg', 'png', 'webp', 'gif', 'avif', 'tiff', 'heic', 'svg'] as const;

/**
 * The formats a PROCESSED image can have, which a search by format offers: the pipeline refuses SVG (it can
 * reference external resources), so no image of it is ever an SVG.
 */
export const PROCESSED_FORMATS = IMAGE_FORMATS.filter(
  (format): format is Exclude<(typeof IMAGE_FORMATS)[number], 'svg'> => format !== 'svg',
);

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
