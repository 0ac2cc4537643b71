/**
 * What a rendition costs to make, before it is made: CPU milliseconds on one core, estimated from the spec and the
 * record alone (the sizes, the source's format and bit depth, the stored copies), so a URL is refused when it is
 * signed, not after it has burnt a function's timeout. The API refuses a spec over the deployment's budget
 * (`renditionBudgetMs`) with a 400 naming its costliest parts, and the render function checks it again.
 *
 * The work is the sum of its parts, each a rate per megapixel times the pixels it touches:
 * - decoding the source the render reads (`planSource`: a stored WebP copy, or the original in full; JPEG's
 *   shrink-on-load is not counted, so a JPEG original costs at most this), twice the rate above 8 bits a sample;
 * - resampling: the source's pixels and the output's;
 * - each filter on the output's pixels, at a rate that grows with its radius or size where it has one;
 * - each extra pass of raw pixels (render-filters.ts's `intoPasses`);
 * - the encode, at the quality asked for; for `format=auto`, the costliest format the deployment allows.
 *
 * The rates come from `npm run bench:render-cost` (bench/render-cost/): measured on noise, the content that costs
 * encoders and rank filters the most, one libvips thread, so an estimate is an upper bound for the photographs
 * users send, and the bench checks it against real renders. They are not the time a request takes: libvips runs
 * on every core the function has.
 */
import type { ImageFormat } from '../record';
import { RAW_FORMATS } from '../vocabulary';
import { filterSteps, intoPasses, RANK } from './render-filters';
import { layoutOf, planSource, type StoredImage } from './render-layout';
import type { OutputFormat, RenditionSpec } from './rendition';

/** An image as the record describes it, as far as the cost of rendering it goes. */
export interface CostedImage extends StoredImage {
  format: ImageFormat;
  /** Bits per sample (`metadata.bitDepth`): 16-bit PNGs and TIFFs decode at twice the rate. */
  bitDepth: number;
}

export interface CostPart {
  /** What the work is, in words: "AVIF encode at q 99, 16.8 MP". */
  what: string;
  ms: number;
  /** The spec's parameters that lower it. */
  lower: string;
}

export interface RenderCost {
  /** Estimated CPU milliseconds on one core. */
  ms: number;
  /** Output pixels, in megapixels. */
  outputMp: number;
  /** The parts, costliest first. */
  parts: CostPart[];
}

/**
 * Rates in CPU ms per megapixel: what bench/render-cost measured on noise (results.md, `npm run bench:render-cost`)
 * with half added, so that other content, larger images and the cost of several threads stay under the estimate (the
 * bench checks that they do: a quarter was not enough for a median on 12 MP of noise). The watermark's is not measured: a small overlay composited once. A rate given as a table of
 * [parameter, rate] points is read by straight lines between them, and flat past the ends. JPEG XL's is from
 * bench/formats (about 430 ms a megapixel for libjxl's WASM build on a 12 MP photo), with half added.
 */
export const COST_RATES = {
  // A camera RAW's picture is its preview JPEG (core/analysis/container.ts): a JPEG's rate, on the preview's size.
  decode: {
    jpeg: 15.6,
    png: 15.6,
    webp: 103,
    gif: 12,
    avif: 264,
    tiff: 13.2,
    heic: 300,
    jxl: 650,
    svg: 48,
    ...Object.fromEntries(RAW_FORMATS.map((format) => [format, 15.6])),
  } as Record<ImageFormat, number>,
  highBitDepthFactor: 2.5,
  resample: 2.4,
  pass: 4.2,
  blur: [
    [0.3, 2.9],
    [10, 8.8],
    [100, 184],
  ],
  median: [
    [3, 360],
    [9, 396],
  ],
  sharpen: [
    [1, 114],
    [10, 228],
  ],
  normalize: 90,
  modulate: 108,
  kernel: 31,
  contrast: 13.2,
  grayscale: 9.6,
  watermark: 24,
  encode: {
    jpeg: [
      [1, 3.1],
      [100, 32],
    ],
    webp: [
      [1, 174],
      [50, 240],
      [80, 270],
      [100, 348],
    ],
    avif: [
      [1, 60],
      [50, 564],
      [80, 936],
      [100, 1152],
    ],
    png: [[100, 126]],
  },
} as const;

/** The quality an encode runs at when the spec gives none (render.ts's DEFAULT_QUALITY). */
const DEFAULT_QUALITY: Record<OutputFormat, number> = { jpeg: 80, webp: 80, avif: 50, png: 100 };
const FORMAT_NAMES: Record<OutputFormat, string> = { jpeg: 'JPEG', png: 'PNG', webp: 'WebP', avif: 'AVIF' };
const MP = 1_000_000;

/**
 * The estimated work of rendering `spec` from `image`. `formats` are the deployment's allowed output formats: an
 * `auto` request is costed at the costliest of them, since the Accept header picks one only when it is fetched.
 * Throws RenditionError for a crop outside the image, as `layoutOf` does.
 */
export function renderCost(spec: RenditionSpec, image: CostedImage, formats: readonly OutputFormat[]): RenderCost {
  const layout = layoutOf(spec, image);
  const outputMp = (layout.width * layout.height) / MP;
  const parts: CostPart[] = [];
  const add = (what: string, ms: number, lower: string) => parts.push({ what, ms, lower });

  const source = sourceOf(spec, image);
  add(source.what, source.mp * source.rate, source.lower);
  add(`resampling to ${layout.width} × ${layout.height}`, (source.mp + outputMp) * COST_RATES.resample, 'w, h or dpr');

  for (const part of filterParts(spec, outputMp)) parts.push(part);
  const passes = intoPasses([{ rank: RANK.geometry, apply: (i) => i }, ...filterSteps(spec)]).length;
  if (passes > 1)
    add(`${passes - 1} extra pass(es) of raw pixels`, (passes - 1) * outputMp * COST_RATES.pass, 'filters');

  const format = costliestFormat(spec, formats, outputMp);
  const quality = format === 'png' ? 100 : (spec.q ?? DEFAULT_QUALITY[format]);
  const q = format === 'png' ? '' : ` at q ${quality}`;
  add(
    `${FORMAT_NAMES[format]} encode${q}, ${outputMp.toFixed(1)} MP`,
    outputMp * along(COST_RATES.encode[format], quality),
    format === 'png' ? 'w, h or dpr, or another format' : 'q, w, h or dpr, or another format',
  );
  parts.sort((a, b) => b.ms - a.ms);
  return { ms: Math.round(parts.reduce((sum, part) => sum + part.ms, 0)), outputMp, parts };
}

/** What the render decodes (planSource's choice), its megapixels and its decode rate. */
function sourceOf(spec: RenditionSpec, image: CostedImage): { what: string; mp: number; rate: number; lower: string } {
  const plan = planSource(spec, image);
  const copy = plan.source === 'thumbnail' ? plan.copy : undefined;
  if (copy) {
    const mp = (copy.width * copy.height) / MP;
    const what = `decoding the stored ${copy.size} px copy, ${mp.toFixed(1)} MP`;
    return { what, mp, rate: COST_RATES.decode.webp, lower: 'w, h or dpr' };
  }
  const mp = (image.width * image.height) / MP;
  const deep = image.bitDepth > 8;
  return {
    what: `decoding the ${image.format.toUpperCase()} original, ${mp.toFixed(1)} MP${deep ? `, ${image.bitDepth}-bit` : ''}`,
    mp,
    rate: COST_RATES.decode[image.format] * (deep ? COST_RATES.highBitDepthFactor : 1),
    lower: 'w, h or dpr (a smaller output is made from a stored copy)',
  };
}

function filterParts(spec: RenditionSpec, outputMp: number): CostPart[] {
  const parts: CostPart[] = [];
  const add = (what: string, rate: number, lower: string) => parts.push({ what, ms: outputMp * rate, lower });
  if (spec.blur !== undefined) add(`blur ${spec.blur}`, along(COST_RATES.blur, spec.blur), 'blur, w or h');
  if (spec.median !== undefined) add(`median ${spec.median}`, along(COST_RATES.median, spec.median), 'median, w or h');
  if (spec.sharpen !== undefined) {
    add(`sharpen ${spec.sharpen}`, along(COST_RATES.sharpen, spec.sharpen), 'sharpen, w or h');
  }
  if (spec.normalize) add('normalize', COST_RATES.normalize, 'normalize, w or h');
  if (spec.kernel !== undefined) add(`kernel ${spec.kernel}`, COST_RATES.kernel, 'kernel, w or h');
  if (spec.brightness !== undefined || spec.saturation !== undefined || spec.hue !== undefined) {
    add('brightness, saturation, hue', COST_RATES.modulate, 'w or h');
  }
  if (spec.contrast !== undefined) add('contrast', COST_RATES.contrast, 'w or h');
  if (spec.grayscale) add('grayscale', COST_RATES.grayscale, 'w or h');
  if (spec.watermark !== undefined) add(`watermark ${spec.watermark}`, COST_RATES.watermark, 'w or h');
  return parts;
}

/** The format an `auto` spec is costed at: the costliest the deployment may pick. */
function costliestFormat(spec: RenditionSpec, formats: readonly OutputFormat[], outputMp: number): OutputFormat {
  if (spec.format !== 'auto') return spec.format;
  const rate = (format: OutputFormat) =>
    outputMp * along(COST_RATES.encode[format], format === 'png' ? 100 : (spec.q ?? DEFAULT_QUALITY[format]));
  return [...formats].sort((a, b) => rate(b) - rate(a))[0] ?? 'jpeg';
}

/** A rate read off a table of [parameter, rate] points: straight lines between them, flat past the ends. */
export function along(points: readonly (readonly [number, number])[], at: number): number {
  const [first] = points;
  if (!first) throw new Error('a rate table needs at least one point');
  if (at <= first[0]) return first[1];
  for (let i = 1; i < points.length; i++) {
    const [x0, y0] = points[i - 1] as readonly [number, number];
    const [x1, y1] = points[i] as readonly [number, number];
    if (at <= x1) return y0 + ((y1 - y0) * (at - x0)) / (x1 - x0);
  }
  return (points[points.length - 1] as readonly [number, number])[1];
}

/**
 * Why a spec is over `budgetMs`, naming its costliest parts and what lowers each, or undefined when it is within.
 * `setting` names where the budget is configured.
 */
export function budgetProblem(cost: RenderCost, budgetMs: number, setting = 'renditionBudgetMs'): string | undefined {
  if (cost.ms <= budgetMs) return undefined;
  const top = cost.parts
    .slice(0, 3)
    .map((part) => `${part.what}: ${Math.round(part.ms).toLocaleString('en-US')} ms (lower ${part.lower})`);
  return (
    `this rendition takes about ${cost.ms.toLocaleString('en-US')} ms of render work, over the ` +
    `${budgetMs.toLocaleString('en-US')} this deployment allows (${setting}): ${top.join('; ')}`
  );
}
