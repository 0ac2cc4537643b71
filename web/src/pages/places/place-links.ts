import { NAME_PATTERN } from '../../../../lambdas/search/filters';
import type { PlaceCountry, PlaceGroup } from '../../types';

/*
 * What the Places view shows of `GET /places` and where its links go: each place's search in the gallery by the
 * names a person reads (`place=Japan&place=Kyoto`, which `place=` takes as it takes codes: every level's whole name
 * is indexed) rather than the keys the API lists (`jp`, `kyoto`, `kyoto`), and a level that only repeats the one
 * above it (Genève the town, alone in Genève the canton) folded into it.
 */

/** A name as a search compares it: case, accents and punctuation aside. */
export function sameName(a: string, b: string): boolean {
  const key = (name: string) =>
    name
      .normalize('NFD')
      .replace(/[\p{M}\p{P}\p{S}\s]+/gu, '')
      .toLowerCase();
  return key(a) === key(b);
}

/**
 * The `place=` values of a place, country first, by name: each level's name once, or the API's value for a level
 * whose name the filter could not take as typed (a comma would split it in the search form; NAME_PATTERN).
 */
export function placeValues(levels: readonly PlaceGroup[]): string[] {
  const values: string[] = [];
  levels.forEach((level, depth) => {
    const fallback = level.place[depth] ?? level.place.at(-1) ?? level.name;
    const value = NAME_PATTERN.test(level.name) && !level.name.includes(',') ? level.name : fallback;
    if (!values.some((known) => sameName(known, value))) values.push(value);
  });
  return values;
}

/** The gallery's search for a place (its levels, country first). */
export function placeSearch(levels: readonly PlaceGroup[]): string {
  return new URLSearchParams(placeValues(levels).map((value) => ['place', value])).toString();
}

/** A place in words, town first, each name once: "Kyoto, Japan". */
export function placeTitle(levels: readonly Pick<PlaceGroup, 'name'>[]): string {
  const names: string[] = [];
  for (const { name } of [...levels].reverse()) if (!names.some((known) => sameName(known, name))) names.push(name);
  return names.join(', ');
}

/** One line of a country's places: a region, or a town within it, with the levels that lead to it. */
export interface PlaceLine {
  group: PlaceGroup;
  /** Country first, down to this place. */
  levels: PlaceGroup[];
  /** A town (under its region's line), not a region. */
  town: boolean;
}

/**
 * A country's places as lines: each region, then its towns. A region with one town of its own name and count is
 * that town (one line, not "Genève / Genève"); a region of the country's own name and count (Singapore in Singapore)
 * gives its towns straight away. A town named as its region, beside other towns, is said to be the town.
 */
export function placeLines(country: PlaceCountry): PlaceLine[] {
  const lines: PlaceLine[] = [];
  for (const region of country.regions) {
    const repeatsCountry = sameName(region.name, country.name) && region.count === country.count;
    const only = region.localities.length === 1 ? region.localities[0] : undefined;
    const foldsTown = only !== undefined && sameName(only.name, region.name) && only.count === region.count;
    if (!repeatsCountry && !foldsTown) lines.push({ group: region, levels: [country, region], town: false });
    if (foldsTown && only && !repeatsCountry) {
      lines.push({ group: only, levels: [country, region, only], town: false });
      continue;
    }
    for (const locality of region.localities) {
      if (repeatsCountry && sameName(locality.name, country.name) && locality.count === country.count) continue;
      lines.push({ group: locality, levels: [country, region, locality], town: !repeatsCountry });
    }
  }
  return lines;
}
