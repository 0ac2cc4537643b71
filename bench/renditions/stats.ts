/** The numbers the renditions bench reports: geometric means of speed-ups and SSIM between two renditions. */

/** Geometric mean, the mean that treats a 2x gain and a 2x loss as cancelling out; NaN for no values. */
export function geometricMean(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  for (const value of values) {
    if (!(value > 0)) throw new RangeError(`geometricMean: every value must be > 0, got ${value}`);
  }
  return Math.exp(values.reduce((total, value) => total + Math.log(value), 0) / values.length);
}

/** A raster of 8-bit samples, `channels` per pixel, rows top to bottom (sharp's raw output). */
export interface RawImage {
  data: Uint8Array;
  width: number;
  height: number;
  channels: number;
}

/** Side and sigma of the Gaussian window of Wang et al. (2004), the SSIM everyone quotes. */
const WINDOW = 11;
const SIGMA = 1.5;
const C1 = (0.01 * 255) ** 2;
const C2 = (0.03 * 255) ** 2;

/**
 * Mean structural similarity of two images of the same size, on their luma (Rec. 601), with an 11x11 Gaussian
 * window (sigma 1.5) over the positions where the window fits inside the image. 1 means identical; a resize from a
 * different source that nobody can tell apart scores about 0.98 and above.
 */
export function ssim(reference: RawImage, test: RawImage): number {
  if (reference.width !== test.width || reference.height !== test.height) {
    throw new RangeError(`ssim: ${reference.width}x${reference.height} vs ${test.width}x${test.height}`);
  }
  const { width, height } = reference;
  if (width < WINDOW || height < WINDOW) throw new RangeError(`ssim: images under ${WINDOW} px on a side`);
  const x = luma(reference);
  const y = luma(test);
  const product = (a: Float64Array, b: Float64Array) => a.map((value, i) => value * (b[i] as number));
  const [muX, muY, xx, yy, xy] = [x, y, product(x, x), product(y, y), product(x, y)].map((plane) =>
    gaussianValid(plane, width, height),
  ) as [Float64Array, Float64Array, Float64Array, Float64Array, Float64Array];
  let total = 0;
  for (let i = 0; i < muX.length; i++) {
    const mx = muX[i] as number;
    const my = muY[i] as number;
    const varX = (xx[i] as number) - mx * mx;
    const varY = (yy[i] as number) - my * my;
    const cov = (xy[i] as number) - mx * my;
    total += ((2 * mx * my + C1) * (2 * cov + C2)) / ((mx * mx + my * my + C1) * (varX + varY + C2));
  }
  return total / muX.length;
}

function luma({ data, width, height, channels }: RawImage): Float64Array {
  const out = new Float64Array(width * height);
  if (channels < 3) {
    for (let i = 0; i < out.length; i++) out[i] = data[i * channels] as number;
    return out;
  }
  for (let i = 0; i < out.length; i++) {
    const at = i * channels;
    out[i] = 0.299 * (data[at] as number) + 0.587 * (data[at + 1] as number) + 0.114 * (data[at + 2] as number);
  }
  return out;
}

const KERNEL = (() => {
  const half = (WINDOW - 1) / 2;
  const weights = Array.from({ length: WINDOW }, (_, i) => Math.exp(-((i - half) ** 2) / (2 * SIGMA * SIGMA)));
  const sum = weights.reduce((a, b) => a + b, 0);
  return weights.map((weight) => weight / sum);
})();

/** Separable Gaussian blur keeping only the positions where the whole window lies inside the plane. */
function gaussianValid(plane: Float64Array, width: number, height: number): Float64Array {
  const outWidth = width - WINDOW + 1;
  const outHeight = height - WINDOW + 1;
  const rows = new Float64Array(outWidth * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < outWidth; x++) {
      let sum = 0;
      for (let k = 0; k < WINDOW; k++) sum += (KERNEL[k] as number) * (plane[y * width + x + k] as number);
      rows[y * outWidth + x] = sum;
    }
  }
  const out = new Float64Array(outWidth * outHeight);
  for (let y = 0; y < outHeight; y++) {
    for (let x = 0; x < outWidth; x++) {
      let sum = 0;
      for (let k = 0; k < WINDOW; k++) sum += (KERNEL[k] as number) * (rows[(y + k) * outWidth + x] as number);
      out[y * outWidth + x] = sum;
    }
  }
  return out;
}
