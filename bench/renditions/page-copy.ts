/**
 * What the page copy (issue 79, `renditionPageCopy`: a JPEG q90 of at most 2048 px, made by the processor beside
 * vision) costs at ingest and what it gives renditions, per 12 MP original of the renditions corpus and of the
 * camera corpus (held-out photos; camera-4 is the portrait, stored sideways with EXIF orientation 6), median ms of:
 * (a) analyzeImage with the default thumbnail sizes, the processor's decode; (b) the page copy alone, as its
 * `renditions` step makes it (renderPageCopy);
 * (c) a 1200 px page (JPEG q80) rendered from the original, as the render function makes it with no copy,
 * (d) the same page from the copy;
 * and the copy's bytes, and fidelity: the page and a 400x225 card each rendered losslessly (PNG) from the source the
 * render function picks (storedCopies, planSource) and from the original, PSNR of one against the other; and the card
 * from the largest thumbnail and from the copy, whichever is picked, for the rule that picks (stored-copies.ts).
 * Each pair alternates round by round, so a load the machine is under falls on both.
 *
 * Run: npx tsx bench/renditions/page-copy.ts [rounds]   (prints a Markdown table; the corpora are built if missing)
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { analyzeImage } from '../../lambdas/core/analysis/analyze';
import { planSource, renderImage } from '../../lambdas/core/render/render';
import type { RenditionSpec } from '../../lambdas/core/render/rendition';
import { RENDITION_DEFAULTS } from '../../lambdas/core/render/rendition-spec';
import { renderPageCopy } from '../../lambdas/renditions/steps/page-copy';
import { storedCopies } from '../../lambdas/renditions/stored-copies';
import { DEFAULT_SETTINGS } from '../../lambdas/settings';
import type { ImageItem } from '../../lambdas/store/image-item';
import { median, psnr } from '../../test/support/stats';
import { ensureCameraPhotos } from '../support/camera-corpus';
import { ensureRenditionsCorpus } from './corpus';

const ROUNDS = Number(process.argv[2] ?? 5);
const OPTIONS = { maxPixels: 100_000_000, maxBytes: 64 * 1024 * 1024, thumbnailSizes: [128, 512, 1024] };
const PAGE: RenditionSpec = { ...RENDITION_DEFAULTS, w: 1200, fit: 'inside', format: 'jpeg', q: 80 };
const CARD: RenditionSpec = { ...RENDITION_DEFAULTS, w: 400, h: 225, fit: 'cover', format: 'webp', q: 80 };
const SIDE = DEFAULT_SETTINGS.renditionPageCopy;

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
  const original = await readFile(file);
  const analysed = await analyzeImage(original, OPTIONS);
  if (analysed.record.status !== 'PROCESSED') throw new Error(`${file}: ${analysed.record.status}`);
  const { metadata } = analysed.record;
  const image = { imageId: 'bench', version: 'bench', metadata, original };
  const makeCopy = () => renderPageCopy(image, SIDE, OPTIONS.maxPixels);
  const copy = await makeCopy();
  if (!copy) throw new Error(`${file}: no page copy`);
  const context = { format: 'jpeg' as const, image: metadata, maxInputPixels: OPTIONS.maxPixels };
  const [a, b] = await alternating([() => analyzeImage(original, OPTIONS), makeCopy]);
  const [c, d] = await alternating([
    () => renderImage(original, PAGE, context),
    () => renderImage(copy.data, PAGE, context),
  ]);
  // The source the render function picks for each spec, as it reads the record.
  const thumbnails = analysed.thumbnails.map(({ size, width, height }) => ({ size, width, height }));
  const item = { imageId: 'bench', pageCopy: { key: 'copy', width: copy.width, height: copy.height } } as ImageItem;
  const copies = storedCopies(item, thumbnails);
  const bytesOf = (key: string) =>
    key === 'copy' ? copy.data : (analysed.thumbnails.find((t) => key.endsWith(`/${t.size}.webp`))?.data as Buffer);
  const lossless = async (input: Buffer, spec: RenditionSpec) =>
    sharp((await renderImage(input, { ...spec, format: 'png' }, { ...context, format: 'png' })).data)
      .removeAlpha()
      .raw()
      .toBuffer();
  /** PSNR of `spec` rendered from `input` against the same from the original, both lossless. */
  const against = async (input: Buffer, spec: RenditionSpec) =>
    psnr(await lossless(original, spec), await lossless(input, spec));
  const fidelity = async (spec: RenditionSpec) => {
    const plan = planSource(spec, { width: metadata.width, height: metadata.height, thumbnails: copies });
    const source = plan.source === 'original' ? undefined : plan.copy;
    return {
      from: source ? (source.key === 'copy' ? 'copy' : `${source.size} WebP`) : 'original',
      db: await against(source ? bytesOf(source.key) : original, spec),
    };
  };
  // The card from each of the two sources it could come from, for the headroom rule (stored-copies.ts).
  const largest = analysed.thumbnails.reduce((a, b) => (b.size > a.size ? b : a));
  const cardFrom = { thumbnail: await against(largest.data, CARD), copy: await against(copy.data, CARD) };
  return {
    file: path.basename(file),
    size: `${metadata.width}x${metadata.height}`,
    a: a as number,
    b: b as number,
    c: c as number,
    d: d as number,
    kb: copy.data.length / 1024,
    page: await fidelity(PAGE),
    card: await fidelity(CARD),
    cardFrom,
  };
}

async function main(): Promise<void> {
  sharp.cache(false);
  const corpus = await ensureRenditionsCorpus(1);
  const files = [...corpus.originals.map((o) => o.file), ...(await ensureCameraPhotos())];
  const rows: Awaited<ReturnType<typeof measure>>[] = [];
  for (const file of files) {
    rows.push(await measure(file));
    console.error(JSON.stringify(rows.at(-1)));
  }
  const f = (n: number, digits = 0) => n.toFixed(digits);
  console.log(`Command: \`npx tsx bench/renditions/page-copy.ts ${ROUNDS}\`, renditionPageCopy ${SIDE}.\n`);
  console.log(
    '| original | shown | (a) analyse ms | (b) page copy ms | (b)/(a) | copy KB | (c) page from original ms | ' +
      '(d) page from copy ms | (c)/(d) | page PSNR dB | card from | card PSNR dB | card from the 1024 WebP / the copy dB |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const r of rows) {
    console.log(
      `| ${r.file} | ${r.size} | ${f(r.a)} | ${f(r.b)} | ${f(r.b / r.a, 2)}x | ${f(r.kb)} | ${f(r.c)} | ${f(r.d)} | ` +
        `${f(r.c / r.d, 2)}x | ${f(r.page.db, 1)} | ${r.card.from} | ${f(r.card.db, 1)} | ` +
        `${f(r.cardFrom.thumbnail, 1)} / ${f(r.cardFrom.copy, 1)} |`,
    );
  }
  const column = (pick: (r: (typeof rows)[number]) => number, digits = 0) => f(median(rows.map(pick)), digits);
  console.log(
    `| **median** | | ${column((r) => r.a)} | ${column((r) => r.b)} | ${column((r) => r.b / r.a, 2)}x | ` +
      `${column((r) => r.kb)} | ${column((r) => r.c)} | ${column((r) => r.d)} | ${column((r) => r.c / r.d, 2)}x | ` +
      `${column((r) => r.page.db, 1)} | | ${column((r) => r.card.db, 1)} | | `,
  );
}

void main();
