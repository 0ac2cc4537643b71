/**
 * mulberry32: a small PRNG whose sequence is fixed by its seed, on every platform and Node version. The face LSH's
 * projections come from it (lambdas/people/lsh.ts), so its sequence must never change: stored buckets depend on it.
 * Tests and benches use it for cases and orders that are the same on every run.
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
