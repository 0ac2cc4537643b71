import type { PlaceLevel, PlaceNames } from '../core/place';
import { type AliasesFile, fold } from './aliases';
import type { PlacesData } from './format';
import type { PlaceSuggestion } from './geocoder';

/*
 * The places data read by name: what a place named by its owner is as the data names it ("Geneva, CH" is Genève,
 * Geneva, Switzerland), and the places a few typed letters start (the form's suggestions). Indexes are built on first
 * use (about 130,000 names; a tenth of a second), never per request.
 */

interface Division {
  feature: number;
  level: 'region' | 'area';
}

export interface Gazetteer {
  /** The place as the data names it, or an UnknownPlaceError naming the level the data has no such place at. */
  resolve(names: PlaceNames): PlaceNames | { unknown: string };
  /** Places whose name (or another name) starts with the words of `query`, the most populous first. */
  suggest(query: string, limit: number): PlaceSuggestion[];
  /** The other names of a country (by code) and of a town (by GeoNames id), bounded (aliases.ts). */
  akaOf(level: 'country' | 'locality', code: string): string[];
}

export function gazetteerOf(places: PlacesData, aliases: AliasesFile): Gazetteer {
  let index: ReturnType<typeof build> | undefined;
  const ready = () => {
    index ??= build(places, aliases);
    return index;
  };
  const akaOf = (level: 'country' | 'locality', code: string) =>
    (level === 'country' ? aliases.countries[code] : aliases.towns[code]) ?? [];
  const countryLevel = (code: string): PlaceLevel => ({ name: ready().countryName.get(code) ?? code, code });
  const withAka = (level: PlaceLevel, aka: string[]): PlaceLevel & { aka?: string[] } =>
    aka.length > 0 ? { ...level, aka } : level;

  /** The names of a feature's levels, and of a town in it. */
  const namesAt = (feature: number, town?: number, division?: Division): PlaceNames => {
    const f = places.features[feature];
    if (!f) return {};
    const [code] = f.country;
    const out: PlaceNames = {};
    if (code !== '') out.country = withAka(countryLevel(code), akaOf('country', code));
    else if (f.country[1] !== '') out.country = { name: f.country[1] };
    const level = ([name, code]: [string, string]) => (code === '' ? { name } : { name, code });
    if (f.region[0] !== '') out.region = level(f.region);
    if (f.area[0] !== '' && (town !== undefined || division?.level !== 'region')) out.area = level(f.area);
    if (town !== undefined) {
      const id = String(places.localityId[town]);
      out.locality = withAka({ name: places.localityName[town] as string, code: id }, akaOf('locality', id));
    }
    return out;
  };

  const resolve = (names: PlaceNames): PlaceNames | { unknown: string } => {
    const ix = ready();
    let country: string | undefined;
    if (names.country) {
      country = ix.countryOf(names.country);
      if (country === undefined) {
        return unknown(`country: the places data has no country called "${names.country.name}"`);
      }
    }
    const inCountry = (feature: number) => country === undefined || places.features[feature]?.country[0] === country;
    const divisionsOf = (level: PlaceLevel | undefined) =>
      level &&
      [...(ix.divisions.get(fold(level.code ?? '')) ?? []), ...(ix.divisions.get(fold(level.name)) ?? [])].filter((d) =>
        inCountry(d.feature),
      );
    const regions = divisionsOf(names.region);
    const areas = divisionsOf(names.area);
    const within = (feature: number) =>
      (regions === undefined || regions.some((d) => sameDivision(places, d, feature))) &&
      (areas === undefined || areas.some((d) => sameDivision(places, d, feature)));
    if (names.locality) {
      const candidates = ix.townsNamed(names.locality).filter((t) => inCountry(ix.featureOfTown[t] as number));
      // The towns in the region (or area) named first, then any in the country: a region spelled another way
      // ("Basel-City" for Basel-Stadt) does not refuse a town the data has.
      const best =
        mostPopulous(
          places,
          candidates.filter((t) => within(ix.featureOfTown[t] as number)),
        ) ?? mostPopulous(places, candidates);
      if (best !== undefined) return namesAt(ix.featureOfTown[best] as number, best);
      // One word that is no town may be a region or a country ("Bavaria", "Switzerland").
      if (!names.country && !names.region && !names.area) {
        const as = resolve({ region: names.locality });
        if (!('unknown' in as)) return as;
        const asCountry = ix.countryOf(names.locality);
        if (asCountry !== undefined) return { country: withAka(countryLevel(asCountry), akaOf('country', asCountry)) };
      }
      const where = country ? ` in ${ix.countryName.get(country) ?? country}` : '';
      return unknown(
        `locality: the places data has no town called "${names.locality.name}"${where} (it lists places of 1,000 ` +
          'people or more): name a town near it, or give the position instead',
      );
    }
    for (const [level, found] of [
      ['area', areas],
      ['region', regions],
    ] as const) {
      if (found === undefined) continue;
      const [first] = found;
      if (!first) {
        return unknown(`${level}: the places data has no ${level} called "${names[level]?.name}"`);
      }
      return namesAt(first.feature, undefined, first);
    }
    if (country !== undefined) return { country: withAka(countryLevel(country), akaOf('country', country)) };
    return unknown('name at least one of country, region, area, locality');
  };
  return {
    akaOf,
    resolve,
    suggest(query, limit) {
      const ix = ready();
      const words = fold(query);
      if (words === '') return [];
      const out: PlaceSuggestion[] = [];
      const seen = new Set<string>();
      const add = (suggestion: PlaceSuggestion) => {
        const key = JSON.stringify([suggestion.kind, suggestion.place]);
        if (!seen.has(key) && out.length < limit) {
          seen.add(key);
          out.push(suggestion);
        }
      };
      for (const [name, code] of ix.countryNames) {
        if (name.startsWith(words)) {
          const place = { country: withAka(countryLevel(code), akaOf('country', code)) };
          add({ kind: 'country', label: place.country.name, place });
        }
      }
      for (const [name, list] of ix.divisionNames) {
        if (!name.startsWith(words)) continue;
        for (const d of list.slice(0, 3)) add(divisionSuggestion(namesAt(d.feature, undefined, d), d.level));
      }
      for (const town of ix.townsStarting(words, limit * 4)) {
        const place = namesAt(ix.featureOfTown[town] as number, town);
        add({ kind: 'locality', label: labelOf(place), place, population: places.localityPopulation[town] as number });
      }
      return out;
    },
  };
}

/** Why a name could not be placed: a sentence for a 400 that names the level. */
function unknown(sentence: string): { unknown: string } {
  return { unknown: sentence };
}

function divisionSuggestion(place: PlaceNames, level: 'region' | 'area'): PlaceSuggestion {
  return { kind: level, label: labelOf(place), place };
}

/** "Genève, Geneva, Switzerland": the town, its region and its country, as a list would show it. */
function labelOf(place: PlaceNames): string {
  return [place.locality?.name, place.area?.name, place.region?.name, place.country?.name]
    .filter((name, i, all): name is string => name !== undefined && all.indexOf(name) === i)
    .join(', ');
}

function sameDivision(places: PlacesData, d: Division, feature: number): boolean {
  const a = places.features[d.feature];
  const b = places.features[feature];
  if (!a || !b || a.country[0] !== b.country[0]) return false;
  return d.level === 'region' ? a.region[0] === b.region[0] : a.area[0] === b.area[0];
}

function mostPopulous(places: PlacesData, towns: readonly number[]): number | undefined {
  let best: number | undefined;
  for (const t of towns) {
    if (best === undefined || (places.localityPopulation[t] as number) > (places.localityPopulation[best] as number))
      best = t;
  }
  return best;
}

function build(places: PlacesData, aliases: AliasesFile) {
  const countryName = new Map<string, string>();
  const countryNames = new Map<string, string>();
  const divisions = new Map<string, Division[]>();
  const push = <T>(map: Map<string, T[]>, key: string, value: T) => {
    if (key === '') return;
    const list = map.get(key);
    if (list) list.push(value);
    else map.set(key, [value]);
  };
  places.features.forEach((f, feature) => {
    const [code, name] = f.country;
    if (code !== '' && !countryName.has(code)) {
      countryName.set(code, name);
      countryNames.set(fold(name), code);
      for (const aka of aliases.countries[code] ?? [])
        if (!countryNames.has(fold(aka))) countryNames.set(fold(aka), code);
    }
    for (const level of ['region', 'area'] as const) {
      const [divName, divCode] = f[level];
      if (divName === '') continue;
      const known = divisions.get(fold(divName))?.some((d) => d.level === level && sameDivision(places, d, feature));
      if (known) continue;
      push(divisions, fold(divName), { feature, level });
      if (divCode !== '') push(divisions, fold(divCode), { feature, level });
    }
  });
  const featureOfTown = new Int32Array(places.localityId.length).fill(-1);
  for (let f = 0; f < places.features.length; f++) {
    for (let i = places.featureLocality[f] as number; i < (places.featureLocality[f + 1] as number); i++)
      featureOfTown[i] = f;
  }
  const townsByName = new Map<string, number[]>();
  const townById = new Map<number, number>();
  places.localityName.forEach((name, i) => {
    if (featureOfTown[i] === -1) return;
    push(townsByName, fold(name), i);
    townById.set(places.localityId[i] as number, i);
    for (const aka of aliases.towns[String(places.localityId[i])] ?? []) push(townsByName, fold(aka), i);
  });
  const sortedNames = [...townsByName.keys()].sort();
  return {
    countryName,
    countryNames,
    divisions,
    divisionNames: divisions,
    featureOfTown,
    countryOf(level: PlaceLevel): string | undefined {
      for (const text of [level.code, level.name]) {
        if (text === undefined) continue;
        if (/^[A-Za-z]{2}$/.test(text.trim()) && countryName.has(text.trim().toUpperCase()))
          return text.trim().toUpperCase();
        const code = countryNames.get(fold(text));
        if (code !== undefined) return code;
      }
      return undefined;
    },
    townsNamed(level: PlaceLevel): number[] {
      const byId = level.code !== undefined && /^\d+$/.test(level.code) ? townById.get(Number(level.code)) : undefined;
      return byId !== undefined ? [byId] : (townsByName.get(fold(level.name)) ?? []);
    },
    /** The towns whose folded name (or other name) starts with `prefix`, most populous first, of the first `scan`. */
    townsStarting(prefix: string, scan: number): number[] {
      let lo = 0;
      let hi = sortedNames.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if ((sortedNames[mid] as string) < prefix) lo = mid + 1;
        else hi = mid;
      }
      const found: number[] = [];
      for (let i = lo; i < sortedNames.length && (sortedNames[i] as string).startsWith(prefix); i++) {
        found.push(...(townsByName.get(sortedNames[i] as string) ?? []));
      }
      found.sort((a, b) => (places.localityPopulation[b] as number) - (places.localityPopulation[a] as number));
      return [...new Set(found)].slice(0, scan);
    },
  };
}
