/**
 * The filters, in the documented order, and the passes that make sharp run them in that order (see renderImage).
 */
import type sharp from 'sharp';
import type { Sharp } from 'sharp';
import type { Kernel, RenditionSpec } from './rendition';

/** A filter and the place sharp gives it in its pipeline (src/pipeline.cc); a lower rank later needs a new pass. */
export interface Step {
  rank: number;
  apply: (image: Sharp, midGrey: number) => Sharp;
}

export const RANK = {
  geometry: 0,
  median: 1,
  blur: 2,
  convolve: 3,
  modulate: 4,
  sharpen: 5,
  composite: 6,
  linear: 7,
  normalise: 8,
} as const;

/**
 * 3x3 kernels as Pillow's ImageFilter defines them (FIND_EDGES, EMBOSS, CONTOUR), which the image-processing
 * service this replaces offered: edges light on black, relief on mid-grey, dark outlines on white.
 */
const KERNELS: Record<Kernel, sharp.Kernel> = {
  edge: { width: 3, height: 3, kernel: [-1, -1, -1, -1, 8, -1, -1, -1, -1], scale: 1, offset: 0 },
  emboss: { width: 3, height: 3, kernel: [-1, 0, 0, 0, 1, 0, 0, 0, 0], scale: 1, offset: 128 },
  contour: { width: 3, height: 3, kernel: [-1, -1, -1, -1, 8, -1, -1, -1, -1], scale: 1, offset: 255 },
};

/** The filters in the documented order (grayscale aside: sharp applies it at decode). */
export function filterSteps(spec: RenditionSpec): Step[] {
  const steps: Step[] = [];
  const add = (rank: number, apply: Step['apply']) => steps.push({ rank, apply });
  // Auto-levels first, so that the user's own adjustments apply to the levelled picture and are not undone.
  if (spec.normalize) add(RANK.normalise, (image) => image.normalise());
  const { median, blur, kernel, brightness, saturation, hue, sharpen, contrast } = spec;
  if (median !== undefined) add(RANK.median, (image) => image.median(median));
  if (blur !== undefined) add(RANK.blur, (image) => image.blur(blur));
  if (kernel !== undefined) add(RANK.convolve, (image) => image.convolve(KERNELS[kernel]));
  if (brightness !== undefined || saturation !== undefined || hue !== undefined) {
    // sharp takes whole degrees, and refuses a key present with no value.
    const modulation = { brightness: brightness ?? 1, saturation: saturation ?? 1, hue: Math.round(hue ?? 0) };
    add(RANK.modulate, (image) => image.modulate(modulation));
  }
  if (sharpen !== undefined) add(RANK.sharpen, (image) => image.sharpen({ sigma: sharpen }));
  // Contrast about mid-grey: out = c * (in - mid) + mid.
  if (contrast !== undefined) {
    add(RANK.linear, (image, midGrey) => image.linear(contrast, midGrey * (1 - contrast)));
  }
  return steps;
}

/** Splits the steps wherever sharp would run a later step before an earlier one. */
export function intoPasses(steps: Step[]): Step[][] {
  const passes: Step[][] = [[]];
  let last = Number.NEGATIVE_INFINITY;
  for (const step of steps) {
    const current = passes[passes.length - 1] as Step[];
    if (current.length > 0 && step.rank <= last) passes.push([step]);
    else current.push(step);
    last = step.rank;
  }
  return passes;
}
