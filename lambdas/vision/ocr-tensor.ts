/** Per-channel (x / 255 - mean) / std, channels in the BGR order both PaddleOCR models take. */
export interface BgrNormalisation {
  mean: readonly [number, number, number];
  std: readonly [number, number, number];
}

/**
 * Interleaved 8-bit RGB pixels (width x height) as the float32 NCHW BGR data of a model input at least that
 * large, in one pass without per-pixel branches (tensor.ts's general `normalise` took 5-10 ms on a detector
 * input). The input's extra columns and rows stay 0, which is the normalised mean colour.
 */
export function toBgrTensor(
  pixels: Uint8Array,
  width: number,
  height: number,
  input: { width: number; height: number },
  { mean, std }: BgrNormalisation,
): Float32Array {
  const plane = input.width * input.height;
  const tensor = new Float32Array(3 * plane);
  const [aB, aG, aR] = [1 / (255 * std[0]), 1 / (255 * std[1]), 1 / (255 * std[2])];
  const [bB, bG, bR] = [-mean[0] / std[0], -mean[1] / std[1], -mean[2] / std[2]];
  for (let y = 0, p = 0; y < height; y++) {
    for (let x = 0, i = y * input.width; x < width; x++, i++, p += 3) {
      tensor[i] = (pixels[p + 2] as number) * aB + bB;
      tensor[i + plane] = (pixels[p + 1] as number) * aG + bG;
      tensor[i + 2 * plane] = (pixels[p] as number) * aR + bR;
    }
  }
  return tensor;
}
