/**
 * What the eager `card` preset costs at ingest, per 12 MP original of the renditions corpus, median ms of:
 * (a) analyzeImage as the processor calls it; (b) the same keeping its pixels, then the card made from them
 * (renderEagerRenditions, kept in memory); (c) the card alone from the kept pixels; (d) the card as the render
 * function makes it on a miss, from the 1024 px WebP thumbnail; and the PSNR of (c) and (d) against the card rendered
 * losslessly (PNG) from the original. (b) - (a) is the difference of two noisy medians; (c) is the cost itself.
 *
 * Run: npx tsx bench/renditions/eager.ts [rounds]   (the corpus is the one bench/renditions/main.ts builds)
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { analyzeImage } from '../../lambdas/core/analysis/analyze';
import type { Pixels } from '../../lambdas/core/analysis/raster';
import { renderImage } from '../../lambdas/core/render/render';
import { renditionVersion } from '../../lambdas/renditions/query';
import { type EagerImage, eagerPresets, renderEagerRenditions } from '../../lambdas/renditions/steps/eager-renditions';
import { DEFAULT_SETTINGS } from '../../lambdas/settings';
import { median, psnr } from '../../test/support/stats';
import { RENDITIONS_CORPUS_DIR } from './corpus';

const ROUNDS = Number(process.argv[2] ?? 5);
const FILES = ['baseline.jpg', 'progressive.jpg', 'png', 'heic', 'avif'].flatMap((ext) =>
  ['1-boats', '2-leaf', '3-forest'].map((photo) => `${photo}.${ext}`),
);
const OPTIONS = { thumbnailSizes: [128, 512, 1024], maxPixels: 100_000_000, maxBytes: 64 * 1024 * 1024 };
const PRESETS = eagerPresets(DEFAULT_SETTINGS);
const EAGER = {
  presets: PRESETS,
  maxSide: DEFAULT_SETTINGS.renditionMaxSide,
  maxPixels: OPTIONS.maxPixels,
  watermark: async () => ({ kind: 'text' as const, text: '' }),
  keepGps: false,
  keepDigitalSourceType: false,
};
const fail = (preset: string, error: unknown) => {
  throw new Error(`${preset}: ${String(error)}`);
};

async function timed(run: () => Promise<unknown>): Promise<number> {
  await run();
  const times: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const start = performance.now();
    await run();
    times.push(performance.now() - start);
  }
  return median(times);
}

/** PSNR of two encoded images, decoded to the same raw layout. */
async function psnrOf(a: Buffer, b: Buffer): Promise<number> {
  const [x, y] = await Promise.all([a, b].map((image) => sharp(image).removeAlpha().raw().toBuffer()));
  return psnr(x as Buffer, y as Buffer);
}

async function measure(file: string): Promise<number[]> {
  const bytes = await readFile(path.join(RENDITIONS_CORPUS_DIR, file));
  const thumbnail = await readFile(path.join(RENDITIONS_CORPUS_DIR, `${file}.1024.webp`));
  const first = await analyzeImage(bytes, { ...OPTIONS, keepPixels: true });
  if (first.record.status !== 'PROCESSED' || !first.pixels) throw new Error(`${file}: ${first.record.status}`);
  const record = first.record;
  const { metadata } = record;
  const image = (pixels: Pixels): EagerImage => ({
    imageId: 'bench',
    bucket: 'bench',
    version: renditionVersion({ sha256: record.hashes.sha256, analysisVersion: record.analysisVersion }),
    metadata,
    original: bytes,
    pixels,
  });
  const card = PRESETS.find((preset) => preset.name === 'card');
  if (!card) throw new Error('the default settings have no card preset');
  const context = { format: card.format, image: metadata, maxInputPixels: OPTIONS.maxPixels };

  const a = await timed(() => analyzeImage(bytes, OPTIONS));
  const b = await timed(async () => {
    const { pixels } = await analyzeImage(bytes, { ...OPTIONS, keepPixels: true });
    if (pixels) await renderEagerRenditions(image(pixels), EAGER, fail);
  });
  const c = await timed(() => renderEagerRenditions(image(first.pixels as Pixels), EAGER, fail));
  const d = await timed(() => renderImage(thumbnail, card.spec, context));

  const { rendered } = await renderEagerRenditions(image(first.pixels), EAGER, fail);
  const eager = rendered[0]?.data ?? Buffer.alloc(0);
  const lazy = (await renderImage(thumbnail, card.spec, context)).data;
  const reference = (await renderImage(bytes, { ...card.spec, format: 'png' }, { ...context, format: 'png' })).data;
  return [a, b, b - a, c, d, await psnrOf(eager, reference), await psnrOf(lazy, reference)];
}

async function main(): Promise<void> {
  const rows: [string, number[]][] = [];
  for (const file of FILES) {
    rows.push([file, await measure(file)]);
    console.error(file, (rows.at(-1)?.[1] ?? []).map((value) => value.toFixed(1)).join(' '));
  }
  const cells = (values: number[]) => values.map((value, i) => value.toFixed(i < 5 ? 1 : 2)).join(' | ');
  console.log(
    '| original | (a) analyse ms | (b) analyse + card ms | (b) - (a) | (c) card from pixels ms | ' +
      '(d) card from 1024 WebP ms | PSNR (c) dB | PSNR (d) dB |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const [file, values] of rows) console.log(`| ${file} | ${cells(values)} |`);
  const column = (i: number) => median(rows.map(([, values]) => values[i] as number)).toFixed(1);
  console.log(`| **median** | ${column(0)} | ${column(1)} | | ${column(3)} | ${column(4)} | | |`);
}

void main();
