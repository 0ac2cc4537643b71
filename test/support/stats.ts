/** Small numeric helpers for the benchmark. */

export function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0);

/** Peak signal-to-noise ratio in dB of two 8-bit buffers of the same layout (Infinity when identical). */
export function psnr(reference: Uint8Array, test: Uint8Array): number {
  if (reference.length !== test.length) throw new Error(`psnr: ${reference.length} vs ${test.length} bytes`);
  let squared = 0;
  for (let i = 0; i < reference.length; i++) {
    const d = (reference[i] as number) - (test[i] as number);
    squared += d * d;
  }
  const mse = squared / reference.length;
  return mse === 0 ? Number.POSITIVE_INFINITY : 10 * Math.log10((255 * 255) / mse);
}
