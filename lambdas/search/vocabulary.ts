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
  'favourite',
  'provenance',
  'credit',
  'keyword',
  'caption',
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

/**
 * The confidence bands a likely match is posted under (terms.ts `likelyTermsOf`): tenths of its score, 9 (0.9 to
 * 1) down to 0. A search walks them strongest first, newest first within each (image-search.ts).
 */
export const LIKELY_BANDS = 10;

/** The terms a likely match is posted under: its class as a label or object, and its words' prefixes. */
export type LikelyField = 'label' | 'object' | 'prefix';

/** The band of a score: its tenths, 0 to LIKELY_BANDS - 1. */
export function bandOf(score: number): number {
  return Math.max(0, Math.min(LIKELY_BANDS - 1, Math.floor(score * LIKELY_BANDS)));
}

/**
 * A likely match's term: `likely5:object=cat` is an object `cat` scored from 0.5 to under 0.6, below the threshold
 * it is shown at and at least the one it is found from; `likely5:prefix=cat` the same for the search box's words.
 */
export function likelyTerm(band: number, field: LikelyField, value: string): string {
  return `likely${band}:${term(field, value)}`;
}

/** The band and the plain term (`object=cat`) of a likely term; undefined for any other term. */
export function parseLikely(one: string): { band: number; term: string } | undefined {
  const match = /^likely(\d):(.+)$/.exec(one);
  return match ? { band: Number(match[1]), term: match[2] as string } : undefined;
}
