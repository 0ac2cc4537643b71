import { seededRandom } from '../shared/seeded-random';
import { FACE_DESCRIPTOR_LENGTH } from './contract';

/*
 * Euclidean LSH with p-stable projections (E2LSH, Datar et al. 2004) over face descriptors: each table hashes a
 * descriptor v to PROJECTIONS_PER_TABLE slot numbers h_i(v) = floor((a_i . v + b_i) / SLOT_WIDTH), a_i with
 * i.i.d. N(0, 1) components and b_i uniform in [0, SLOT_WIDTH); the table's bucket is its slots together.
 *
 * Translation-invariant: for two descriptors u and v, a . u - a . v = a . (u - v) ~ N(0, d^2) with d = |u - v|,
 * whatever their common part, so dlib's descriptors (which sit far from the origin, all pointing nearly one way:
 * the earlier random hyperplanes through the origin put a whole library in a handful of buckets) spread by their
 * differences alone. A common offset moves every face to other slots but never changes which pairs meet.
 *
 * Meet probability for a pair at distance d (w = SLOT_WIDTH, k = PROJECTIONS_PER_TABLE, L = LSH_TABLES): on one
 * projection the new face sits at f in [0, 1) of its slot (b makes f uniform) and the other at f + x / w, x ~ N(0,
 * d^2). Same slot: ps = E_f[Phi((1 - f) w / d) - Phi(-f w / d)]; the probed neighbour (the slot past the nearer
 * boundary, multi-probe below): pn = E_f[Phi(-f w / d) - Phi((-1 - f) w / d)] for f < 1/2, mirrored above. A
 * table's probes meet the pair with ps^k + k pn ps^(k-1) (all slots equal, or one off on its probed side), and one
 * of the L tables with 1 - (1 - that)^L. At w = 3, k = 8, L = 4 and d = 0.49 (just inside FACE_MATCH_DISTANCE):
 * ps = 0.870, pn = 0.130, a table 0.719, any table 0.994; at d = 0.3, 0.9997; two people 1.0 apart, 0.78 (the
 * exact distance then rejects them: the buckets bound what a probe reads, they do not decide).
 *
 * The projections come from a fixed seed: changing LSH_SEED, LSH_TABLES, PROJECTIONS_PER_TABLE or SLOT_WIDTH moves
 * every stored face to other buckets, which only a re-cluster (regroup) repairs (test/unit/people/lsh.test.ts pins
 * them).
 */

export const LSH_TABLES = 4;
export const PROJECTIONS_PER_TABLE = 8;
/** The slot width w, in descriptor units (FACE_MATCH_DISTANCE is 0.5): chosen by the derivation above. */
export const SLOT_WIDTH = 3;
export const LSH_SEED = 0x5eed_face;

/** One bucket to read: a table and the bucket's key in it (its slot numbers, `bucketKeyOf`). */
export interface Probe {
  table: number;
  key: string;
}

/** A standard normal (Box-Muller) from `random`. */
export function gaussian(random: () => number): number {
  const u = 1 - random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

interface Projection {
  a: number[];
  b: number;
}

function projections(): Projection[][] {
  const random = seededRandom(LSH_SEED);
  return Array.from({ length: LSH_TABLES }, () =>
    Array.from({ length: PROJECTIONS_PER_TABLE }, () => ({
      a: Array.from({ length: FACE_DESCRIPTOR_LENGTH }, () => gaussian(random)),
      b: random() * SLOT_WIDTH,
    })),
  );
}

const PROJECTIONS = projections();

/** Per table, per projection: (a . v + b) / w, whose floor is the slot and whose fraction the place in it. */
function positions(descriptor: readonly number[]): number[][] {
  return PROJECTIONS.map((table) =>
    table.map(({ a, b }) => {
      let dot = b;
      for (let i = 0; i < a.length; i++) dot += (a[i] as number) * (descriptor[i] as number);
      return dot / SLOT_WIDTH;
    }),
  );
}

/** A bucket's key in its table: its slot numbers, signed, joined by dots (e.g. `0.-1.2.0.1.0.-3.1`). */
export function bucketKeyOf(slots: readonly number[]): string {
  return slots.join('.');
}

/** The descriptor's bucket key in each table. */
export function bucketsOf(descriptor: readonly number[]): string[] {
  return positions(descriptor).map((table) => bucketKeyOf(table.map(Math.floor)));
}

/**
 * Multi-probe (Lv et al. 2007, its simplest form): in each table the descriptor's own bucket, and for each
 * projection the bucket one slot over on the side of the nearer slot boundary (the other slots kept), since a near
 * face most often differs on at most one projection, across the boundary it is near:
 * LSH_TABLES x (1 + PROJECTIONS_PER_TABLE) = 36 probes.
 */
export function probesOf(descriptor: readonly number[]): Probe[] {
  return positions(descriptor).flatMap((table, t) => {
    const slots = table.map(Math.floor);
    const neighbours = table.map((position, i) => {
      const moved = [...slots];
      moved[i] = (slots[i] as number) + (position - (slots[i] as number) < 0.5 ? -1 : 1);
      return { table: t, key: bucketKeyOf(moved) };
    });
    return [{ table: t, key: bucketKeyOf(slots) }, ...neighbours];
  });
}
