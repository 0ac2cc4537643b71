/**
 * Offline arithmetic on the generated perceptual hashes for the similar-image index: how many images share a band
 * value, and what other band layouts would read, computed from the same hashes the bench wrote (no query is run).
 *
 * Multi-index hashing: split the 64 bits into m bands and give band b a radius r_b with sum(r_b + 1) > d; two hashes
 * within Hamming distance d then agree, in at least one band, to within its radius (the generalised pigeonhole
 * principle, as similar-images.ts `bandRadii` uses it). A query probes, in every band, each value within that
 * band's radius of its own and reads the postings filed under it: the probes are the Queries, the postings the
 * items read.
 */

/** Bits are numbered from the most significant (the first hex digit's top bit) as 0, as the hex string reads. */
export interface Layout {
  name: string;
  bands: number[][];
}

/** The hashes of one owner's PROCESSED images as two 32-bit halves (fast XOR and popcount). */
export interface HashSet {
  hi: Uint32Array;
  lo: Uint32Array;
}

export function hashSet(hashes: readonly string[]): HashSet {
  return {
    hi: Uint32Array.from(hashes, (hash) => Number.parseInt(hash.slice(0, 8), 16)),
    lo: Uint32Array.from(hashes, (hash) => Number.parseInt(hash.slice(8, 16), 16)),
  };
}

export function popcount(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) as number;
}

export function distance(set: HashSet, a: number, b: number): number {
  return (
    popcount(((set.hi[a] as number) ^ (set.hi[b] as number)) >>> 0) +
    popcount(((set.lo[a] as number) ^ (set.lo[b] as number)) >>> 0)
  );
}

/** Band widths as even as 64 bits allow, widest first (3 bands: 22, 21, 21). */
function widths(bands: number): number[] {
  return Array.from({ length: bands }, (_, b) => Math.floor(64 / bands) + (b < 64 % bands ? 1 : 0));
}

/** The layout of similar-images.ts today when m = 4: band b is bits 16b to 16b + 15 (hex digits 4b to 4b + 3). */
export function contiguous(bands: number): Layout {
  let next = 0;
  const layout = widths(bands).map((width) => Array.from({ length: width }, () => next++));
  return { name: `${bands} contiguous (${widths(bands).join('/')})`, bands: layout };
}

/** Band b holds bits b, b + m, b + 2m...: each band samples every part of the 8x8 DCT block. */
export function interleaved(bands: number): Layout {
  const layout = Array.from({ length: bands }, (_, b) =>
    Array.from({ length: 64 }, (_, bit) => bit).filter((bit) => bit % bands === b),
  );
  return { name: `${bands} interleaved (${widths(bands).join('/')})`, bands: layout };
}

/** The value of one band of hash `i`: its bits in band order, as an integer below 2^width. */
export function bandValue(set: HashSet, i: number, bits: readonly number[]): number {
  let value = 0;
  for (const bit of bits) {
    const word = bit < 32 ? (set.hi[i] as number) : (set.lo[i] as number);
    value = value * 2 + ((word >>> (31 - (bit % 32))) & 1);
  }
  return value;
}

/** Per band, how many images have each value. */
export function buckets(set: HashSet, layout: Layout): Array<Map<number, number>> {
  return layout.bands.map((bits) => {
    const counts = new Map<number, number>();
    for (let i = 0; i < set.hi.length; i++) {
      const value = bandValue(set, i, bits);
      counts.set(value, (counts.get(value) ?? 0) + 1);
    }
    return counts;
  });
}

const quantile = (sorted: ArrayLike<number>, q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;

export interface BandShare {
  band: number;
  bits: number;
  distinct: number;
  /** Over the images: how many other images share the image's value of this band. */
  mean: number;
  p99: number;
  max: number;
}

export function bandShares(set: HashSet, layout: Layout): BandShare[] {
  return buckets(set, layout).map((counts, band) => {
    const shared = Float64Array.from(
      { length: set.hi.length },
      (_, i) => (counts.get(bandValue(set, i, layout.bands[band] as number[])) as number) - 1,
    ).sort();
    return {
      band,
      bits: (layout.bands[band] as number[]).length,
      distinct: counts.size,
      mean: shared.reduce((a, b) => a + b, 0) / Math.max(1, shared.length),
      p99: quantile(shared, 0.99),
      max: quantile(shared, 1),
    };
  });
}

/** Every mask of `width` bits with at most `radius` bits set (the flips a probe makes). */
export function flipMasks(width: number, radius: number): number[] {
  const masks = [0];
  let frontier = [{ mask: 0, from: 0 }];
  for (let step = 0; step < radius; step++) {
    const next: typeof frontier = [];
    for (const { mask, from } of frontier) {
      for (let bit = from; bit < width; bit++) {
        masks.push(mask + 2 ** bit);
        next.push({ mask: mask + 2 ** bit, from: bit + 1 });
      }
    }
    frontier = next;
  }
  return masks;
}

/** The smallest radii that find every hash within `maxDistance`: sum(r_b + 1) = maxDistance + 1, spread evenly. */
export function radiiFor(bands: number, maxDistance: number): number[] {
  const total = Math.max(0, maxDistance - bands + 1);
  return Array.from({ length: bands }, (_, b) => Math.floor(total / bands) + (b < total % bands ? 1 : 0));
}

/** Radii that find every hash within `maxDistance` (the pigeonhole holds). */
export const exactFor = (radii: readonly number[], maxDistance: number) =>
  radii.reduce((sum, r) => sum + r + 1, 0) > maxDistance;

export interface ProbeCost {
  layout: string;
  /** Each band's radius, `2/2/2/1`. */
  radii: string;
  /** Band Queries a similar request sends (the SHA-256 Query and the GetItem not counted). */
  queries: number;
  items: { mean: number; p50: number; p99: number; max: number };
  /** Read units a request costs: each Query half a unit per started 4 KB, at least half (eventually consistent). */
  readUnits: number;
}

/**
 * What probing band b at `radii[b]` reads for each of `queries` (image positions in the set), reading at most `cap`
 * postings per band value as similar-images.ts does (MAX_PER_BUCKET).
 */
export function probeCost(
  set: HashSet,
  layout: Layout,
  radii: readonly number[],
  queries: readonly number[],
  cap: number,
  postingBytes: number,
): ProbeCost {
  const counts = buckets(set, layout);
  const masks = layout.bands.map((bits, band) => flipMasks(bits.length, radii[band] ?? 0));
  const items: number[] = [];
  let units = 0;
  for (const query of queries) {
    let read = 0;
    layout.bands.forEach((bits, band) => {
      const own = bandValue(set, query, bits);
      for (const mask of masks[band] as number[]) {
        // XOR on values up to 2^22: below 2^31, so the 32-bit operator is exact.
        const found = Math.min(cap, counts[band]?.get((own ^ mask) >>> 0) ?? 0);
        read += found;
        units += 0.5 * Math.max(1, Math.ceil((found * postingBytes) / 4096));
      }
    });
    items.push(read);
  }
  const sorted = Float64Array.from(items).sort();
  return {
    layout: layout.name,
    radii: radii.join('/'),
    queries: masks.reduce((sum, list) => sum + list.length, 0),
    items: {
      mean: items.reduce((a, b) => a + b, 0) / Math.max(1, items.length),
      p50: quantile(sorted, 0.5),
      p99: quantile(sorted, 0.99),
      max: quantile(sorted, 1),
    },
    readUnits: units / Math.max(1, queries.length),
  };
}

/** Of these pairs (all within the distance asked), the share some band finds within its radius. */
export function recall(
  set: HashSet,
  layout: Layout,
  radii: readonly number[],
  pairs: ReadonlyArray<readonly [number, number]>,
): number {
  if (pairs.length === 0) return Number.NaN;
  let found = 0;
  for (const [a, b] of pairs) {
    const hit = layout.bands.some(
      (bits, band) => popcount((bandValue(set, a, bits) ^ bandValue(set, b, bits)) >>> 0) <= (radii[band] ?? 0),
    );
    if (hit) found++;
  }
  return found / pairs.length;
}
