import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { PlaceLevel, PlaceNames } from '../core/place';
import { ALIASES, type AliasesFile } from './aliases';
import { PLACES_ASSET_PATH } from './data-contract';
import { decodePlaces, type PlacesData, SCALE } from './format';
import { gazetteerOf } from './gazetteer';
import type { Geocoder } from './geocoder';
import { featureAt, indexPolygons, METRES_PER_UNIT, nearestFeature, type PolygonIndex } from './spatial';

/**
 * A point off every polygon takes the nearest feature within 12 nautical miles (22.2 km): a coastal state's
 * territorial sea, so a boat in a country's waters is named for that country, and NE 10m's coastline, which can
 * be a kilometre off, never leaves a beach or a harbour unnamed. Farther out is the open sea: no place.
 */
export const OFFSHORE_METRES = 22_224;
/**
 * NE 10m draws a border to about a kilometre, so in a town a river border cuts (Görlitz and Zgorzelec, Detroit and
 * Windsor, Tornio and Haparanda) a point within BORDER_METRES of another country's polygon is on the side of the
 * nearest town centre (within BORDER_TOWN_METRES), GeoNames' points being far finer than NE's borders.
 */
export const BORDER_METRES = 2_000;
export const BORDER_TOWN_METRES = 5_000;
/** A locality farther than this from the point is not named: a photo in the desert is not "in" the next town. */
export const LOCALITY_METRES = 50_000;
/**
 * The locality is the one with the least distance / population^0.1 among those in the point's feature: mostly the
 * nearest, but a city of 1,000,000 four kilometres away beats a village of 1,000 two kilometres away (immich's
 * suburb problem) while a town of 50,000 two kilometres away still beats it. Chosen before the bench ran.
 */
export const POPULATION_WEIGHT = 0.1;

/**
 * The geocoder over decoded data (tests and the bench build one over their own data) and the other names of its
 * places (aliases.ts), whose revision ends its data version: `ne10m-admin1-gp1.0.8+gn1000-atc3.1.0/1a1`.
 */
export function geocoderFrom(
  places: PlacesData,
  aliases: AliasesFile = ALIASES,
): Geocoder & { featureOf(lat: number, lon: number): number } {
  const index = indexPolygons(places);
  const gazetteer = gazetteerOf(places, aliases);
  const byCountry = new Map<string, number[]>();
  places.features.forEach((names, f) => {
    const list = byCountry.get(names.country[0]) ?? [];
    list.push(f);
    byCountry.set(names.country[0], list);
  });
  const featureOf = (lat: number, lon: number) => locate(index, lon * SCALE, lat * SCALE);
  const settled = (x: number, y: number) => {
    const feature = locate(index, x, y);
    return feature < 0 ? feature : acrossBorder(index, feature, x, y);
  };
  return {
    data: `${places.data}${aliases.revision}`,
    featureOf,
    resolve: gazetteer.resolve,
    suggest: gazetteer.suggest,
    name({ latitude, longitude }) {
      const x = longitude * SCALE;
      const y = latitude * SCALE;
      const feature = settled(x, y);
      if (feature < 0) return undefined;
      const names = places.features[feature];
      if (!names) return undefined;
      let locality = bestLocality(places, [feature], x, y);
      if (locality < 0) locality = bestLocality(places, byCountry.get(names.country[0]) ?? [], x, y);
      const level = (name: string, code: string): PlaceLevel | undefined =>
        name === '' ? undefined : code === '' ? { name } : { name, code };
      const result: PlaceNames = {};
      const country = level(names.country[1], names.country[0]);
      const countryAka = gazetteer.akaOf('country', names.country[0]);
      if (country && countryAka.length > 0) country.aka = countryAka;
      const region = level(...names.region);
      const area = level(...names.area);
      if (country) result.country = country;
      if (region) result.region = region;
      if (area) result.area = area;
      if (locality >= 0) {
        const code = String(places.localityId[locality]);
        const aka = gazetteer.akaOf('locality', code);
        result.locality = { name: places.localityName[locality] as string, code, ...(aka.length > 0 && { aka }) };
      }
      return result;
    },
  };
}

/** The feature holding the point, else the nearest within OFFSHORE_METRES, else -1. */
export function locate(index: PolygonIndex, x: number, y: number): number {
  const inside = featureAt(index, x, y);
  return inside >= 0 ? inside : nearestFeature(index, x, y, OFFSHORE_METRES).feature;
}

/** The feature itself, or across a border near it, the feature of the nearest town centre (BORDER_METRES). */
function acrossBorder(index: PolygonIndex, feature: number, x: number, y: number): number {
  const { places } = index;
  const country = places.features[feature]?.country[0];
  const other = nearestFeature(index, x, y, BORDER_METRES, (f) => places.features[f]?.country[0] !== country);
  if (other.feature < 0) return feature;
  const { featureLocality, localityLon, localityLat } = places;
  const k = Math.cos((y / SCALE) * (Math.PI / 180));
  let best = feature;
  let bestD2 = (BORDER_TOWN_METRES / METRES_PER_UNIT) ** 2;
  for (const f of [feature, other.feature]) {
    for (let i = featureLocality[f] as number; i < (featureLocality[f + 1] as number); i++) {
      const dx = ((localityLon[i] as number) - x) * k;
      const dy = (localityLat[i] as number) - y;
      if (dx * dx + dy * dy < bestD2) {
        bestD2 = dx * dx + dy * dy;
        best = f;
      }
    }
  }
  return best;
}

/** The best locality of those the features hold (see POPULATION_WEIGHT), within LOCALITY_METRES; -1 for none. */
function bestLocality(places: PlacesData, features: readonly number[], x: number, y: number): number {
  const { featureLocality, localityLon, localityLat, localityPopulation } = places;
  const k = Math.cos((y / SCALE) * (Math.PI / 180));
  const reach = (LOCALITY_METRES / METRES_PER_UNIT) ** 2;
  let best = -1;
  let bestScore = Infinity;
  for (const f of features) {
    for (let i = featureLocality[f] as number; i < (featureLocality[f + 1] as number); i++) {
      const dx = ((localityLon[i] as number) - x) * k;
      const dy = (localityLat[i] as number) - y;
      const d2 = dx * dx + dy * dy;
      if (d2 > reach) continue;
      const score = Math.sqrt(d2) / Math.max(1000, localityPopulation[i] as number) ** POPULATION_WEIGHT;
      if (score < bestScore) {
        bestScore = score;
        best = i;
      }
    }
  }
  return best;
}

let loaded: ReturnType<typeof geocoderFrom> | undefined;

/**
 * The places geocoder (lambdas/places/geocoder.ts), from the data file shipped beside this module: read and indexed
 * on first use, once per process (about a tenth of a second; docs/places.md), and kept.
 */
export function openGeocoder(): Geocoder {
  if (!loaded) {
    loaded = geocoderFrom(decodePlaces(readFileSync(path.join(__dirname, PLACES_ASSET_PATH))));
  }
  return loaded;
}
