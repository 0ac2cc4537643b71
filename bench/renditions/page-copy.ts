/**
 * What a stored page-size copy (issue 79: a 2048 px WebP thumbnail, `thumbnailSizes` 128,512,1024,2048) costs at
 * ingest and saves a page-size rendition (1200 px wide JPEG, q80), per 12 MP original of the renditions corpus and
 * the camera-like portrait, median ms of:
 * (a) analyzeImage with the default thumbnail sizes, (b) the same with the 2048 copy too;
 * (c) the page rendered from the original, as the render function makes it with no copy big enough,
 * (d) the page rendered from the 2048 copy;
 * and the 2048 copy's bytes, and the PSNR of (c) and (d) against the page rendered losslessly (PNG) from the original.
 * The two sides alternate round by round, so a load the machine is under falls on both.
 *
 * Run: npx tsx bench/renditions/page-copy.ts [rounds]   (the corpora bench/renditions/runner.ts builds)
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { analyzeImage } from '../../lambdas/core/analysis/analyze';
import { renderImage } from '../../lambdas/core/render/render';
import type { RenditionSpec } from '../../lambdas/core/render/rendition';
import { RENDITION_DEFAULTS } from '../../lambdas/core/render/rendition-spec';
import { median, psnr } from '../../test/support/stats';
import { CAMERA_DIR } from '../support/camera-corpus';
import { RENDITIONS_CORPUS_DIR } from './corpus';

const ROUNDS = Number(process.argv[2] ?? 5);
const FILES = [
  ...['baseline.jpg', 'progressive.jpg', 'png', 'avif'].map((ext) =>
    path.join(RENDITIONS_CORPUS_DIR, `1-boats.${ext}`),
  ),
  path.join(CAMERA_DIR, 'camera-4.jpg'),
];
const DEFAULT_SIZES = [128, 512, 1024];
const WITH_COPY = [...DEFAULT_SIZES, 2048];
const OPTIONS = { maxPixels: 100_000_000, maxBytes: 64 * 1024 * 1024 };
const PAGE: RenditionSpec = { ...RENDITION_DEFAULTS, w: 1200, fit: 'inside', format: 'jpeg', q: 80 };

async function psnrOf(a: Buffer, b: Buffer): Promise<number> {
  const [x, y] = await Promise.all([a, b].map((image) => sharp(image).removeAlpha().raw().toBuffer()));
  return psnr(x as Buffer, y as Buffer);
}

/** Median ms of each run, the runs alternating round by round after one warm-up each. */
async function alternating(runs: (() => Promise<unknown>)[]): Promise<number[]> {
  for (const run of runs) await run();
  const times = runs.map(() => [] as number[]);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, run] of runs.entries()) {
      const start = performance.now();
      await run();
      times[i]?.push(performance.now() - start);
    }
  }
  return times.map(median);
}

async function measure(file: string) {
  const bytes = await readFile(file);
  const analysed = await analyzeImage(bytes, { ...OPTIONS, thumbnailSizes: WITH_COPY });
  if (analysed.record.status !== 'PROCESSED') throw new Error(`${file}: ${analysed.record.status}`);
  const { metadata } = analysed.record;
  const copy = analysed.thumbnails.find((t) => t.size === 2048);
  if (!copy) throw new Error(`${file}: no 2048 copy`);
  const context = { format: 'jpeg' as const, image: metadata, maxInputPixels: OPTIONS.maxPixels };
  const [a, b] = await alternating([
    () => analyzeImage(bytes, { ...OPTIONS, thumbnailSizes: DEFAULT_SIZES }),
    () => analyzeImage(bytes, { ...OPTIONS, thumbnailSizes: WITH_COPY }),
  ]);
  const [c, d] = await alternating([
    () => renderImage(bytes, PAGE, context),
    () => renderImage(copy.data, PAGE, context),
  ]);
  const reference = (await renderImage(bytes, { ...PAGE, format: 'png' }, { ...context, format: 'png' })).data;
  const fromOriginal = (await renderImage(bytes, PAGE, context)).data;
  const fromCopy = (await renderImage(copy.data, PAGE, context)).data;
  return {
    file: path.basename(file),
    a: a as number,
    b: b as number,
    c: c as number,
    d: d as number,
    kb: copy.bytes / 1024,
    psnrOriginal: await psnrOf(fromOriginal, reference),
    psnrCopy: await psnrOf(fromCopy, reference),
  };
}

async function main(): Promise<void> {
  sharp.cache(false);
  const rows: Awaited<ReturnType<typeof measure>>[] = [];
  for (const file of FILES) {
    rows.push(await measure(file));
    console.error(JSON.stringify(rows.at(-1)));
  }
  const f = (n: number, digits = 0) => n.toFixed(digits);
  console.log(
    '| original | (a) analyse ms | (b) with the 2048 copy ms | (b)/(a) | copy KB | (c) page from original ms | ' +
      '(d) page from copy ms | (c)/(d) | PSNR (c) dB | PSNR (d) dB |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const r of rows) {
    console.log(
      `| ${r.file} | ${f(r.a)} | ${f(r.b)} | ${f(r.b / r.a, 2)}x | ${f(r.kb)} | ${f(r.c)} | ${f(r.d)} | ` +
        `${f(r.c / r.d, 2)}x | ${f(r.psnrOriginal, 1)} | ${f(r.psnrCopy, 1)} |`,
    );
  }
  const column = (pick: (r: (typeof rows)[number]) => number, digits = 0) => f(median(rows.map(pick)), digits);
  console.log(
    `| **median** | ${column((r) => r.a)} | ${column((r) => r.b)} | ${column((r) => r.b / r.a, 2)}x | ` +
      `${column((r) => r.kb)} | ${column((r) => r.c)} | ${column((r) => r.d)} | ${column((r) => r.c / r.d, 2)}x | | |`,
  );
}

void main();
