/**
 * The model against real renders: for each source and spec, the estimate the API would check against the budget
 * (core/render/render-cost.ts with its committed rates) beside the CPU the renderer (`renderImage`, as the render function
 * calls it) used on one libvips thread, and the wall time on every core. Sources are rendered from the original
 * with no stored copies, the costliest path a spec can take.
 */
import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { readHeader } from '../../lambdas/core/analysis/decode';
import { sniffFormat } from '../../lambdas/core/analysis/sniff';
import { AnalyzeOptionsSchema } from '../../lambdas/core/options';
import { renderImage } from '../../lambdas/core/render/render';
import { renderCost } from '../../lambdas/core/render/render-cost';
import type { RenditionSpec } from '../../lambdas/core/render/rendition';
import { checkAgainstImage, type ImageShape, parseRenditionSpec } from '../../lambdas/renditions/spec';
import { DEFAULT_SETTINGS } from '../../lambdas/settings';
import { renditionLimitsOf } from '../../lambdas/settings/renditions';
import { cpuMs, noisePixels } from './calibrate';

export interface Source {
  name: string;
  bytes: Buffer;
}

export interface Check {
  source: string;
  spec: string;
  outputMp: number;
  estimateMs: number;
  /** Why the API refuses it at signing (so it is not rendered here): the largest side, or the budget. */
  refused?: string;
  cpuMs?: number;
  wallMs?: number;
}

const LIMITS = renditionLimitsOf(DEFAULT_SETTINGS);
const MAX_PIXELS = 268_402_689;

/** Specs a user might send, from the smallest to what the default budget only just takes. */
export const SPECS: Record<string, unknown>[] = [
  { w: 400, h: 300, format: 'webp' },
  { w: 1600, format: 'avif' },
  { format: 'jpeg' },
  { w: 1024, blur: 20, sharpen: 2, format: 'webp' },
  { w: 2048, median: 5, format: 'jpeg' },
  { w: 2048, format: 'avif', q: 80 },
  { w: 3000, normalize: true, kernel: 'edge', format: 'webp', q: 90 },
  { w: 4000, format: 'webp', q: 80 },
  { w: 2600, format: 'avif', q: 80 },
  { w: 3000, format: 'avif', q: 80 },
  { w: 4000, median: 3, format: 'jpeg' },
];

/** The review's spec (issue 28): over any sensible budget, from any source. */
export const HOSTILE = {
  w: 4096,
  h: 4096,
  fit: 'fill',
  enlarge: true,
  blur: 100,
  median: 9,
  sharpen: 10,
  normalize: true,
  kernel: 'edge',
  format: 'avif',
  q: 99,
};

/** 12 MP noise as a JPEG (the costliest content), and a 10000 × 10000 16-bit PNG of a flat colour (small file). */
export async function hostileSources(): Promise<Source[]> {
  const noise = await noisePixels(3464);
  const jpeg = await sharp(noise, { raw: { width: 3464, height: 3464, channels: 3 } })
    .jpeg({ quality: 90 })
    .toBuffer();
  const png16 = await sharp({ create: { width: 10_000, height: 10_000, channels: 3, background: '#808080' } })
    .toColourspace('rgb16')
    .png({ compressionLevel: 9 })
    .toBuffer();
  return [
    { name: '12 MP noise JPEG', bytes: jpeg },
    { name: '100 MP 16-bit PNG', bytes: png16 },
  ];
}

export async function fileSource(name: string, file: string): Promise<Source> {
  return { name, bytes: await readFile(file) };
}

export async function validate(sources: Source[], budgetMs: number, log: (line: string) => void): Promise<Check[]> {
  const checks: Check[] = [];
  for (const source of sources) {
    const format = sniffFormat(source.bytes);
    if (!format) throw new Error(`${source.name}: not an image`);
    const header = await readHeader(source.bytes, format, AnalyzeOptionsSchema.parse({ maxPixels: MAX_PIXELS }));
    const image = { width: header.width, height: header.height, format, bitDepth: header.bitDepth, thumbnails: [] };
    for (const input of [...SPECS, HOSTILE]) {
      const spec = parseRenditionSpec(input, LIMITS);
      const cost = renderCost(spec, image, LIMITS.formats);
      const check: Check = {
        source: source.name,
        spec: JSON.stringify(input),
        outputMp: cost.outputMp,
        estimateMs: cost.ms,
      };
      check.refused = refusal(spec, image, budgetMs, cost.ms);
      if (check.refused === undefined) {
        const render = () => rendered(source.bytes, spec, image);
        sharp.concurrency(1);
        check.cpuMs = await cpuMs(render);
        sharp.concurrency(0);
        const start = performance.now();
        await render();
        check.wallMs = performance.now() - start;
      }
      log(
        `  ${source.name} ${check.spec}: estimate ${cost.ms} ms` +
          (check.cpuMs === undefined
            ? ' (over the budget)'
            : `, CPU ${check.cpuMs.toFixed(0)} ms, wall ${check.wallMs?.toFixed(0)} ms`),
      );
      checks.push(check);
    }
  }
  return checks;
}

function refusal(spec: RenditionSpec, image: ImageShape, budgetMs: number, estimateMs: number): string | undefined {
  try {
    checkAgainstImage(spec, image, LIMITS);
  } catch {
    return `over renditionMaxSide ${LIMITS.maxSide}: 400 at signing`;
  }
  return estimateMs > budgetMs ? 'over the budget: 400 at signing' : undefined;
}

function rendered(bytes: Buffer, spec: RenditionSpec, image: { width: number; height: number }) {
  const format = spec.format === 'auto' ? 'avif' : spec.format;
  return renderImage(bytes, spec, {
    format,
    image: { ...image, animated: false },
    maxInputPixels: MAX_PIXELS,
    timeLimitMs: 120_000,
  });
}
