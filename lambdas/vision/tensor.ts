/** How a model wants its pixels: channel order, memory layout, and per-channel (x / 255 - mean) / std. */
export interface Normalisation {
  order: 'RGB' | 'BGR';
  layout: 'NCHW' | 'NHWC';
  /** Per channel of the model's input, in its `order`. */
  mean: readonly [number, number, number];
  std: readonly [number, number, number];
}

/** Maps x / 255 to [-1, 1], as PaddleOCR's recogniser, BlazeFace and many others expect. */
export const MINUS_ONE_TO_ONE = { mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5] } as const;

/** Interleaved 8-bit RGB pixels as the float32 data of a model input tensor. */
export function normalise(pixels: Uint8Array, { order, layout, mean, std }: Normalisation): Float32Array {
  const plane = pixels.length / 3;
  const data = new Float32Array(pixels.length);
  for (let i = 0; i < plane; i++) {
    for (let c = 0; c < 3; c++) {
      const source = pixels[i * 3 + (order === 'RGB' ? c : 2 - c)] as number;
      const value = (source / 255 - (mean[c] as number)) / (std[c] as number);
      data[layout === 'NCHW' ? c * plane + i : i * 3 + c] = value;
    }
  }
  return data;
}
