import { FACE_DESCRIPTOR_LENGTH } from './contract';

/*
 * Random-hyperplane LSH (Charikar 2002) over face descriptors: each table hashes a descriptor to BITS_PER_TABLE
 * bits, one per hyperplane (which side of it the descriptor is on). Two descriptors at angle t agree on a bit with
 * probability 1 - t/pi, so near faces share buckets and far ones rarely do. The hyperplanes come from a fixed seed:
 * changing LSH_SEED, LSH_TABLES or BITS_PER_TABLE moves every stored face to other buckets, which only a re-cluster
 * repairs (test/unit/people/lsh.test.ts pins them).
 */

export const LSH_TABLES = 4;
export const BITS_PER_TABLE = 8;
export const LSH_SEED = 0x5eed_face;

/** One bucket to read: a table and a bucket value in it (BITS_PER_TABLE bits). */
export interface Probe {
  table: number;
  bits: number;
}

/** mulberry32: a small PRNG whose sequence is fixed by its seed, on every platform and Node version. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Gaussian normals (Box-Muller), so each hyperplane's direction is uniform on the sphere. */
function hyperplanes(): number[][][] {
  const random = mulberry32(LSH_SEED);
  const gaussian = () => {
    const u = 1 - random();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  };
  return Array.from({ length: LSH_TABLES }, () =>
    Array.from({ length: BITS_PER_TABLE }, () => Array.from({ length: FACE_DESCRIPTOR_LENGTH }, gaussian)),
  );
}

const PLANES = hyperplanes();

/** The descriptor's bucket in each table. */
export function bucketsOf(descriptor: readonly number[]): number[] {
  return PLANES.map((table) =>
    table.reduce((bits, plane, bit) => {
      let dot = 0;
      for (let i = 0; i < plane.length; i++) dot += (plane[i] as number) * (descriptor[i] as number);
      return dot >= 0 ? bits | (1 << bit) : bits;
    }, 0),
  );
}

/**
 * Multi-probe (Lv et al. 2007, its simplest form): in each table the descriptor's own bucket and the
 * BITS_PER_TABLE buckets one bit away, since a near face most often differs on at most one hyperplane:
 * LSH_TABLES x (1 + BITS_PER_TABLE) = 36 probes.
 */
export function probesOf(descriptor: readonly number[]): Probe[] {
  return bucketsOf(descriptor).flatMap((bits, table) => [
    { table, bits },
    ...Array.from({ length: BITS_PER_TABLE }, (_, bit) => ({ table, bits: bits ^ (1 << bit) })),
  ]);
}

/** A bucket's two hex digits in its key. */
export function bucketHex(bits: number): string {
  return bits.toString(16).padStart(2, '0');
}
