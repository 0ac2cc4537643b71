/**
 * The rates of core/render/render-cost.ts, measured: CPU milliseconds per megapixel of each part of a render, with libvips
 * on one thread, on Gaussian noise (what costs encoders and rank filters the most: an adversary chooses the source).
 * Each figure is the median of a few runs of one sharp pipeline on a NOISE_SIDE² image, less a raw copy of the same
 * image (the floor every pipeline pays), over the megapixels.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import sharp, { type Sharp } from 'sharp';
import { openOriented, readHeader } from '../../lambdas/core/analysis/decode';
import { AnalyzeOptionsSchema } from '../../lambdas/core/options';
import { median } from '../../test/support/stats';

export const NOISE_SIDE = 2000;
const MP = (NOISE_SIDE * NOISE_SIDE) / 1e6;
const RUNS = 3;

/** A measured rate: what it is, its parameter (a radius, a quality) if any, CPU ms per megapixel. */
export interface Rate {
  part: string;
  at?: number;
  msPerMp: number;
}

/** CPU ms of one run of `work` (every thread of the process: libvips' and libuv's). */
export async function cpuMs(work: () => Promise<unknown>): Promise<number> {
  const before = process.cpuUsage();
  await work();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}

async function medianCpu(work: () => Promise<unknown>): Promise<number> {
  const runs: number[] = [];
  for (let i = 0; i < RUNS; i++) runs.push(await cpuMs(work));
  return median(runs);
}

/** Noise with 3 channels, NOISE_SIDE square, as raw 8-bit pixels. */
export async function noisePixels(side = NOISE_SIDE): Promise<Buffer> {
  const noise = { type: 'gaussian' as const, mean: 128, sigma: 60 };
  return sharp({ create: { width: side, height: side, channels: 3, background: '#000', noise } })
    .raw()
    .toBuffer();
}

export async function calibrate(log: (line: string) => void): Promise<Rate[]> {
  sharp.concurrency(1);
  const raw = await noisePixels();
  const image = (): Sharp => sharp(raw, { raw: { width: NOISE_SIDE, height: NOISE_SIDE, channels: 3 } });
  const floor = await medianCpu(() => image().raw().toBuffer());
  const rate = async (part: string, work: (source: Sharp) => Sharp, at?: number): Promise<Rate> => {
    const ms = await medianCpu(() => work(image()).toBuffer());
    const measured = { part, at, msPerMp: Math.max(0, (ms - floor) / MP) };
    log(`  ${part}${at === undefined ? '' : ` ${at}`}: ${measured.msPerMp.toFixed(1)} ms/MP`);
    return measured;
  };
  const rates: Rate[] = [{ part: 'pass', msPerMp: floor / MP }];
  rates.push(await rate('resample', (s) => s.resize(NOISE_SIDE / 2).raw()));
  for (const sigma of [0.3, 10, 100]) rates.push(await rate('blur', (s) => s.blur(sigma).raw(), sigma));
  for (const size of [3, 9]) rates.push(await rate('median', (s) => s.median(size).raw(), size));
  for (const sigma of [1, 10]) rates.push(await rate('sharpen', (s) => s.sharpen({ sigma }).raw(), sigma));
  rates.push(await rate('normalize', (s) => s.normalise().raw()));
  rates.push(await rate('modulate', (s) => s.modulate({ brightness: 1.1, saturation: 1.2, hue: 30 }).raw()));
  const edge = { width: 3, height: 3, kernel: [-1, -1, -1, -1, 8, -1, -1, -1, -1] };
  rates.push(await rate('kernel', (s) => s.convolve(edge).raw()));
  rates.push(await rate('contrast', (s) => s.linear(1.3, -38).raw()));
  rates.push(await rate('grayscale', (s) => s.greyscale().raw()));
  for (const q of [1, 100]) rates.push(await rate('encode jpeg', (s) => s.jpeg({ quality: q }), q));
  for (const q of [1, 50, 80, 100]) rates.push(await rate('encode webp', (s) => s.webp({ quality: q, effort: 4 }), q));
  for (const q of [1, 50, 80, 100]) rates.push(await rate('encode avif', (s) => s.avif({ quality: q, effort: 1 }), q));
  rates.push(await rate('encode png', (s) => s.png({ compressionLevel: 6 }), 100));
  rates.push(...(await decodeRates(image, log)));
  return rates;
}

/** Decoding each source format: noise encoded as a camera or an upload would, decoded to raw pixels. */
async function decodeRates(image: () => Sharp, log: (line: string) => void): Promise<Rate[]> {
  const sources: Array<[string, Buffer]> = [
    ['jpeg', await image().jpeg({ quality: 90 }).toBuffer()],
    ['png', await image().png({ compressionLevel: 6 }).toBuffer()],
    ['png 16-bit', await image().toColourspace('rgb16').png({ compressionLevel: 6 }).toBuffer()],
    ['webp', await image().webp({ quality: 90 }).toBuffer()],
    ['avif', await image().avif({ quality: 55, effort: 2 }).toBuffer()],
    ['tiff', await image().tiff().toBuffer()],
    ['gif', await image().gif().toBuffer()],
  ];
  const rates: Rate[] = [];
  for (const [format, bytes] of sources) {
    const ms = await medianCpu(() => sharp(bytes).raw().toBuffer());
    rates.push({ part: `decode ${format}`, msPerMp: ms / MP });
    log(`  decode ${format}: ${(ms / MP).toFixed(1)} ms/MP`);
  }
  // HEIC: sharp's libvips has no HEVC decoder, so the project's own path (libheif's WASM build); no HEVC encoder
  // here, so the fixture photo rather than noise.
  const heic = readFileSync(path.join(__dirname, '../../test/fixtures/formats/forest.heic'));
  const options = AnalyzeOptionsSchema.parse({});
  const header = await readHeader(heic, 'heic', options);
  const heicMs = await medianCpu(async () => (await openOriented(heic, header, options)).raw().toBuffer());
  const heicMp = (header.width * header.height) / 1e6;
  rates.push({ part: 'decode heic (photo)', msPerMp: heicMs / heicMp });
  log(`  decode heic (photo): ${(heicMs / heicMp).toFixed(1)} ms/MP`);
  return rates;
}
