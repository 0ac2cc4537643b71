import { z } from 'zod';
import { QUALITY_FLAGS } from './vocabulary';

export { QUALITY_FLAGS };

/*
 * How good a photo looks, from pixels alone: sharpness, exposure, contrast, colourfulness and entropy, measured on
 * one small RGB image made from the decode the core already does, and four flags a team can filter uploads on.
 */

/**
 * Longest side of the image quality is measured on: fixed, so a score does not depend on the upload's resolution,
 * and the core's default largest thumbnail size, so for most photos it is the decoded raster itself (at 512 px a Gaussian
 * blur of sigma 3 on a 1600 px photo shrinks to one pixel and hides in the detail of a textured one).
 */
export const QUALITY_RASTER_SIDE = 1024;

/** Luma at or below this is a clipped shadow; at or above `HIGHLIGHT_CLIP`, a clipped highlight (of 0-255). */
export const SHADOW_CLIP = 10;
export const HIGHLIGHT_CLIP = 245;

/**
 * Where each flag starts. Chosen with `npm run bench:quality` on the tuning half of its labelled set (never the half
 * that reports precision and recall); bench/quality/README.md has the figures and the reasons for each rule.
 */
export const QUALITY_THRESHOLDS = {
  /**
   * `blurry`: sharpness relative to contrast, `sharpness / (255 × contrast)²`, below this. The Laplacian's variance
   * scales with the square of the contrast, so a darkened or flattened copy of a sharp photo would read as blurry
   * on the raw score; relative to its contrast it does not.
   */
  blurryBelow: 0.0038,
  /** `underexposed`: the brightest 1 % of the picture is darker than this (a low-key photo still has highlights). */
  underexposedBrightestBelow: 110,
  /** `overexposed`: more than this share of the pixels in clipped highlights. */
  overexposedClippedAbove: 0.11,
  /** `lowContrast`: the tonal range, `brightest - darkest`, under this many levels of 255. */
  lowContrastRangeBelow: 95,
};
export type QualityThresholds = typeof QUALITY_THRESHOLDS;

export type QualityFlag = (typeof QUALITY_FLAGS)[number];

const share = z.number().min(0).max(1);

export const QualitySchema = z.object({
  /** Variance of the 4-neighbour Laplacian of the luma (grey levels squared): 0 for a flat image, a few thousand for fine detail. */
  sharpness: z.number().min(0),
  exposure: z.object({
    /** Mean luma, 0-255 (Rec. 709 weights on the sRGB values). */
    mean: z.number().min(0).max(255),
    /** Shares of the pixels whose luma is at or below SHADOW_CLIP, at or above HIGHLIGHT_CLIP. */
    shadowsClipped: share,
    highlightsClipped: share,
    /** The luma of the darkest and of the brightest 1 % of the pixels (their 1st and 99th percentiles), 0-255. */
    darkest: z.number().int().min(0).max(255),
    brightest: z.number().int().min(0).max(255),
  }),
  /** RMS contrast: the standard deviation of the luma over 255, 0 (flat) to 0.5 (half black, half white). */
  contrast: z.number().min(0).max(0.5),
  /** Hasler and Suesstrunk's M: 0 for grey, about 33 moderately, 59 quite, 82 highly, 109 extremely colourful. */
  colourfulness: z.number().min(0),
  /** Shannon entropy of the luma histogram in bits: 0 (one grey) to 8 (every level equally often). */
  entropy: z.number().min(0).max(8),
  flags: z.array(z.enum(QUALITY_FLAGS)),
});
export type Quality = z.infer<typeof QualitySchema>;

/**
 * The histogram and the colour statistics read one pixel in `SAMPLE_STRIDE` of each row, at a phase that varies
 * from row to row (a fixed hash of the row, so a score never changes between runs), so no fine stripe, diagonal or
 * checkerboard can fool them. Point samples, not a smaller image: a resize would average away the clipped
 * highlights and the darkest and brightest pixels these statistics are about. The sharpness reads every pixel.
 * bench/quality/README.md has how far the scores moved from reading every pixel.
 */
export const SAMPLE_STRIDE = 4;

/**
 * The scores of an RGB raster (3 bytes a pixel, alpha already flattened), at most QUALITY_RASTER_SIDE a side.
 * `sampleStride` 1 makes the histogram and colour statistics read every pixel: the bench's reference.
 */
export function measureQuality(rgb: Uint8Array, width: number, height: number, sampleStride = SAMPLE_STRIDE): Quality {
  const pixels = width * height;
  // Luma in quarter levels (0-1020), in integer arithmetic: Rec. 709's weights scaled by 2^15, then shifted by 13.
  // This pass and the Laplacian's are the core's only per-pixel JavaScript, so they stay in small integers.
  const luma = new Uint16Array(pixels);
  for (let p = 0, i = 0; p < pixels; p++, i += 3) {
    luma[p] = (6966 * (rgb[i] as number) + 23436 * (rgb[i + 1] as number) + 2366 * (rgb[i + 2] as number) + 4096) >> 13;
  }

  const histogram = new Uint32Array(256);
  let sampled = 0;
  let sumRg = 0;
  let sumRg2 = 0;
  let sumYb = 0;
  let sumYb2 = 0;
  const stride = width >= sampleStride ? sampleStride : 1;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    // The phase: from the top bits of the row's Fibonacci hash (its low bits would only walk a diagonal).
    for (let x = (Math.imul(y, 0x9e3779b1) >>> 30) % stride; x < width; x += stride) {
      const p = row + x;
      const level = ((luma[p] as number) + 2) >> 2;
      histogram[level] = (histogram[level] as number) + 1;
      const i = 3 * p;
      const r = rgb[i] as number;
      const g = rgb[i + 1] as number;
      const rg = r - g;
      // Twice Hasler and Suesstrunk's yb, (r + g) / 2 - b, to stay in integers; halved below.
      const yb2 = r + g - 2 * (rgb[i + 2] as number);
      sumRg += rg;
      sumRg2 += rg * rg;
      sumYb += yb2;
      sumYb2 += yb2 * yb2;
      sampled++;
    }
  }
  sumYb /= 2;
  sumYb2 /= 4;

  let sum = 0;
  let sum2 = 0;
  let entropy = 0;
  for (let level = 0; level < 256; level++) {
    const count = histogram[level] as number;
    if (count === 0) continue;
    sum += level * count;
    sum2 += level * level * count;
    const p = count / sampled;
    entropy -= p * Math.log2(p);
  }
  const mean = sum / sampled;
  const contrast = Math.sqrt(Math.max(0, sum2 / sampled - mean * mean)) / 255;
  const clipped = (from: number, to: number) => {
    let count = 0;
    for (let level = from; level <= to; level++) count += histogram[level] as number;
    return count / sampled;
  };
  const percentile = (fraction: number) => {
    let seen = 0;
    for (let level = 0; level < 256; level++) {
      seen += histogram[level] as number;
      if (seen >= fraction * sampled) return level;
    }
    return 255;
  };
  const shadowsClipped = clipped(0, SHADOW_CLIP);
  const highlightsClipped = clipped(HIGHLIGHT_CLIP, 255);

  const meanRg = sumRg / sampled;
  const meanYb = sumYb / sampled;
  const spread = Math.sqrt(Math.max(0, sumRg2 / sampled - meanRg ** 2) + Math.max(0, sumYb2 / sampled - meanYb ** 2));
  const colourfulness = spread + 0.3 * Math.sqrt(meanRg ** 2 + meanYb ** 2);

  const sharpness = laplacianVariance(luma, width, height);
  const scores = {
    sharpness: round(sharpness, 1),
    exposure: {
      mean: round(mean, 1),
      shadowsClipped: round(shadowsClipped, 4),
      highlightsClipped: round(highlightsClipped, 4),
      darkest: percentile(0.01),
      brightest: percentile(0.99),
    },
    contrast: round(contrast, 4),
    colourfulness: round(colourfulness, 1),
    entropy: round(entropy, 3),
  };
  return { ...scores, flags: qualityFlags(scores) };
}

/** The flags of a set of scores, by QUALITY_THRESHOLDS. */
export function qualityFlags(scores: Omit<Quality, 'flags'>, thresholds = QUALITY_THRESHOLDS): QualityFlag[] {
  const { highlightsClipped, darkest, brightest } = scores.exposure;
  const flags: QualityFlag[] = [];
  if (relativeSharpness(scores) < thresholds.blurryBelow) flags.push('blurry');
  if (brightest < thresholds.underexposedBrightestBelow) flags.push('underexposed');
  if (highlightsClipped > thresholds.overexposedClippedAbove) flags.push('overexposed');
  if (brightest - darkest < thresholds.lowContrastRangeBelow) flags.push('lowContrast');
  return flags;
}

/** Sharpness over the luma's variance: 0 for a flat image, whatever its grey. */
export function relativeSharpness({ sharpness, contrast }: Pick<Quality, 'sharpness' | 'contrast'>): number {
  const variance = (255 * contrast) ** 2;
  return variance === 0 ? 0 : sharpness / variance;
}

/** Variance of the 4-neighbour Laplacian over the interior pixels (the border has no full neighbourhood). */
function laplacianVariance(quarterLuma: Uint16Array, width: number, height: number): number {
  if (width < 3 || height < 3) return 0;
  let sum = 0;
  let sum2 = 0;
  for (let y = 1; y < height - 1; y++) {
    const row = y * width;
    for (let at = row + 1, end = row + width - 1; at < end; at++) {
      const value =
        (quarterLuma[at - 1] as number) +
        (quarterLuma[at + 1] as number) +
        (quarterLuma[at - width] as number) +
        (quarterLuma[at + width] as number) -
        4 * (quarterLuma[at] as number);
      sum += value;
      sum2 += value * value;
    }
  }
  const count = (width - 2) * (height - 2);
  const mean = sum / count;
  // In quarter levels: a sixteenth of the variance in levels.
  return Math.max(0, sum2 / count - mean * mean) / 16;
}

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;
