/**
 * The hashings the bench compares on the same descriptors: the committed one (lambdas/people/lsh.ts, Euclidean
 * LSH with p-stable projections) and the one it replaced, kept here as the baseline: random hyperplanes through
 * the origin, 4 tables of 8 bits, each probed at its own bucket and the 8 one bit away (commit 2ba7c6a).
 * And synthetic descriptors, to measure what the real set (two people) cannot.
 */
import { FACE_DESCRIPTOR_LENGTH } from '../../lambdas/people/contract';
import { bucketsOf, gaussian, LSH_SEED, type Probe, probesOf } from '../../lambdas/people/lsh';
import { seededRandom } from '../../lambdas/shared/seeded-random';

export interface Hashing {
  name: string;
  /** The descriptor's bucket key in each table. */
  buckets(descriptor: readonly number[]): string[];
  /** The buckets a new face with this descriptor reads. */
  probes(descriptor: readonly number[]): Probe[];
}

export const committedHashing: Hashing = { name: 'committed', buckets: bucketsOf, probes: probesOf };

const BASELINE_TABLES = 4;
const BASELINE_BITS = 8;

/** The replaced hashing's hyperplanes, from the same seed and generator as it had. */
const PLANES = (() => {
  const random = seededRandom(LSH_SEED);
  return Array.from({ length: BASELINE_TABLES }, () =>
    Array.from({ length: BASELINE_BITS }, () => Array.from({ length: FACE_DESCRIPTOR_LENGTH }, () => gaussian(random))),
  );
})();

function hyperplaneBits(descriptor: readonly number[]): number[] {
  return PLANES.map((table) =>
    table.reduce((bits, plane, bit) => {
      let dot = 0;
      for (let i = 0; i < plane.length; i++) dot += (plane[i] as number) * (descriptor[i] as number);
      return dot >= 0 ? bits | (1 << bit) : bits;
    }, 0),
  );
}

export const hyperplaneHashing: Hashing = {
  name: 'before: hyperplanes through the origin',
  buckets: (descriptor) => hyperplaneBits(descriptor).map(String),
  probes: (descriptor) =>
    hyperplaneBits(descriptor).flatMap((bits, table) => [
      { table, key: String(bits) },
      ...Array.from({ length: BASELINE_BITS }, (_, bit) => ({ table, key: String(bits ^ (1 << bit)) })),
    ]),
};

/** Whether a face with descriptor `b` is found by a new face `a`'s probes AND the other way round. */
export function meets(hashing: Hashing, a: readonly number[], b: readonly number[]): boolean {
  const found = (query: readonly number[], stored: readonly number[]) => {
    const own = hashing.buckets(stored);
    return hashing.probes(query).some(({ table, key }) => own[table] === key);
  };
  return found(a, b) && found(b, a);
}

/** A seeded random direction scaled to `length`. */
export function randomVector(random: () => number, length: number): number[] {
  const v = Array.from({ length: FACE_DESCRIPTOR_LENGTH }, () => gaussian(random));
  const norm = Math.hypot(...v);
  return v.map((x) => (x / norm) * length);
}

/** Of `pairs` random unit-length descriptors each with a partner exactly `distance` away, how many meet. */
export function pairMeetRate(hashing: Hashing, distance: number, pairs: number, seed: number): number {
  const random = seededRandom(seed);
  let met = 0;
  for (let n = 0; n < pairs; n++) {
    const a = randomVector(random, 1);
    const step = randomVector(random, distance);
    if (
      meets(
        hashing,
        a,
        a.map((x, i) => x + (step[i] as number)),
      )
    )
      met += 1;
  }
  return met / pairs;
}

/**
 * `people` synthetic people (random unit-length descriptors) with `copies` copies each within 0.2 of their
 * person, every one moved by one common vector of length `offset`: like dlib's, far from the origin.
 */
export function syntheticSet(people: number, copies: number, offset: number, seed: number) {
  const random = seededRandom(seed);
  const common = randomVector(random, offset);
  return Array.from({ length: people }, (_, p) => {
    const own = randomVector(random, 1);
    return Array.from({ length: copies }, (_, copy) => {
      const step = randomVector(random, 0.2 * random());
      return {
        person: `p${p}`,
        copy: String(copy),
        descriptor: own.map((x, i) => x + (step[i] as number) + (common[i] as number)),
      };
    });
  }).flat();
}
