/**
 * The accuracy results.md states, held: the geocoder names bench/places/set.json again with the committed data
 * file, and each level must get at least as many points right as results.json records (no timings here: those are
 * the bench's, on a quiet machine).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { openGeocoder } from '../../lambdas/places/open';
import { LEVELS, type Level, readPlacesSet, scoreAll } from './score';

const results = JSON.parse(readFileSync(path.join(__dirname, 'results.json'), 'utf8')) as {
  data: string;
  points: number;
  levels: Record<Level, { right: number; of: number }>;
};

describe('the places accuracy results.md states', () => {
  const geocoder = openGeocoder();
  const points = readPlacesSet();
  const { levels } = scoreAll(points, (p) => geocoder.name({ latitude: p.lat, longitude: p.lon }));

  it('was measured on this data and this set', () => {
    expect({ data: geocoder.data, points: points.length }).toEqual({ data: results.data, points: results.points });
  });

  it.each(LEVELS)('%s: at least as many points right', (level) => {
    expect(levels[level].of).toBe(results.levels[level].of);
    expect(levels[level].right).toBeGreaterThanOrEqual(results.levels[level].right);
  });
});
