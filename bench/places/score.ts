/**
 * The places bench's set and its scoring, shared by main.ts and the regression test: each level of a named place
 * against what bench/places/set.json says is right there, names folded for accents, case and punctuation.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { PlaceNames } from '../../lambdas/core/place';

export const LEVELS = ['country', 'region', 'area', 'locality'] as const;
export type Level = (typeof LEVELS)[number];

export interface Expected {
  names: string[];
  code?: string;
}

export interface SetPoint {
  id: string;
  lat: number;
  lon: number;
  kind: 'city' | 'suburb' | 'border' | 'enclave' | 'island' | 'offshore' | 'sea';
  /** Accepted ISO 3166-1 codes; null: the open sea, where no place is right. */
  country: string[] | null;
  region?: Expected;
  area?: Expected;
  /** Accepted names. */
  locality?: string[];
  why: string;
  source: string;
}

export function readPlacesSet(file = path.join(__dirname, 'set.json')): SetPoint[] {
  return (JSON.parse(readFileSync(file, 'utf8')) as { points: SetPoint[] }).points;
}

/** `Évian-les-Bains` and `evian les bains` alike. */
export function fold(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

const levelRight = (expected: Expected, got: { name: string; code?: string } | undefined) =>
  got !== undefined &&
  ((expected.code !== undefined && got.code === expected.code) ||
    expected.names.some((name) => fold(name) === fold(got.name)));

/** Per level: whether the point has an answer at that level to score, and whether the named place got it right. */
export function scorePoint(point: SetPoint, named: PlaceNames | undefined): Partial<Record<Level, boolean>> {
  if (point.country === null) return { country: named?.country === undefined };
  const score: Partial<Record<Level, boolean>> = {
    country: named?.country?.code !== undefined && point.country.includes(named.country.code),
  };
  if (point.region) score.region = levelRight(point.region, named?.region);
  if (point.area) score.area = levelRight(point.area, named?.area);
  if (point.locality) {
    const accepted = point.locality.map(fold);
    score.locality = named?.locality !== undefined && accepted.includes(fold(named.locality.name));
  }
  return score;
}

export interface LevelScore {
  right: number;
  of: number;
  share: number;
  wrong: string[];
}

/** Each level's right answers over the points that have one. */
export function scoreAll(points: readonly SetPoint[], name: (p: SetPoint) => PlaceNames | undefined) {
  const levels = Object.fromEntries(
    LEVELS.map((level) => [level, { right: 0, of: 0, share: 0, wrong: [] as string[] }]),
  ) as Record<Level, LevelScore>;
  const answers: Record<string, PlaceNames | undefined> = {};
  for (const point of points) {
    const named = name(point);
    answers[point.id] = named;
    for (const [level, right] of Object.entries(scorePoint(point, named)) as [Level, boolean][]) {
      levels[level].of++;
      if (right) levels[level].right++;
      else levels[level].wrong.push(point.id);
    }
  }
  for (const level of LEVELS) levels[level].share = levels[level].right / Math.max(1, levels[level].of);
  return { levels, answers };
}
