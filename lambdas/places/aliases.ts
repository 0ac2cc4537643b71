import aliasesFile from './data/aliases.json';

/*
 * The other names of places (data/aliases.json, built by data/make-aliases.ts): a country's English names and
 * aliases and its name in a few other languages, a large town's English name. The geocoder writes them on the places
 * it names (`aka`), so a search finds a photo taken in Genève by `geneva` and one in New York by `usa`; the name
 * resolver and the suggestions read them to take "Geneva, CH" or "Munich" as the data's places.
 */

/** Other names of a country kept at most (docs/places.md: each is a search posting of every photo taken there). */
export const MAX_COUNTRY_NAMES = 6;
/** Other names of a town kept at most. */
export const MAX_TOWN_NAMES = 2;

export interface AliasesFile {
  /** Appended to the places data's version (`Place.data`), so a backfill re-names places named without them. */
  revision: string;
  /** By ISO 3166-1 alpha-2: other names, most common first. */
  countries: Record<string, string[]>;
  /** By GeoNames id: other names (the English one). */
  towns: Record<string, string[]>;
}

export const ALIASES: AliasesFile = aliasesFile;

/**
 * A name folded as a search folds it (lambdas/store/labels.ts `normalizeName`, which this room may not import): lower
 * case, accents dropped, anything but letters, digits and single spaces dropped.
 */
export function fold(name: string): string {
  return name
    .split(/\s+/)
    .map((word) =>
      word
        .normalize('NFKD')
        .replace(/\p{M}/gu, '')
        .toLowerCase()
        .replace(/[^\p{L}\p{N}]/gu, ''),
    )
    .filter(Boolean)
    .join(' ');
}
