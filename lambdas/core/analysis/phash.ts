/** Side of the greyscale raster the DCT runs on; the hash keeps its 8x8 lowest frequencies. */
export const PHASH_RASTER_SIZE = 32;
const KEEP = 8;

const cosines = (() => {
  const n = PHASH_RASTER_SIZE;
  const table = new Float64Array(KEEP * n);
  for (let u = 0; u < KEEP; u++) {
    for (let x = 0; x < n; x++) table[u * n + x] = Math.cos(((2 * x + 1) * u * Math.PI) / (2 * n));
  }
  return table;
})();

/**
 * DCT perceptual hash (the pHash construction): the 8x8 lowest DCT frequencies of a 32x32 greyscale raster,
 * each bit set when its coefficient is above their median (the DC term excluded from the median).
 * Returns 16 hex characters.
 */
export function perceptualHash(grey: Uint8Array): string {
  const n = PHASH_RASTER_SIZE;
  if (grey.length !== n * n) throw new Error(`perceptualHash needs a ${n}x${n} greyscale raster`);
  // Separable DCT, only the KEEP lowest rows and columns: rows first, then columns.
  const rows = new Float64Array(n * KEEP);
  for (let y = 0; y < n; y++) {
    for (let u = 0; u < KEEP; u++) {
      let sum = 0;
      for (let x = 0; x < n; x++) sum += (grey[y * n + x] as number) * (cosines[u * n + x] as number);
      rows[y * KEEP + u] = sum;
    }
  }
  const coefficients = new Float64Array(KEEP * KEEP);
  for (let v = 0; v < KEEP; v++) {
    for (let u = 0; u < KEEP; u++) {
      let sum = 0;
      for (let y = 0; y < n; y++) sum += (rows[y * KEEP + u] as number) * (cosines[v * n + y] as number);
      coefficients[v * KEEP + u] = sum;
    }
  }
  const median = [...coefficients.subarray(1)].sort((a, b) => a - b)[(KEEP * KEEP - 1) >> 1] as number;
  let hash = 0n;
  for (const coefficient of coefficients) hash = (hash << 1n) | (coefficient > median ? 1n : 0n);
  return hash.toString(16).padStart(16, '0');
}

/** Number of differing bits between two 16-hex-character perceptual hashes (0 = same picture, 64 = opposite). */
export function hammingDistance(a: string, b: string): number {
  if (!/^[0-9a-f]{16}$/i.test(a) || !/^[0-9a-f]{16}$/i.test(b)) throw new Error('hashes must be 16 hex characters');
  let diff = BigInt(`0x${a}`) ^ BigInt(`0x${b}`);
  let count = 0;
  while (diff) {
    count += Number(diff & 1n);
    diff >>= 1n;
  }
  return count;
}
