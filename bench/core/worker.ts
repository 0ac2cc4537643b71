/**
 * Child process for the Node contenders (our core, naive sharp, the floor). Speaks the protocol in
 * `protocol.ts`: job in argv[2], `READY`, one stdin line, `RESULT <json>`.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import sharp from 'sharp';
import type { AnalyzeImageOptions } from '../../lambdas/core/analysis/analyze';
import { analyzeImage } from '../../lambdas/core/analysis/analyze';
import { useEveryCore } from '../../lambdas/core/analysis/threads';
import type { AnalyzeOptions } from '../../lambdas/core/options';
import { psnr } from '../../test/support/stats';
import {
  type FloorJob,
  type FloorResult,
  type Job,
  type JobResult,
  type LatencyJob,
  type LatencyResult,
  type QualityJob,
  type QualityResult,
  type QualityShareJob,
  type QualityShareResult,
  type Sample,
  THUMBNAIL_SIZES,
  type ThroughputJob,
  type ThroughputResult,
  WEBP_EFFORT,
  WEBP_QUALITY,
} from '../support/protocol';
import { type NaiveVariant, naiveAnalyze } from './naive-sharp';

type Analysed = Omit<Sample, 'file' | 'ms'>;

async function ours(bytes: Buffer, options: AnalyzeImageOptions = {}): Promise<Analysed> {
  const { record, thumbnails } = await analyzeImage(bytes, options);
  if (record.status !== 'PROCESSED') throw new Error(`core returned ${record.status}: ${JSON.stringify(record)}`);
  return { thumbBytes: thumbnails.reduce((sum, t) => sum + t.bytes, 0), phash: record.hashes.phash };
}

async function naive(bytes: Buffer, variant: NaiveVariant): Promise<Analysed> {
  const result = await naiveAnalyze(bytes, variant);
  return { thumbBytes: result.thumbnails.reduce((sum, t) => sum + t.data.length, 0), phash: result.phash };
}

function analyser(contender: string, options?: AnalyzeOptions): (bytes: Buffer) => Promise<Analysed> {
  if (contender === 'ours') return (bytes) => ours(bytes, options);
  if (contender === 'naive') return (bytes) => naive(bytes, { serial: false, fullDecode: false });
  if (contender === 'naive-serial') return (bytes) => naive(bytes, { serial: true, fullDecode: false });
  if (contender === 'naive-full') return (bytes) => naive(bytes, { serial: true, fullDecode: true });
  throw new Error(`worker.ts cannot run contender ${contender}`);
}

async function latency(job: LatencyJob, inputs: Map<string, Buffer>): Promise<Omit<LatencyResult, 'maxRssMb'>> {
  const analyse = analyser(job.contender, job.options);
  const samples: Sample[] = [];
  for (let pass = 0; pass < job.passes; pass++) {
    for (const file of job.files) {
      const started = performance.now();
      const result = await analyse(inputs.get(file) as Buffer);
      samples.push({ file, ms: performance.now() - started, ...result });
    }
  }
  return { kind: 'latency', samples };
}

async function throughput(
  job: ThroughputJob,
  inputs: Map<string, Buffer>,
): Promise<Omit<ThroughputResult, 'maxRssMb'>> {
  const analyse = analyser(job.contender);
  const queue = Array.from({ length: job.passes }, () => job.files).flat();
  let next = 0;
  const started = performance.now();
  const lane = async () => {
    while (next < queue.length) await analyse(inputs.get(queue[next++] as string) as Buffer);
  };
  await Promise.all(Array.from({ length: job.inFlight }, lane));
  return { kind: 'throughput', images: queue.length, wallMs: performance.now() - started };
}

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const value = await work();
  return [value, performance.now() - started];
}

async function floor(job: FloorJob, inputs: Map<string, Buffer>): Promise<Omit<FloorResult, 'maxRssMb'>> {
  const largest = Math.max(...THUMBNAIL_SIZES);
  const samples: FloorResult['samples'] = [];
  for (let pass = 0; pass < job.passes; pass++) {
    for (const file of job.files) {
      const [{ data, info }, decodeMs] = await timed(() =>
        sharp(inputs.get(file) as Buffer)
          .resize({ width: largest, height: largest, fit: 'inside' })
          .raw()
          .toBuffer({ resolveWithObject: true }),
      );
      const raw = { raw: { width: info.width, height: info.height, channels: info.channels } };
      const encodeMs: Record<string, number> = {};
      for (const size of THUMBNAIL_SIZES) {
        // The smaller rasters are made untimed: the floor counts encoding only.
        const source =
          size >= largest
            ? { data, raw }
            : await sharp(data, raw)
                .resize({ width: size, height: size, fit: 'inside' })
                .raw()
                .toBuffer({ resolveWithObject: true })
                .then((r) => ({
                  data: r.data,
                  raw: { raw: { ...raw.raw, width: r.info.width, height: r.info.height } },
                }));
        const [, ms] = await timed(() =>
          sharp(source.data, source.raw).webp({ quality: WEBP_QUALITY, effort: WEBP_EFFORT }).toBuffer(),
        );
        encodeMs[size] = ms;
      }
      samples.push({ file, decodeMs, encodeMs });
    }
  }
  return { kind: 'floor', samples };
}

async function quality(job: QualityJob, inputs: Map<string, Buffer>): Promise<Omit<QualityResult, 'maxRssMb'>> {
  const samples: QualityResult['samples'] = [];
  for (const file of job.files) {
    const { record, thumbnails, raster } = await analyzeImage(inputs.get(file) as Buffer, {
      ...job.options,
      keepRaster: true,
    });
    if (record.status !== 'PROCESSED' || !raster) throw new Error(`core returned ${record.status} for ${file}`);
    const largest = thumbnails.reduce((a, b) => (b.width * b.height > a.width * a.height ? b : a));
    const decoded = await sharp(largest.data).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    if (decoded.info.width !== raster.width || decoded.info.height !== raster.height) {
      throw new Error(`thumbnail ${decoded.info.width}x${decoded.info.height} is not the raster's size`);
    }
    samples.push({
      file,
      psnr: psnr(raster.data, decoded.data),
      thumbBytes: thumbnails.reduce((s, t) => s + t.bytes, 0),
    });
  }
  return { kind: 'quality', samples };
}

async function qualityShare(
  job: QualityShareJob,
  inputs: Map<string, Buffer>,
): Promise<Omit<QualityShareResult, 'maxRssMb'>> {
  const samples: QualityShareResult['samples'] = [];
  for (let pass = 0; pass < job.passes; pass++) {
    for (const file of job.files) {
      const ms = { with: 0, without: 0 };
      const cpuMs = { with: 0, without: 0 };
      // Alternate which goes first, so neither always runs on a warmer cache.
      for (const measureQuality of pass % 2 === 0 ? [true, false] : [false, true]) {
        const side = measureQuality ? 'with' : 'without';
        const cpu = process.cpuUsage();
        const started = performance.now();
        await ours(inputs.get(file) as Buffer, { measureQuality });
        ms[side] = performance.now() - started;
        const used = process.cpuUsage(cpu);
        cpuMs[side] = (used.user + used.system) / 1000;
      }
      samples.push({
        file,
        withMs: ms.with,
        withoutMs: ms.without,
        withCpuMs: cpuMs.with,
        withoutCpuMs: cpuMs.without,
      });
    }
  }
  return { kind: 'quality-share', samples };
}

/**
 * This process's peak RSS. VmHWM belongs to the address space exec created; getrusage's maxRSS would also carry
 * the parent's peak across fork+exec, so a large parent would inflate every child.
 */
function peakRssMb(): number {
  const hwm = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
  return hwm ? Number(hwm[1]) / 1024 : process.resourceUsage().maxRSS / 1024;
}

async function run(job: Job, inputs: Map<string, Buffer>): Promise<Omit<JobResult, 'maxRssMb'>> {
  switch (job.kind) {
    case 'latency':
      return latency(job, inputs);
    case 'throughput':
      return throughput(job, inputs);
    case 'floor':
      return floor(job, inputs);
    case 'quality':
      return quality(job, inputs);
    case 'quality-share':
      return qualityShare(job, inputs);
  }
}

async function main(): Promise<void> {
  const job = JSON.parse(process.argv[2] ?? '') as Job;
  // As the processor function runs the core (its handler's first line), when the job says so.
  if (job.asDeployed) useEveryCore();
  if (job.sharpConcurrency !== undefined) sharp.concurrency(job.sharpConcurrency);
  const inputs = new Map<string, Buffer>();
  for (const file of [...job.files, ...job.warmup]) inputs.set(file, readFileSync(file));
  const warm = 'contender' in job ? analyser(job.contender) : analyser('ours');
  for (const file of job.warmup) await warm(inputs.get(file) as Buffer);

  process.stdout.write('READY\n');
  const lines = createInterface({ input: process.stdin });
  await new Promise<void>((resolve) => lines.once('line', () => resolve()));
  lines.close();

  const result = await run(job, inputs);
  const uv = Number(process.env.UV_THREADPOOL_SIZE);
  const full: JobResult = {
    ...result,
    maxRssMb: peakRssMb(),
    sharpConcurrency: sharp.concurrency(),
    uvThreadpoolSize: Number.isFinite(uv) && uv > 0 ? uv : 4,
  } as JobResult;
  process.stdout.write(`RESULT ${JSON.stringify(full)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
