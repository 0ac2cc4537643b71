/*
 * The spelling of the search index's terms, on its own and with no imports: indexing (terms.ts), reading
 * (image-search.ts, similar-images.ts) and the filter description the web app bundles (filters.ts) all take it.
 */

/**
 * Every kind of term an image is posted under, `<field>=<value>`. Indexing (termsOf) and reading (image-search.ts,
 * from each filter's `term` in filters.ts; similar-images.ts for the hash bands) spell a term only through `term()`,
 * so the two cannot drift apart.
 */
export const TERM_FIELDS = [
  'label',
  'labelSource',
  'object',
  'word',
  'tag',
  'prefix',
  'color',
  'format',
  'orientation',
  'camera',
  'status',
  'flagged',
  'quality',
  'person',
  'place',
  'placePath',
  'taken',
  'faces>',
  'phash0',
  'phash1',
  'phash2',
  'phash3',
  'sha256',
] as const;
export type TermField = (typeof TERM_FIELDS)[number];

/** A posting's term: `label=cat`, `faces>=2`, `phash0=ab12`. */
export function term(field: TermField, value: string | number | boolean): string {
  return `${field}=${value}`;
}

/** The term of a perceptual-hash band (0 to PHASH_BANDS - 1). */
export function phashTerm(band: number, value: string): string {
  return term(`phash${band}` as TermField, value);
}
