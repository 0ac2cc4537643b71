/**
 * What the other names of places (`aka`, lambdas/places/aliases.ts) cost the search index, per 1,000 photos with a
 * place: `npx tsx bench/places/aka-cost.ts`. Each land point of set.json stands for one photo (capitals, suburbs,
 * border towns, islands: weighted to large towns, where the aliases are); the photo is a processed record of the
 * unit tests' (test/support/items.ts `searchableItem`) at that place, indexed with and without its places' other
 * names. A posting's size is its JSON (close to DynamoDB's own measure: attribute names and values); a write unit
 * is each started kilobyte of a posting put.
 */
import { openGeocoder } from '../../lambdas/places/open';
import { postingOf, withTerms } from '../../lambdas/search/postings';
import { postingKey } from '../../lambdas/search/postings-design';
import type { ImageItem } from '../../lambdas/store/image-item';
import { searchableItem } from '../../test/support/items';
import { readPlacesSet } from './score';

const geocoder = openGeocoder();
const withoutAka = <T extends object>(place: T): T =>
  Object.fromEntries(
    Object.entries(place).map(([level, value]) => {
      if (typeof value !== 'object' || value === null) return [level, value];
      const { aka: _aka, ...rest } = value as { aka?: unknown };
      return [level, rest];
    }),
  ) as T;

/** The postings an image is written as: count, bytes, write units, and the record's bytes. */
function indexed(item: ImageItem) {
  const record = withTerms(item, undefined);
  const attributes = postingOf(record);
  let bytes = 0;
  let units = 0;
  for (const term of record.indexedTerms ?? []) {
    const size = JSON.stringify({
      ...attributes,
      term: postingKey('owner-sub', term, record.imageId),
      imageId: record.imageId,
    }).length;
    bytes += size;
    units += Math.ceil(size / 1024);
  }
  return { postings: record.indexedTerms?.length ?? 0, bytes, units, record: JSON.stringify(record).length };
}

const points = readPlacesSet().filter((point) => point.country !== null);
const totals = { postings: [0, 0], bytes: [0, 0], units: [0, 0], record: [0, 0], aka: 0, withAka: 0 };
for (const point of points) {
  const names = geocoder.name({ latitude: point.lat, longitude: point.lon });
  if (!names) continue;
  const base = searchableItem();
  const place = { ...names, source: 'gps' as const };
  const akas = Object.values(names).flatMap((level) => (level as { aka?: string[] }).aka ?? []);
  totals.aka += akas.length;
  if (akas.length > 0) totals.withAka += 1;
  for (const [i, one] of [
    { ...base, place: withoutAka(place) },
    { ...base, place },
  ].entries()) {
    const measured = indexed(one);
    for (const key of ['postings', 'bytes', 'units', 'record'] as const) {
      const sums = totals[key];
      sums[i] = (sums[i] ?? 0) + measured[key];
    }
  }
}
const per1000 = (value: number) => Math.round((value * 1000) / points.length);
const row = (label: string, [before = 0, after = 0]: number[], unit = '') =>
  `| ${label} | ${per1000(before).toLocaleString('en')}${unit} | ${per1000(after).toLocaleString('en')}${unit} | +${per1000(after - before).toLocaleString('en')}${unit} |`;
console.log(
  `${points.length} photos (the land points of bench/places/set.json), ${totals.withAka} with a place that has other names, ${(totals.aka / points.length).toFixed(1)} other names a photo on average\n`,
);
console.log('| per 1,000 photos | without other names | with them | added |');
console.log('| --- | --- | --- | --- |');
console.log(row('postings written', totals.postings));
console.log(row('write units (each started KB of a posting)', totals.units));
console.log(row('posting bytes stored', totals.bytes, ' B'));
console.log(row('record bytes', totals.record, ' B'));
