/**
 * The benchmark: our core against naive sharp and the best Pillow we can write, in the same run.
 *
 * 1. Build the corpus if missing (bench/support/make-corpus.ts).
 * 2. Latency: each contender in its own process, one image at a time, after a warm-up.
 * 3. Throughput with both cores busy: ours with 2 images in flight vs Pillow as 2 processes.
 * 4. The floor: shrink-on-load decode plus the three WebP encodes, each timed alone.
 * 5. WebP effort 2 vs 4: time, bytes and PSNR of the 1024 thumbnail.
 * 6. Peak RSS of a 24 MP image in a fresh process; then sharp/libuv/malloc settings.
 * 7. Quality's share: our core with and without quality, paired on each image in one process.
 * 8. Print the tables; write bench/core/results.md, bench/core/results.json and the README's results section.
 *
 * Usage: `npm run bench` (= `npx tsx bench/core/main.ts`); `npm run bench -- --quality-share` runs step 7 alone
 * and writes it into the last full run's results.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { hammingDistance } from '../../lambdas/core/analysis/phash';
import { loadAverages, machineInfo } from '../../test/support/machine';
import { median, sum } from '../../test/support/stats';
import { PYTHON, runJob, runTogether } from '../support/child';
import { CLASSES, type ClassName, ensureCorpus } from '../support/make-corpus';
import type {
  Contender,
  FloorResult,
  LatencyResult,
  QualityResult,
  QualityShareResult,
  Sample,
  ThroughputJob,
  ThroughputResult,
} from '../support/protocol';
import { replaceReadmeSection } from '../support/readme';
import { type ClassFigures, renderResults, renderTables, type Summary } from './report';

const PASSES = 3;
/** Passes for quality's share: 48 pairs for the 12 MP JPEGs and for the 2 MP PNGs, 32 for the 24 MP JPEGs. */
const QUALITY_SHARE_PASSES = 8;
/** The issue's bound on what measuring quality may add to the core's time. */
const QUALITY_SHARE_TARGET = 0.05;
const RESULTS_JSON = path.join(__dirname, 'results.json');
const CONTENDERS: Contender[] = ['ours', 'naive', 'naive-serial', 'naive-full', 'pillow'];
const JEMALLOC = '/usr/lib/x86_64-linux-gnu/libjemalloc.so.2';
const README = path.join(__dirname, 'README.md');

const log = (line: string) => process.stderr.write(`${line}\n`);
const classOf = (file: string) => path.basename(file).split('-')[0] as ClassName;

function classFigures(samples: Sample[], reference: Sample[]): Record<ClassName, ClassFigures> {
  const ourHash = new Map(reference.map((s) => [s.file, s.phash]));
  const figures = {} as Record<ClassName, ClassFigures>;
  for (const { name } of CLASSES) {
    const mine = samples.filter((s) => classOf(s.file) === name);
    const ms = mine.map((s) => s.ms);
    figures[name] = {
      medianMs: median(ms),
      imagesPerSecond: (mine.length / sum(ms)) * 1000,
      thumbKb: sum(mine.map((s) => s.thumbBytes)) / mine.length / 1024,
      phashDeltaMax: Math.max(...mine.map((s) => hammingDistance(s.phash, ourHash.get(s.file) ?? s.phash))),
    };
  }
  return figures;
}

async function throughputRow(
  label: string,
  corpus: Record<ClassName, string[]>,
  jobFor: (files: string[], passes: number) => ThroughputJob[],
): Promise<Summary['throughput'][number]> {
  const imagesPerSecond = {} as Record<ClassName, number>;
  let maxRssMb = 0;
  for (const { name } of CLASSES) {
    const jobs = jobFor(corpus[name], name === '24mp' ? 2 : PASSES);
    const { results } = await runTogether<ThroughputResult>(jobs);
    // Aggregate rate: every image any process finished, over the slowest process's wall time.
    imagesPerSecond[name] = (sum(results.map((r) => r.images)) / Math.max(...results.map((r) => r.wallMs))) * 1000;
    maxRssMb = Math.max(maxRssMb, ...results.map((r) => r.maxRssMb));
  }
  log(`throughput ${label}: ${JSON.stringify(imagesPerSecond)}`);
  return { label, imagesPerSecond, maxRssMb };
}

/** Median per component per file over the passes, then the median file. */
function floorFigures(result: FloorResult, oursMs: number): Summary['floor'] {
  const files = [...new Set(result.samples.map((s) => s.file))];
  const perFile = files.map((file) => {
    const mine = result.samples.filter((s) => s.file === file);
    const encodeMs: Record<string, number> = {};
    for (const size of Object.keys(mine[0]?.encodeMs ?? {}))
      encodeMs[size] = median(mine.map((s) => s.encodeMs[size] ?? 0));
    const decodeMs = median(mine.map((s) => s.decodeMs));
    return { decodeMs, encodeMs, floorMs: decodeMs + sum(Object.values(encodeMs)) };
  });
  const encodeMs: Record<string, number> = {};
  for (const size of Object.keys(perFile[0]?.encodeMs ?? {}))
    encodeMs[size] = median(perFile.map((p) => p.encodeMs[size] ?? 0));
  const floorMs = median(perFile.map((p) => p.floorMs));
  return { decodeMs: median(perFile.map((p) => p.decodeMs)), encodeMs, floorMs, oursMs, ratio: oursMs / floorMs };
}

/** Per class: the medians of each side, and the median of the pairs' ratios. */
async function qualityShare(
  all: string[],
  warmup: string[],
): Promise<{ summary: Summary['qualityShare']; raw: unknown }> {
  const load = loadAverages();
  const result = await runJob<QualityShareResult>({
    kind: 'quality-share',
    files: all,
    warmup,
    passes: QUALITY_SHARE_PASSES,
  });
  const classes = {} as Summary['qualityShare']['classes'];
  for (const { name } of CLASSES) {
    const mine = result.samples.filter((s) => classOf(s.file) === name);
    const withMs = median(mine.map((s) => s.withMs));
    const withoutMs = median(mine.map((s) => s.withoutMs));
    const pairedAdded = median(mine.map((s) => s.withMs / s.withoutMs)) - 1;
    classes[name] = {
      pairs: mine.length,
      withoutMs,
      withMs,
      added: withMs / withoutMs - 1,
      pairedAdded,
      cpuWithoutMs: median(mine.map((s) => s.withoutCpuMs)),
      cpuPairedAdded: median(mine.map((s) => s.withCpuMs / s.withoutCpuMs)) - 1,
    };
  }
  const machine = machineInfo();
  const measured =
    `Measured ${new Date().toISOString()} at commit ${machine.commit}, load averages before it ${load}, ` +
    `by \`npx tsx bench/core/main.ts${process.argv.includes('--quality-share') ? ' --quality-share' : ''}\`.`;
  log(`quality share: ${JSON.stringify(classes)}`);
  return { summary: { classes, measured }, raw: result };
}

function qualityShareTarget(share: Summary['qualityShare']): Summary['targets'][number] {
  const added = Object.values(share.classes).map((c) => c.pairedAdded);
  return {
    target: `measuring quality adds <= ${QUALITY_SHARE_TARGET * 100} % (each class, median of pairs)`,
    measured: CLASSES.map(({ name }) => `${name} ${(share.classes[name].pairedAdded * 100).toFixed(1)} %`).join(', '),
    pass: added.every((a) => a <= QUALITY_SHARE_TARGET),
  };
}

/** `--quality-share`: quality's share alone, written into the last full run's results (its other tables unchanged). */
async function qualityShareOnly(): Promise<void> {
  const { files: corpus } = await ensureCorpus(log);
  const all = CLASSES.flatMap((c) => corpus[c.name]);
  const warmup = [corpus['12mp'][0] as string, corpus['2mp'][0] as string];
  const stored = JSON.parse(readFileSync(RESULTS_JSON, 'utf8')) as { summary: Summary; raw: Record<string, unknown> };
  const share = await qualityShare(all, warmup);
  const target = qualityShareTarget(share.summary);
  const summary: Summary = {
    ...stored.summary,
    qualityShare: share.summary,
    targets: [...stored.summary.targets.filter((t) => !t.target.startsWith('measuring quality')), target],
  };
  await writeResults(summary, { ...stored.raw, qualityShare: share.raw });
}

async function writeResults(summary: Summary, raw: Record<string, unknown>): Promise<void> {
  const tables = renderTables(summary);
  process.stdout.write(`${tables}\n`);
  await writeFile(path.join(__dirname, 'results.md'), renderResults(summary));
  await writeFile(RESULTS_JSON, `${JSON.stringify({ summary, raw }, null, 2)}\n`);
  replaceReadmeSection(README, 'results', readmeSection(summary, tables));
}

function environment(provenance: string): Record<string, string> {
  const pillow = execFileSync(PYTHON, ['-c', 'import PIL, sys; print(PIL.__version__, sys.version.split()[0])'])
    .toString()
    .trim()
    .split(' ');
  const machine = machineInfo();
  return {
    date: new Date().toISOString(),
    node: machine.node,
    sharp: `${sharp.versions.sharp} (libvips ${sharp.versions.vips}, libwebp ${sharp.versions.webp ?? '?'})`,
    Pillow: `${pillow[0]} (Debian python3-pil, Python ${pillow[1]} at ${PYTHON})`,
    nproc: String(machine.cores),
    cpu: machine.cpu,
    'sharp.concurrency() default': String(sharp.concurrency()),
    corpus: `${CLASSES.map((c) => `${c.count} x ${c.width}x${c.height} ${c.format}`).join(', ')}; from ${provenance}, native-scale crops tiled 2x2 (12 MP) and 3x3 (24 MP)`,
  };
}

async function main(): Promise<void> {
  const began = performance.now();
  const { files: corpus, provenance } = await ensureCorpus(log);
  const all = CLASSES.flatMap((c) => corpus[c.name]);
  const big = corpus['12mp'];
  const warmup = [big[0] as string, corpus['2mp'][0] as string];

  const latency = {} as Record<Contender, LatencyResult>;
  for (const contender of CONTENDERS) {
    latency[contender] = await runJob<LatencyResult>({
      kind: 'latency',
      contender,
      files: all,
      warmup,
      passes: PASSES,
    });
    log(`latency ${contender}: done, ${latency[contender].samples.length} samples`);
  }
  const latencySummary = {} as Summary['latency'];
  for (const c of CONTENDERS) {
    latencySummary[c] = {
      classes: classFigures(latency[c].samples, latency.ours.samples),
      maxRssMb: latency[c].maxRssMb,
    };
  }

  const share = await qualityShare(all, warmup);

  const throughput = [
    await throughputRow('ours, 1 process, 2 images in flight', corpus, (files, passes) => [
      { kind: 'throughput', contender: 'ours', files, warmup, passes, inFlight: 2 },
    ]),
    await throughputRow('naive sharp, 1 process, 2 images in flight', corpus, (files, passes) => [
      { kind: 'throughput', contender: 'naive', files, warmup, passes, inFlight: 2 },
    ]),
    await throughputRow('Pillow best, 2 processes, each the whole list', corpus, (files, passes) =>
      [0, 1].map(() => ({ kind: 'throughput', contender: 'pillow', files, warmup, passes, inFlight: 1 })),
    ),
  ];

  const floorResult = await runJob<FloorResult>({ kind: 'floor', files: big, warmup, passes: PASSES });
  const floor = floorFigures(floorResult, latencySummary.ours.classes['12mp'].medianMs);
  log(`floor: ${JSON.stringify(floor)}`);

  const effort: Summary['effort'] = [];
  for (const webpEffort of [2, 4]) {
    const timed = await runJob<LatencyResult>({
      kind: 'latency',
      contender: 'ours',
      files: big,
      warmup,
      passes: PASSES,
      options: { webpEffort },
    });
    const quality = await runJob<QualityResult>({ kind: 'quality', files: big, warmup: [], options: { webpEffort } });
    const psnrs = quality.samples.map((s) => s.psnr);
    effort.push({
      effort: webpEffort,
      medianMs: median(timed.samples.map((s) => s.ms)),
      thumbKb: sum(quality.samples.map((s) => s.thumbBytes)) / quality.samples.length / 1024,
      psnrDb: sum(psnrs) / psnrs.length,
      minPsnrDb: Math.min(...psnrs),
    });
  }
  log(`effort: ${JSON.stringify(effort)}`);

  // A fresh process per image: its peak RSS is that image's cost plus the runtime's baseline.
  const fresh = async (contender: Contender, files: string[], env: NodeJS.ProcessEnv = {}, concurrency?: number) => {
    const rss: number[] = [];
    for (const file of files) {
      const job = { kind: 'latency', contender, files: [file], warmup: [], passes: 1, sharpConcurrency: concurrency };
      rss.push((await runJob<LatencyResult>(job as never, env)).maxRssMb);
    }
    return Math.max(...rss);
  };
  const large = corpus['24mp'];
  const oursFreshRss = await fresh('ours', large);
  const idle = async (contender: Contender) =>
    (await runJob<LatencyResult>({ kind: 'latency', contender, files: [], warmup: [], passes: 1 })).maxRssMb;
  const rss: Summary['rss'] = [
    { label: 'node runtime only (node + tsx loader + sharp + core loaded, no image)', maxRssMb: await idle('ours') },
    { label: 'python runtime only (python3 + Pillow loaded, no image)', maxRssMb: await idle('pillow') },
    { label: `ours, one 24 MP JPEG (max of ${large.length} fresh processes)`, maxRssMb: oursFreshRss },
    { label: 'naive sharp, one 24 MP JPEG (max)', maxRssMb: await fresh('naive', large) },
    { label: 'Pillow best, one 24 MP JPEG (max)', maxRssMb: await fresh('pillow', large) },
  ];

  const variants: { label: string; env: NodeJS.ProcessEnv; concurrency?: number }[] = [
    { label: 'default', env: {} },
    { label: 'sharp.concurrency(2)', env: {}, concurrency: 2 },
    { label: 'UV_THREADPOOL_SIZE=2', env: { UV_THREADPOOL_SIZE: '2' } },
    { label: 'UV_THREADPOOL_SIZE=8', env: { UV_THREADPOOL_SIZE: '8' } },
    { label: 'MALLOC_ARENA_MAX=2', env: { MALLOC_ARENA_MAX: '2' } },
    { label: 'MALLOC_ARENA_MAX=2 + sharp.concurrency(2)', env: { MALLOC_ARENA_MAX: '2' }, concurrency: 2 },
  ];
  if (existsSync(JEMALLOC)) variants.push({ label: 'LD_PRELOAD=libjemalloc.so.2', env: { LD_PRELOAD: JEMALLOC } });
  const settings: Summary['settings'] = [];
  for (const v of variants) {
    const base = { files: big, warmup, sharpConcurrency: v.concurrency } as const;
    const l = await runJob<LatencyResult>({ ...base, kind: 'latency', contender: 'ours', passes: PASSES }, v.env);
    const t = await runJob<ThroughputResult>(
      { ...base, kind: 'throughput', contender: 'ours', passes: PASSES, inFlight: 2 },
      v.env,
    );
    settings.push({
      label: v.label,
      sharpConcurrency: l.sharpConcurrency ?? Number.NaN,
      uvThreadpoolSize: l.uvThreadpoolSize ?? Number.NaN,
      medianMs: median(l.samples.map((s) => s.ms)),
      throughput: (t.images / t.wallMs) * 1000,
      freshRssMb: await fresh('ours', [large[0] as string], v.env, v.concurrency),
      runRssMb: Math.max(l.maxRssMb, t.maxRssMb),
    });
    log(`settings ${v.label}: ${JSON.stringify(settings.at(-1))}`);
  }

  const ours12 = latencySummary.ours.classes['12mp'].medianMs;
  const naive12 = latencySummary.naive.classes['12mp'].medianMs;
  const naiveSerial12 = latencySummary['naive-serial'].classes['12mp'].medianMs;
  const naiveFull12 = latencySummary['naive-full'].classes['12mp'].medianMs;
  const pillow12 = latencySummary.pillow.classes['12mp'].medianMs;
  const oursRate = throughput[0]?.imagesPerSecond['12mp'] ?? 0;
  const pillowRate = throughput[2]?.imagesPerSecond['12mp'] ?? 0;
  const targets: Summary['targets'] = [
    {
      target: 'ours >= 3x faster than naive sharp',
      measured: `${(naive12 / ours12).toFixed(2)}x`,
      pass: naive12 / ours12 >= 3,
    },
    {
      target: '(same, naive steps one by one)',
      measured: `${(naiveSerial12 / ours12).toFixed(2)}x`,
      pass: naiveSerial12 / ours12 >= 3,
    },
    {
      target: '(same, naive one by one with a full decode per step)',
      measured: `${(naiveFull12 / ours12).toFixed(2)}x`,
      pass: naiveFull12 / ours12 >= 3,
    },
    {
      target: 'ours >= 1.25x faster than Pillow best',
      measured: `${(pillow12 / ours12).toFixed(2)}x`,
      pass: pillow12 / ours12 >= 1.25,
    },
    {
      target: 'throughput, 2 cores: ours >= Pillow 2-process',
      measured: `${oursRate.toFixed(2)} vs ${pillowRate.toFixed(2)} img/s`,
      pass: oursRate >= pillowRate,
    },
    { target: 'ours / floor <= 1.15', measured: floor.ratio.toFixed(2), pass: floor.ratio <= 1.15 },
    {
      target: '24 MP JPEG in a fresh process: peak RSS < 160 MB',
      measured: `${oursFreshRss.toFixed(0)} MB`,
      pass: oursFreshRss < 160,
    },
    qualityShareTarget(share.summary),
  ];

  const summary: Summary = {
    environment: {
      ...environment(provenance),
      'bench wall time': `${((performance.now() - began) / 1000).toFixed(0)} s`,
    },
    command: 'npx tsx bench/core/main.ts   (npm run bench)',
    latency: latencySummary,
    throughput,
    floor,
    effort,
    rss,
    settings,
    qualityShare: share.summary,
    targets,
  };
  await writeResults(summary, { latency, floorResult, qualityShare: share.raw });
}

/** The README's results section: this run's machine and tables. */
function readmeSection(summary: Summary, tables: string): string {
  const env = `Measured ${summary.environment.date?.slice(0, 10)} on ${summary.environment.nproc} cores (${summary.environment.cpu}), node ${summary.environment.node}, sharp ${summary.environment.sharp}, Pillow ${summary.environment.Pillow}.`;
  return `${env}\n\n${tables.replaceAll('### ', '#### ')}`;
}

(process.argv.includes('--quality-share') ? qualityShareOnly() : main()).catch((error: unknown) => {
  log(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = 1;
});
