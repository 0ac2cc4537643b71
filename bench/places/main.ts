/**
 * The places bench (`npm run bench:places`): the geocoder (lambdas/places/open.ts) on bench/places/set.json beside
 * the baseline other libraries use (the nearest GeoNames town centre, no boundary), in the same run.
 *
 * 1. Load the data file once, timed (read, decode, index) with the memory it adds.
 * 2. Name every point of the set with both; score each level (score.ts).
 * 3. Time lookups one by one: the set's points many times over, and random points anywhere on Earth.
 * 4. Write results.json (what the regression test holds) and results.md.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { PlaceNames } from '../../lambdas/core/place';
import { PLACES_ASSET_PATH } from '../../lambdas/places/data-contract';
import { decodePlaces, type PlacesData, SCALE } from '../../lambdas/places/format';
import { geocoderFrom } from '../../lambdas/places/open';
import { describeMachine, loadAverages } from '../../test/support/machine';
import { table } from '../../test/support/markdown';
import { median } from '../../test/support/stats';
import { fold, LEVELS, type LevelScore, readPlacesSet, scoreAll } from './score';

const FILE = path.join(__dirname, '../../lambdas/places', PLACES_ASSET_PATH);
const ROUNDS = 200;
const RANDOM = 20_000;

/** What immich and most photo libraries do: the nearest town centre, and its country and region. */
function nearestCentre(places: PlacesData) {
  const featureOf = new Int32Array(places.localityName.length).fill(-1);
  for (let f = 0; f < places.features.length; f++) {
    for (let i = places.featureLocality[f] as number; i < (places.featureLocality[f + 1] as number); i++)
      featureOf[i] = f;
  }
  return (lat: number, lon: number): PlaceNames | undefined => {
    const x = lon * SCALE;
    const y = lat * SCALE;
    const k = Math.cos(lat * (Math.PI / 180));
    let best = -1;
    let bestD2 = Infinity;
    for (let i = 0; i < places.localityName.length; i++) {
      const dx = ((places.localityLon[i] as number) - x) * k;
      const dy = (places.localityLat[i] as number) - y;
      if (dx * dx + dy * dy < bestD2) {
        bestD2 = dx * dx + dy * dy;
        best = i;
      }
    }
    const names = places.features[featureOf[best] as number];
    return {
      ...(names && { country: { name: names.country[1], code: names.country[0] } }),
      ...(names?.region[0] && { region: { name: names.region[0], code: names.region[1] } }),
      ...(names?.area[0] && { area: { name: names.area[0], code: names.area[1] } }),
      locality: { name: places.localityName[best] as string },
    };
  };
}

function timeCalls(calls: Array<() => unknown>): { medianUs: number; p99Us: number } {
  const times: number[] = [];
  for (const call of calls) {
    const start = process.hrtime.bigint();
    call();
    times.push(Number(process.hrtime.bigint() - start) / 1000);
  }
  times.sort((a, b) => a - b);
  return { medianUs: median(times), p99Us: times[Math.floor(times.length * 0.99)] as number };
}

function main(): void {
  const heapBefore = process.memoryUsage();
  let start = performance.now();
  const bytes = readFileSync(FILE);
  const readMs = performance.now() - start;
  start = performance.now();
  const places = decodePlaces(bytes);
  const decodeMs = performance.now() - start;
  start = performance.now();
  const geocoder = geocoderFrom(places);
  const indexMs = performance.now() - start;
  const heapAfter = process.memoryUsage();
  const typed = [
    places.coords,
    places.ringStart,
    places.polygonRing,
    places.polygonFeature,
    places.featureLocality,
    places.localityId,
    places.localityPopulation,
    places.localityLon,
    places.localityLat,
  ].reduce((total, array) => total + array.byteLength, 0);

  const points = readPlacesSet();
  const ours = scoreAll(points, (p) => geocoder.name({ latitude: p.lat, longitude: p.lon }));
  const baselineName = nearestCentre(places);
  const baseline = scoreAll(points, (p) => baselineName(p.lat, p.lon));

  const setCalls = Array.from({ length: ROUNDS }, () =>
    points.map((p) => () => geocoder.name({ latitude: p.lat, longitude: p.lon })),
  ).flat();
  let seed = 45;
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const randomCalls = Array.from({ length: RANDOM }, () => {
    const latitude = -60 + 135 * random();
    const longitude = -180 + 360 * random();
    return () => geocoder.name({ latitude, longitude });
  });
  const onSet = timeCalls(setCalls);
  const anywhere = timeCalls(randomCalls);
  const baselineTime = timeCalls(points.slice(0, 50).map((p) => () => baselineName(p.lat, p.lon)));

  const share = (s: LevelScore) => Number(s.share.toFixed(4));
  const results = {
    date: new Date().toISOString(),
    machine: describeMachine(),
    load: loadAverages(),
    data: geocoder.data,
    points: points.length,
    file: {
      bytes: statSync(FILE).size,
      typedArrayBytes: typed,
      heapAddedBytes: heapAfter.heapUsed - heapBefore.heapUsed,
    },
    coldStartMs: { read: readMs, decode: decodeMs, index: indexMs, total: readMs + decodeMs + indexMs },
    lookupUs: { set: onSet, anywhere, baselineSet: baselineTime },
    levels: Object.fromEntries(
      LEVELS.map((level) => [
        level,
        {
          right: ours.levels[level].right,
          of: ours.levels[level].of,
          share: share(ours.levels[level]),
          wrong: ours.levels[level].wrong,
        },
      ]),
    ),
    baseline: Object.fromEntries(
      LEVELS.map((level) => [
        level,
        { right: baseline.levels[level].right, of: baseline.levels[level].of, share: share(baseline.levels[level]) },
      ]),
    ),
    answers: Object.fromEntries(
      points.map((p) => [p.id, { ours: ours.answers[p.id] ?? null, baseline: baseline.answers[p.id] ?? null }]),
    ),
  };
  const json = path.join(__dirname, 'results.json');
  writeFileSync(json, `${JSON.stringify(results, null, 1)}\n`);
  // As the formatter writes it, so a rerun leaves lint as it was.
  execFileSync('npx', ['biome', 'format', '--write', json], { stdio: 'ignore' });
  writeFileSync(path.join(__dirname, 'results.md'), report(results, points));
  console.log(report(results, points));
}

function report(r: ReturnType<typeof JSON.parse>, points: ReturnType<typeof readPlacesSet>): string {
  const pct = (right: number, of: number) => `${right}/${of} (${((100 * right) / of).toFixed(1)} %)`;
  const levels = table(
    ['level', 'containment (lambdas/places)', 'nearest town centre (baseline)'],
    LEVELS.map((level) => [
      level,
      pct(r.levels[level].right, r.levels[level].of),
      pct(r.baseline[level].right, r.baseline[level].of),
    ]),
  );
  const kinds = [...new Set(points.map((p) => p.kind))];
  const byKind = table(
    ['kind', 'points', 'country right (ours / baseline)', 'locality right (ours / baseline)'],
    kinds.map((kind) => {
      const ids = points.filter((p) => p.kind === kind).map((p) => p.id);
      const count = (who: 'ours' | 'baseline', level: 'country' | 'locality') =>
        ids.filter((id) => {
          const p = points.find((q) => q.id === id);
          const a = r.answers[id][who];
          if (!p) return false;
          if (level === 'country') return p.country === null ? !a?.country : p.country.includes(a?.country?.code);
          return p.locality === undefined ? true : p.locality.some((n) => fold(n) === fold(a?.locality?.name ?? ''));
        }).length;
      return [
        kind,
        ids.length,
        `${count('ours', 'country')} / ${count('baseline', 'country')}`,
        `${count('ours', 'locality')} / ${count('baseline', 'locality')}`,
      ];
    }),
  );
  const wrong = LEVELS.flatMap((level) =>
    r.levels[level].wrong.map((id: string) => {
      const a = r.answers[id].ours;
      const got = a?.[level] ? `${a[level].name}${a[level].code ? ` (${a[level].code})` : ''}` : 'nothing';
      return [level, id, got];
    }),
  );
  const ms = (n: number) => n.toFixed(0);
  return [
    '# Places bench results',
    '',
    `\`npm run bench:places\`, ${r.date}: ${describeMachine()}; load average ${r.load} (other work was running).`,
    `Data ${r.data}; ${r.points} points (bench/places/set.json).`,
    '',
    levels,
    '',
    "By kind of point (the kind column of set.json; locality: the kind's points with an expected locality):",
    '',
    byKind,
    '',
    `Data file: ${(r.file.bytes / 1e6).toFixed(2)} MB on disk; ${(r.file.typedArrayBytes / 1e6).toFixed(1)} MB of typed arrays ` +
      `once decoded (heap grew ${(r.file.heapAddedBytes / 1e6).toFixed(1)} MB).`,
    `Cold start: read ${ms(r.coldStartMs.read)} ms, decode ${ms(r.coldStartMs.decode)} ms, index ${ms(r.coldStartMs.index)} ms, ` +
      `${ms(r.coldStartMs.total)} ms in all, once per process.`,
    '',
    table(
      ['lookups', 'calls', 'median', 'p99'],
      [
        [
          'the set, 200 times over',
          r.points * ROUNDS,
          `${r.lookupUs.set.medianUs.toFixed(1)} µs`,
          `${r.lookupUs.set.p99Us.toFixed(1)} µs`,
        ],
        [
          'random points anywhere',
          RANDOM,
          `${r.lookupUs.anywhere.medianUs.toFixed(1)} µs`,
          `${r.lookupUs.anywhere.p99Us.toFixed(1)} µs`,
        ],
        [
          'baseline, brute force over every town (50 points)',
          50,
          `${r.lookupUs.baselineSet.medianUs.toFixed(1)} µs`,
          `${r.lookupUs.baselineSet.p99Us.toFixed(1)} µs`,
        ],
      ],
    ),
    '',
    'What the geocoder gets wrong, and what it said:',
    '',
    table(['level', 'point', 'named'], wrong),
    '',
  ].join('\n');
}

main();
