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
/** Luma from this to HIGHLIGHT_CLIP is a near-clipped highlight: the shoulder an overexposed area rolls off into. */
export const HIGHLIGHT_SHOULDER = 215;

/**
 * The side of the square tiles sharpness and blown highlights are judged by, in pixels of the quality raster: small
 * enough that a subject of a tenth of the frame fills a few, large enough that a tile's variance is not noise.
 */
export const TILE = 32;
/** A tile has detail when its luma's standard deviation is at least this many levels: smooth ground has less. */
export const DETAIL_STD = 3;
/** A tile is blank white when this share of its pixels is clipped: a flat white ground, which loses no detail. */
export const BLANK_CLIPPED = 0.98;

/**
 * Where each flag starts. Chosen with `npm run bench:quality` on the tuning half of its labelled set (never the half
 * that reports precision and recall); bench/quality/README.md has the figures and the reasons for each rule.
 */
export const QUALITY_THRESHOLDS = {
  /**
   * `blurry`: `edgeSharpness` below this. Measured where the picture has detail and relative to the local contrast,
   * so neither a smooth background nor a darkened or flattened copy reads as blur.
   */
  blurryBelow: 0.227,
  /** `underexposed`: the brightest 1 % of the picture is darker than this (a low-key photo still has highlights). */
  underexposedBrightestBelow: 110,
  /** `overexposed`: `exposure.blownDetail` above this (clipped highlights where there is detail, not a white ground). */
  overexposedBlownAbove: 0.37,
  /** `lowContrast`: the tonal range, `brightest - darkest`, under this many levels of 255. */
  lowContrastRangeBelow: 95,
};
export type QualityThresholds = typeof QUALITY_THRESHOLDS;

export type QualityFlag = (typeof QUALITY_FLAGS)[number];

const share = z.number().min(0).max(1);

export const QualitySchema = z.object({
  /** Variance of the 4-neighbour Laplacian of the luma (grey levels squared): 0 for a flat image, a few thousand for fine detail. */
  sharpness: z.number().min(0),
  /**
   * Sharpness where there are edges: over the tiles with detail (luma deviation of DETAIL_STD levels or more), each
   * tile's Laplacian variance over its luma variance, the 95th percentile. About 0.1 for a blur of 2 px, 0.5 to 2
   * for a sharp photo; 0 with no detail at all. Absent from records of analysis 1.1.0.
   */
  edgeSharpness: z.number().min(0).optional(),
  exposure: z.object({
    /** Mean luma, 0-255 (Rec. 709 weights on the sRGB values). */
    mean: z.number().min(0).max(255),
    /** Shares of the pixels whose luma is at or below SHADOW_CLIP, at or above HIGHLIGHT_CLIP. */
    shadowsClipped: share,
    highlightsClipped: share,
    /** The luma of the darkest and of the brightest 1 % of the pixels (their 1st and 99th percentiles), 0-255. */
    darkest: z.number().int().min(0).max(255),
    brightest: z.number().int().min(0).max(255),
    /**
     * Highlights blown where there is detail: outside the blank white tiles (BLANK_CLIPPED of them clipped, a flat
     * white ground), the share of the pixels clipped plus half the share just under (HIGHLIGHT_SHOULDER up), 0-1.
     * Absent from records of analysis 1.1.0.
     */
    blownDetail: share.optional(),
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
  const tiles = new Tiles(width, height);
  const { samples: tileSamples, sum: tileSum, sum2: tileSum2, clipped: tileClipped, shoulder: tileShoulder } = tiles;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    const tileRow = (y >> TILE_SHIFT) * tiles.across;
    // The phase: from the top bits of the row's Fibonacci hash (its low bits would only walk a diagonal).
    for (let x = (Math.imul(y, 0x9e3779b1) >>> 30) % stride; x < width; x += stride) {
      const p = row + x;
      const level = ((luma[p] as number) + 2) >> 2;
      histogram[level] = (histogram[level] as number) + 1;
      const tile = tileRow + (x >> TILE_SHIFT);
      tileSamples[tile] = (tileSamples[tile] as number) + 1;
      tileSum[tile] = (tileSum[tile] as number) + level;
      tileSum2[tile] = (tileSum2[tile] as number) + level * level;
      if (level >= HIGHLIGHT_SHOULDER) {
        if (level >= HIGHLIGHT_CLIP) tileClipped[tile] = (tileClipped[tile] as number) + 1;
        else tileShoulder[tile] = (tileShoulder[tile] as number) + 1;
      }
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

  const sharpness = laplacianVariance(luma, width, height, tiles);
  const scores = {
    sharpness: round(sharpness, 1),
    edgeSharpness: round(tiles.edgeSharpness(), 3),
    exposure: {
      mean: round(mean, 1),
      shadowsClipped: round(shadowsClipped, 4),
      highlightsClipped: round(highlightsClipped, 4),
      darkest: percentile(0.01),
      brightest: percentile(0.99),
      blownDetail: round(tiles.blownDetail(highlightsClipped), 4),
    },
    contrast: round(contrast, 4),
    colourfulness: round(colourfulness, 1),
    entropy: round(entropy, 3),
  };
  return { ...scores, flags: qualityFlags(scores) };
}

/** The flags of a set of scores, by QUALITY_THRESHOLDS. */
export function qualityFlags(scores: Omit<Quality, 'flags'>, thresholds = QUALITY_THRESHOLDS): QualityFlag[] {
  const { blownDetail, darkest, brightest } = scores.exposure;
  const flags: QualityFlag[] = [];
  // A record of analysis 1.1.0 has neither score: no flag rather than one from the old rules.
  if (scores.edgeSharpness !== undefined && scores.edgeSharpness < thresholds.blurryBelow) flags.push('blurry');
  if (brightest < thresholds.underexposedBrightestBelow) flags.push('underexposed');
  if (blownDetail !== undefined && blownDetail > thresholds.overexposedBlownAbove) flags.push('overexposed');
  if (brightest - darkest < thresholds.lowContrastRangeBelow) flags.push('lowContrast');
  return flags;
}

const TILE_SHIFT = Math.log2(TILE);

/**
 * Per-tile sums: of the sampled luma levels (count, sum, sum of squares, clipped and near-clipped counts) and of the
 * squared Laplacian over every interior pixel, from which the tile-wise scores are read.
 */
class Tiles {
  readonly across: number;
  readonly samples: Uint32Array;
  readonly sum: Uint32Array;
  readonly sum2: Uint32Array;
  readonly clipped: Uint32Array;
  readonly shoulder: Uint32Array;
  /** Squared Laplacian (quarter levels) and how many pixels it was summed over. */
  readonly laplacian2: Float64Array;
  readonly laplacianCount: Uint32Array;

  constructor(width: number, height: number) {
    this.across = Math.ceil(width / TILE);
    const count = this.across * Math.ceil(height / TILE);
    this.samples = new Uint32Array(count);
    // A tile has at most TILE² samples: its sum of squared levels stays under 2^32.
    this.sum = new Uint32Array(count);
    this.sum2 = new Uint32Array(count);
    this.clipped = new Uint32Array(count);
    this.shoulder = new Uint32Array(count);
    this.laplacian2 = new Float64Array(count);
    this.laplacianCount = new Uint32Array(count);
  }

  /** The EDGE_PERCENTILE, over the tiles with detail, of the Laplacian's variance over the luma's (both in levels²). */
  edgeSharpness(): number {
    const ratios: number[] = [];
    for (let tile = 0; tile < this.samples.length; tile++) {
      const n = this.samples[tile] as number;
      const pixels = this.laplacianCount[tile] as number;
      // A sliver of a tile at the right or bottom edge is too few pixels for a variance.
      if (n < MIN_TILE_SAMPLES || pixels < MIN_TILE_SAMPLES) continue;
      const mean = (this.sum[tile] as number) / n;
      const variance = (this.sum2[tile] as number) / n - mean * mean;
      if (variance < DETAIL_STD * DETAIL_STD) continue;
      ratios.push((this.laplacian2[tile] as number) / pixels / 16 / variance);
    }
    if (ratios.length === 0) return 0;
    ratios.sort((a, b) => a - b);
    return ratios[Math.floor(EDGE_PERCENTILE * (ratios.length - 1))] as number;
  }

  /** The clipped share plus half the near-clipped share, outside the blank white tiles; `allClipped` if all are. */
  blownDetail(allClipped: number): number {
    let blown = 0;
    let seen = 0;
    for (let tile = 0; tile < this.samples.length; tile++) {
      const n = this.samples[tile] as number;
      const clipped = this.clipped[tile] as number;
      if (n === 0 || clipped >= BLANK_CLIPPED * n) continue;
      blown += clipped + 0.5 * (this.shoulder[tile] as number);
      seen += n;
    }
    return seen === 0 ? allClipped : blown / seen;
  }
}

/**
 * Which of the detailed tiles' sharpness is the picture's: the 95th percentile, so a sharp subject of a twentieth of
 * them makes the picture sharp (a shallow depth of field is not blur), yet one lucky tile of a blurred copy does not.
 */
const EDGE_PERCENTILE = 0.95;

/** Fewest samples (and Laplacian pixels) a tile needs to count for sharpness. */
const MIN_TILE_SAMPLES = 32;

/**
 * Variance of the 4-neighbour Laplacian over the interior pixels (the border has no full neighbourhood), adding each
 * tile's squared Laplacian to `tiles` on the way.
 */
function laplacianVariance(quarterLuma: Uint16Array, width: number, height: number, tiles: Tiles): number {
  if (width < 3 || height < 3) return 0;
  let sum = 0;
  let sum2 = 0;
  const { laplacian2, laplacianCount, across } = tiles;
  for (let y = 1; y < height - 1; y++) {
    const row = y * width;
    const tileRow = (y >> TILE_SHIFT) * across;
    for (let x = 1; x < width - 1; ) {
      const tile = tileRow + (x >> TILE_SHIFT);
      const stop = Math.min(width - 1, ((x >> TILE_SHIFT) + 1) << TILE_SHIFT);
      let tileSum2 = 0;
      for (let at = row + x, end = row + stop; at < end; at++) {
        const value =
          (quarterLuma[at - 1] as number) +
          (quarterLuma[at + 1] as number) +
          (quarterLuma[at - width] as number) +
          (quarterLuma[at + width] as number) -
          4 * (quarterLuma[at] as number);
        sum += value;
        tileSum2 += value * value;
      }
      sum2 += tileSum2;
      laplacian2[tile] = (laplacian2[tile] as number) + tileSum2;
      laplacianCount[tile] = (laplacianCount[tile] as number) + (stop - x);
      x = stop;
    }
  }
  const count = (width - 2) * (height - 2);
  const mean = sum / count;
  // In quarter levels: a sixteenth of the variance in levels.
  return Math.max(0, sum2 / count - mean * mean) / 16;
}

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;
