/**
 * A small seeded PRNG (sfc32, from PractRand) so every fuzz input can be rebuilt from its seed and iteration.
 * Each iteration gets its own stream, so replaying iteration 9,999 does not mean generating the 9,998 before it.
 */
export interface Rng {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [0, n). */
  int(n: number): number;
  /** An integer in [min, max], both included. */
  between(min: number, max: number): number;
  chance(probability: number): boolean;
  pick<T>(items: readonly T[]): T;
}

function sfc32(a: number, b: number, c: number, d: number): () => number {
  return () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
}

/** splitmix32: spreads (seed, stream) over sfc32's 128-bit state so neighbouring seeds do not start alike. */
function splitmix32(state: number): () => number {
  return () => {
    state = (state + 0x9e3779b9) | 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
    z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
    return (z ^ (z >>> 15)) >>> 0;
  };
}

/** The generator for one (seed, stream) pair; the same pair always yields the same sequence. */
export function rngFor(seed: number, stream = 0): Rng {
  const mix = splitmix32(Math.imul(seed | 0, 0x85ebca6b) ^ Math.imul(stream | 0, 0xc2b2ae35));
  const next = sfc32(mix(), mix(), mix(), mix());
  for (let i = 0; i < 12; i++) next();
  const int = (n: number): number => Math.floor(next() * n);
  return {
    next,
    int,
    between: (min, max) => min + int(max - min + 1),
    chance: (probability) => next() < probability,
    pick: <T>(items: readonly T[]): T => {
      if (items.length === 0) throw new Error('pick from an empty list');
      return items[int(items.length)] as T;
    },
  };
}
