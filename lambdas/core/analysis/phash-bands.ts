/**
 * Multi-index hashing over the perceptual hash (phash.ts): its 64 bits as 4 bands of 16 (4 hex digits each). Any hash
 * within a distance of another agrees with it, in at least one band, to within that band's radius (`bandRadii`), so
 * an index keyed by band value finds every near hash by reading the values that close (`neighbours`), never a list
 * of every hash. `/similar` (the search room) and the near-duplicates (the duplicates room) both read it this way.
 */
export const PHASH_BANDS = 4;

export function phashBands(phash: string): string[] {
  return Array.from({ length: PHASH_BANDS }, (_, band) => phash.slice(band * 4, band * 4 + 4));
}

/**
 * How far each band is probed for `maxDistance`: radii r_b with sum(r_b + 1) > maxDistance, so a hash that differs
 * from this one by more than r_b bits in every band differs by more than maxDistance in all (the generalised
 * pigeonhole principle). The smallest such radii add up to maxDistance - 3, spread as evenly as the 4 bands allow:
 * 2, 2, 2, 1 at 10 (428 band values), where the plain floor(10 / 4) = 2 in every band would probe 548.
 */
export function bandRadii(maxDistance: number): number[] {
  const total = Math.max(0, maxDistance - PHASH_BANDS + 1);
  return Array.from(
    { length: PHASH_BANDS },
    (_, b) => Math.floor(total / PHASH_BANDS) + (b < total % PHASH_BANDS ? 1 : 0),
  );
}

/** Every 16-bit value (4 hex digits) within `radius` bits of `band`, itself first. */
export function neighbours(band: string, radius: number): string[] {
  const value = Number.parseInt(band, 16);
  const values = [value];
  let frontier = [{ value, from: 0 }];
  for (let step = 0; step < radius; step++) {
    const next: typeof frontier = [];
    for (const { value: current, from } of frontier) {
      for (let bit = from; bit < 16; bit++) {
        const flipped = current ^ (1 << bit);
        values.push(flipped);
        next.push({ value: flipped, from: bit + 1 });
      }
    }
    frontier = next;
  }
  return values.map((v) => v.toString(16).padStart(4, '0'));
}

/** Every band value to read to find each hash within `maxDistance` of `phash`: `[band index, value]` pairs. */
export function probes(phash: string, maxDistance: number): [number, string][] {
  const radii = bandRadii(maxDistance);
  return phashBands(phash).flatMap((band, b) =>
    neighbours(band, radii[b] ?? 0).map((value) => [b, value] as [number, string]),
  );
}
