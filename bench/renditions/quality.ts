/**
 * What rendering from the stored 1024 px WebP copy costs in quality, and saves in time, against rendering from a
 * 12 MP original; and the measurements behind the renderer's settings (lambdas/core/render/render.ts and render-layout.ts).
 *
 * 1. Take the 12 MP JPEGs of the benchmark corpus (bench/support/make-corpus.ts: 4000x3000 mosaics of real photos at
 *    native scale, not enlargements) and make each one's stored copies exactly as ingest does (analyzeImage).
 * 2. For each request, check that planSource picks a stored copy, then time renderImage from the original and
 *    from that copy, or from a smaller one where the row forces it to show what PREFERRED_HEADROOM buys (median
 *    of RUNS, inputs in memory, one at a time, both cores free), and compare the two outputs
 *    with SSIM and PSNR, and each against the same request rendered losslessly from the original.
 * 3. Sweep the settings the renderer fixes: cut-then-resize against resize-then-cut on a 12 MP JPEG, AVIF effort,
 *    JPEG encoder options.
 *
 * Run with `npx tsx bench/renditions/quality.ts` (about a minute and a half on 2 cores); it prints Markdown tables.
 */

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import sharp from 'sharp';
import { analyzeImage } from '../../lambdas/core/analysis/analyze';
import { planSource, renderImage, type StoredImage } from '../../lambdas/core/render/render';
import type { OutputFormat, RenditionSpec } from '../../lambdas/core/render/rendition';
import { RENDITION_DEFAULTS } from '../../lambdas/core/render/rendition-spec';
import { median, psnr } from '../../test/support/stats';
import { ensureCorpus } from '../support/make-corpus';
import { ssim } from './stats';

const RUNS = 5;
const MAX_PIXELS = 100_000_000;

const base: RenditionSpec = {
  ...RENDITION_DEFAULTS,
  watermarkOpacity: 1,
};

/** `from` forces a stored copy; otherwise the request renders from the copy planSource picks. */
const REQUESTS: { name: string; spec: RenditionSpec; format: OutputFormat; from?: number }[] = [
  { name: '400 px WebP cover (400x300)', spec: { ...base, w: 400, h: 300 }, format: 'webp' },
  { name: '400 px WebP cover (400x300)', spec: { ...base, w: 400, h: 300 }, format: 'webp', from: 512 },
  // Centred rather than smart: attention picks its cut from the source's pixels, and SSIM needs the same cut.
  { name: '200 px square (cover, centre)', spec: { ...base, w: 200, h: 200 }, format: 'webp' },
  { name: '800 px AVIF inside', spec: { ...base, w: 800, fit: 'inside' }, format: 'avif' },
  { name: '1024 px JPEG inside (the copy’s own size)', spec: { ...base, w: 1024, fit: 'inside' }, format: 'jpeg' },
];

async function timed<T>(work: () => Promise<T>, runs = RUNS): Promise<{ ms: number; result: T }> {
  const samples: number[] = [];
  let result: T | undefined;
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    result = await work();
    samples.push(performance.now() - started);
  }
  return { ms: median(samples), result: result as T };
}

/** Decoded RGB samples of an encoded image. */
const rgb = async (encoded: Buffer) =>
  sharp(encoded).removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });

/**
 * The reference a rendition is judged against: the same request rendered from the original, losslessly (PNG).
 * So the figures isolate what the source and the output encoding change; there is no one "ideal" downscale to
 * compare with (a full decode resized once with lanczos3 differs from sharp's shrink-on-load path by about
 * 34 dB PSNR, more than either source does).
 */
async function reference(original: Buffer, spec: RenditionSpec, image: StoredImage): Promise<Buffer> {
  return (await renderImage(original, spec, { format: 'png', image, maxInputPixels: MAX_PIXELS })).data;
}

interface Quality {
  ssim: number;
  psnr: number;
}

async function compare(a: Buffer, b: Buffer): Promise<Quality> {
  const [ra, rb] = await Promise.all([rgb(a), rgb(b)]);
  if (ra.info.width !== rb.info.width || ra.info.height !== rb.info.height) {
    throw new Error(`sizes differ: ${ra.info.width}x${ra.info.height} vs ${rb.info.width}x${rb.info.height}`);
  }
  const raw = ({ data, info }: typeof ra) => ({
    data,
    width: info.width,
    height: info.height,
    channels: info.channels,
  });
  return { ssim: ssim(raw(ra), raw(rb)), psnr: psnr(ra.data, rb.data) };
}

interface Photo {
  name: string;
  original: Buffer;
  /** The stored WebP copies by size, as ingest wrote them. */
  copies: Map<number, Buffer>;
  stored: StoredImage;
}

async function loadPhotos(): Promise<Photo[]> {
  const { files } = await ensureCorpus((line) => console.error(line));
  return Promise.all(
    files['12mp'].map(async (file) => {
      const original = await readFile(file);
      const { record, thumbnails } = await analyzeImage(original);
      if (record.status !== 'PROCESSED') throw new Error(`${file} was not processed`);
      const copies = new Map(thumbnails.map((thumbnail) => [thumbnail.size, thumbnail.data]));
      const stored = { ...record.metadata, thumbnails: record.thumbnails };
      return { name: path.basename(file), original, copies, stored };
    }),
  );
}

const fixed = (n: number, digits = 1) => n.toFixed(digits);
const quality = (q: Quality) => `${fixed(q.ssim, 4)} | ${fixed(q.psnr, 2)}`;

async function sourceComparison(photos: Photo[]): Promise<void> {
  console.log('## From the original or from the 1024 px copy\n');
  console.log(
    '| request | source | ms from original | ms from copy | speed-up | SSIM copy vs original output | SSIM vs lossless from original: original / copy | PSNR vs lossless: original / copy (dB) |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const request of REQUESTS) {
    const rows: { original: number; copy: number; between: Quality; originalVsIdeal: Quality; copyVsIdeal: Quality }[] =
      [];
    const plans = new Set<string>();
    for (const photo of photos) {
      const plan = planSource(request.spec, photo.stored);
      if (plan.source !== 'thumbnail') throw new Error(`${request.name}: planned from the original`);
      const from = request.from ?? plan.copy.size;
      plans.add(request.from ? `copy ${from} (forced; plan: ${plan.copy.size})` : `copy ${from}`);
      const copy = photo.copies.get(from) as Buffer;
      const context = { format: request.format, image: photo.stored, maxInputPixels: MAX_PIXELS };
      const fromOriginal = await timed(() => renderImage(photo.original, request.spec, context));
      const fromCopy = await timed(() => renderImage(copy, request.spec, context));
      const lossless = await reference(photo.original, request.spec, photo.stored);
      rows.push({
        original: fromOriginal.ms,
        copy: fromCopy.ms,
        between: await compare(fromOriginal.result.data, fromCopy.result.data),
        originalVsIdeal: await compare(lossless, fromOriginal.result.data),
        copyVsIdeal: await compare(lossless, fromCopy.result.data),
      });
    }
    const med = (pick: (row: (typeof rows)[number]) => number) => median(rows.map(pick));
    console.log(
      `| ${request.name} | ${[...plans].join(', ')} | ${fixed(med((r) => r.original))} | ${fixed(med((r) => r.copy))} | ` +
        `${fixed(med((r) => r.original) / med((r) => r.copy))}x | ${fixed(
          med((r) => r.between.ssim),
          4,
        )} | ` +
        `${fixed(
          med((r) => r.originalVsIdeal.ssim),
          4,
        )} / ${fixed(
          med((r) => r.copyVsIdeal.ssim),
          4,
        )} | ` +
        `${fixed(med((r) => r.originalVsIdeal.psnr))} / ${fixed(med((r) => r.copyVsIdeal.psnr))} |`,
    );
  }
  console.log(`\nMedians over ${photos.length} photos; times are the median of ${RUNS} renders each.\n`);
}

/**
 * Would a better stored copy be worth it? The 400 px cover rendered from a 1024 px copy encoded at several
 * qualities (ingest stores WebP q80), against the lossless rendering from the original; with what the copy costs
 * to store and to encode at ingest.
 */
async function intermediates(photos: Photo[]): Promise<void> {
  console.log('## The 1024 px copy as an intermediate: its quality against the 400 px cover it yields\n');
  console.log(
    '| 1024 px copy | bytes (median) | ingest encode ms (median) | 400 px cover: SSIM vs lossless from original | PSNR (dB) |',
  );
  console.log('| --- | --- | --- | --- | --- |');
  const spec: RenditionSpec = { ...base, w: 400, h: 300 };
  const variants: Record<string, (image: sharp.Sharp) => sharp.Sharp> = {
    'WebP q80 effort 4 (stored today)': (image) => image.webp({ quality: 80, effort: 4 }),
    'WebP q90 effort 4': (image) => image.webp({ quality: 90, effort: 4 }),
    'WebP q95 effort 4': (image) => image.webp({ quality: 95, effort: 4 }),
    'WebP lossless (only the double resampling left)': (image) => image.webp({ lossless: true, effort: 4 }),
    'none: from the original': (image) => image,
  };
  for (const [name, encode] of Object.entries(variants)) {
    const rows: { bytes: number; ms: number; quality: Quality }[] = [];
    for (const photo of photos) {
      const context = { format: 'webp' as const, image: photo.stored, maxInputPixels: MAX_PIXELS };
      const lossless = await reference(photo.original, spec, photo.stored);
      const raster = await sharp(photo.original)
        .resize(1024, 1024, { fit: 'inside' })
        .raw()
        .toBuffer({ resolveWithObject: true });
      const fromRaster = () =>
        sharp(raster.data, { raw: { width: raster.info.width, height: raster.info.height, channels: 3 } });
      const original = name.startsWith('none');
      const copy = original ? { ms: 0, result: photo.original } : await timed(() => encode(fromRaster()).toBuffer(), 3);
      const out = await renderImage(copy.result, spec, context);
      rows.push({
        bytes: original ? 0 : copy.result.length,
        ms: copy.ms,
        quality: await compare(lossless, out.data),
      });
    }
    const med = (pick: (row: (typeof rows)[number]) => number) => median(rows.map(pick));
    console.log(
      `| ${name} | ${name.startsWith('none') ? '-' : Math.round(med((r) => r.bytes))} | ${name.startsWith('none') ? '-' : fixed(med((r) => r.ms))} | ` +
        `${fixed(
          med((r) => r.quality.ssim),
          4,
        )} | ${fixed(med((r) => r.quality.psnr))} |`,
    );
  }
  console.log('');
}

/** The two geometry orders the renderer chooses between, on a crop of a 12 MP JPEG. */
async function cropOrder(original: Buffer): Promise<void> {
  console.log('## Crop of a 12 MP JPEG to 400 px wide: cut then resize, or resize then cut\n');
  console.log('| crop | scale | cut, then resize (ms) | resize, then cut (ms) |');
  console.log('| --- | --- | --- | --- |');
  for (const width of [3600, 2400, 1600, 1200, 800, 600]) {
    const height = Math.round(width * 0.75);
    const scale = 400 / width;
    const [left, top] = [3999 - width, 2999 - height];
    const cutFirst = () =>
      sharp(original, { sequentialRead: true })
        .autoOrient()
        .extract({ left, top, width, height })
        .resize(400, 300, { fit: 'fill' })
        .raw()
        .toBuffer();
    const [W, H] = [Math.round(4000 * scale), Math.round(3000 * scale)];
    const resizeFirst = () =>
      sharp(original, { sequentialRead: true })
        .resize(W, H, { fit: 'fill' })
        .extract({
          left: Math.min(W - 400, Math.round(left * scale)),
          top: Math.min(H - 300, Math.round(top * scale)),
          width: 400,
          height: 300,
        })
        .autoOrient()
        .raw()
        .toBuffer();
    const a = await timed(cutFirst);
    const b = await timed(resizeFirst);
    console.log(`| ${width}x${height} at the bottom right | ${fixed(scale, 3)} | ${fixed(a.ms)} | ${fixed(b.ms)} |`);
  }
  console.log('');
}

/**
 * A phone photo stores its pixels sideways with EXIF orientation 6. sharp orients before an extract, which costs
 * a full decode and a full-size rotation; renderImage resizes first and orients after (see its geometry pass).
 */
async function orientedCrop(original: Buffer): Promise<void> {
  const sideways = await sharp(original).withMetadata({ orientation: 6 }).jpeg({ quality: 90 }).toBuffer();
  const spec: RenditionSpec = { ...base, crop: { x: 200, y: 300, w: 2400, h: 3200 }, w: 240 };
  const context = { format: 'webp' as const, image: { width: 3000, height: 4000 }, maxInputPixels: MAX_PIXELS };
  const ours = await timed(() => renderImage(sideways, spec, context));
  const naive = await timed(() =>
    sharp(sideways)
      .autoOrient()
      .extract({ left: 200, top: 300, width: 2400, height: 3200 })
      .resize(240)
      .webp()
      .toBuffer(),
  );
  console.log('## A crop of a 12 MP JPEG stored sideways (EXIF orientation 6), 240 px wide WebP\n');
  console.log('| pipeline | ms |');
  console.log('| --- | --- |');
  console.log(`| renderImage (resize with shrink-on-load, cut, then orient) | ${fixed(ours.ms)} |`);
  console.log(`| sharp autoOrient, extract, resize (orients the full picture first) | ${fixed(naive.ms)} |\n`);
}

async function encoders(original: Buffer): Promise<void> {
  const raster = async (width: number) => {
    const { data, info } = await sharp(original).resize(width).raw().toBuffer({ resolveWithObject: true });
    return { data, info, encode: () => sharp(data, { raw: { width: info.width, height: info.height, channels: 3 } }) };
  };
  const lossless = async (r: Awaited<ReturnType<typeof raster>>) => r.encode().png({ compressionLevel: 1 }).toBuffer();
  console.log('## Encoder settings\n');
  console.log('| output | setting | ms | bytes | SSIM vs lossless | PSNR vs lossless (dB) |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  const r800 = await raster(800);
  const ref800 = await lossless(r800);
  for (const effort of [0, 1, 2, 3, 4]) {
    const { ms, result } = await timed(() => r800.encode().avif({ quality: 50, effort }).toBuffer(), 3);
    console.log(
      `| 800 px AVIF q50 | effort ${effort} | ${fixed(ms)} | ${result.length} | ${quality(await compare(ref800, result))} |`,
    );
  }
  const r1200 = await raster(1200);
  const ref1200 = await lossless(r1200);
  const jpegs: Record<string, sharp.JpegOptions> = {
    'libjpeg baseline': { quality: 80 },
    'libjpeg progressive': { quality: 80, progressive: true },
    'mozjpeg: true': { quality: 80, mozjpeg: true },
    'mozjpeg: true, q85 (about the PSNR of libjpeg q80)': { quality: 85, mozjpeg: true },
  };
  for (const [name, options] of Object.entries(jpegs)) {
    const { ms, result } = await timed(() => r1200.encode().jpeg(options).toBuffer());
    console.log(
      `| 1200 px JPEG | ${name} | ${fixed(ms)} | ${result.length} | ${quality(await compare(ref1200, result))} |`,
    );
  }
  for (const effort of [2, 4]) {
    const { ms, result } = await timed(() => r800.encode().webp({ quality: 80, effort }).toBuffer());
    console.log(
      `| 800 px WebP q80 | effort ${effort} | ${fixed(ms)} | ${result.length} | ${quality(await compare(ref800, result))} |`,
    );
  }
  console.log('');
}

async function main(): Promise<void> {
  const photos = await loadPhotos();
  // Warm up sharp and the encoders once.
  await renderImage(photos[0]?.original as Buffer, REQUESTS[0]?.spec as RenditionSpec, {
    format: 'webp',
    image: photos[0]?.stored as StoredImage,
    maxInputPixels: MAX_PIXELS,
  });
  console.log(
    `# Renditions: quality and speed by source (sharp ${sharp.versions.sharp}, libvips ${sharp.versions.vips})\n`,
  );
  await sourceComparison(photos);
  await intermediates(photos);
  await cropOrder(photos[0]?.original as Buffer);
  await orientedCrop(photos[0]?.original as Buffer);
  await encoders(photos[0]?.original as Buffer);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
