/**
 * What a camera RAW costs the processor: finding its preview (the IFD walk), and the whole analysis (header, decode
 * of the preview with JPEG shrink-on-load, thumbnails, hashes, quality), on the committed fixtures and on a
 * camera-sized DNG made in memory (a 6000x4000 preview JPEG and 48 MB of raw data, as a 24 MP camera writes); and
 * how close a rendition is to its preview (PSNR against sharp's own resize of the preview).
 *   npx tsx bench/formats/raw.ts
 * Results: bench/formats/raw-results.md.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { analyzeImage } from '../../lambdas/core/analysis/analyze';
import { pictureOf } from '../../lambdas/core/analysis/container';
import { sniffFormat } from '../../lambdas/core/analysis/sniff';
import type { ProcessedRecord } from '../../lambdas/core/record';
import { renderImage } from '../../lambdas/core/render/render';
import { RENDITION_DEFAULTS } from '../../lambdas/core/render/rendition-spec';
import { makeDng, partsOf } from '../../test/fixtures/make-raw';
import { psnr } from '../../test/support/stats';

const RUNS = 5;
const GB_SECOND = 0.0000166667;
const MEMORY_GB = 2048 / 1024;

async function median(run: () => Promise<unknown> | unknown): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b)[Math.floor(RUNS / 2)] as number;
}

async function measure(name: string, bytes: Buffer): Promise<void> {
  const format = sniffFormat(bytes);
  if (!format) throw new Error(`${name}: not sniffed`);
  const walk = await median(() => pictureOf(bytes, format));
  const options = { maxBytes: 150 * 1024 * 1024 };
  const analyse = await median(() => analyzeImage(bytes, options));
  const { record } = await analyzeImage(bytes, options);
  const { width, height } = (record as ProcessedRecord).metadata;
  const out = await renderImage(
    bytes,
    { ...RENDITION_DEFAULTS, format: 'png', w: 512 },
    { format: 'png', image: { width, height, animated: false }, maxInputPixels: 1e8 },
  );
  const reference = await sharp(pictureOf(bytes, format).bytes)
    .autoOrient()
    .resize(out.width, out.height, { fit: 'fill' })
    .raw()
    .toBuffer();
  const db = psnr(reference, await sharp(out.data).removeAlpha().raw().toBuffer());
  const per1000 = (analyse / 1000) * MEMORY_GB * GB_SECOND * 1000;
  console.log(
    `| ${name} | ${(bytes.length / 1e6).toFixed(2)} MB | ${width}x${height} | ${walk.toFixed(2)} ms | ` +
      `${analyse.toFixed(0)} ms | $${per1000.toFixed(4)} | ${Number.isFinite(db) ? db.toFixed(1) : 'identical'} dB |`,
  );
}

async function main(): Promise<void> {
  console.log(
    '| file | size | picture | find the preview | whole analysis | per 1,000 at 2048 MB | 512 px rendition PSNR |',
  );
  console.log('|---|---|---|---|---|---|---|');
  const dir = join(__dirname, '../../test/fixtures/raw');
  for (const name of readdirSync(dir).filter((file) => file !== 'no-preview.dng')) {
    await measure(name, readFileSync(join(dir, name)));
  }
  // A camera-sized DNG: a 24 MP preview JPEG of the forest photo, enlarged, and 48 MB of raw data.
  const photo = await sharp(join(dir, '../photos/forest.jpg')).resize(6000, 4000, { fit: 'fill' }).jpeg().toBuffer();
  const parts = await partsOf(photo, 6000);
  const mosaic = parts.mosaic;
  parts.mosaic = (le) => Buffer.concat([mosaic(le), Buffer.alloc(48 * 1024 * 1024)]);
  await measure('24 MP DNG (in memory)', makeDng(parts));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
