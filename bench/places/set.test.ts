/**
 * The set is what its README says: at least 120 points, every kind it promises, each with a why and a source, and
 * each expected locality a GeoNames town within 20 km of the point (a check on the coordinate, not on the answer).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PLACES_ASSET_PATH } from '../../lambdas/places/data-contract';
import { decodePlaces, SCALE } from '../../lambdas/places/format';
import { fold, readPlacesSet } from './score';

const points = readPlacesSet();

describe('bench/places/set.json', () => {
  it('has at least 120 points of every kind, each with a why and a source', () => {
    expect(points.length).toBeGreaterThanOrEqual(120);
    expect(new Set(points.map((p) => p.kind))).toEqual(
      new Set(['city', 'suburb', 'border', 'enclave', 'island', 'offshore', 'sea']),
    );
    for (const p of points)
      expect({ id: p.id, why: p.why.length > 0, source: p.source.length > 0 }).toEqual({
        id: p.id,
        why: true,
        source: true,
      });
    expect(new Set(points.map((p) => p.id)).size).toBe(points.length);
  });

  it('puts each point within 20 km of a GeoNames town its expected locality names', () => {
    const places = decodePlaces(readFileSync(path.join(__dirname, '../../lambdas/places', PLACES_ASSET_PATH)));
    const folded = places.localityName.map(fold);
    const far = points.flatMap((p) => {
      if (!p.locality) return [];
      const names = new Set(p.locality.map(fold));
      const k = Math.cos((p.lat * Math.PI) / 180);
      let nearest = Infinity;
      folded.forEach((name, i) => {
        if (!names.has(name)) return;
        const dx = ((places.localityLon[i] as number) / SCALE - p.lon) * k;
        const dy = (places.localityLat[i] as number) / SCALE - p.lat;
        nearest = Math.min(nearest, 111.2 * Math.hypot(dx, dy));
      });
      return nearest <= 20 ? [] : [`${p.id}: ${nearest.toFixed(1)} km`];
    });
    expect(far).toEqual([]);
  });
});
