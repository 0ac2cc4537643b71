/**
 * Benchmark child for our offline inference (lambdas/vision). The job is argv[2] as JSON; the answer is one
 * `RESULT <json>` line on stdout. A fresh process per job, so cold start and peak RSS (`VmHWM`) are its own.
 *
 * - `cold`: import the modules, then call each model on a tiny image twice; load = first call - second call.
 * - `warm`: each file decoded to the core's raster once, untimed; one warm-up round; then `passes` rounds, each
 *   model timed alone on every raster, the same raster decode timed alone, and for the 12 MP photos the whole
 *   offline path (analyzeImage with keepRaster, then analyzeOffline) timed end to end, with the page copy
 *   (`renditionPageCopy`'s default) made beside analyzeOffline as the processor's `renditions` step makes it beside
 *   vision, and timed alone as well.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { InferenceJob, ModelName, WarmResult } from './protocol';

const vmHwmMb = (): number => Number(/VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0) / 1024;

async function timed<T>(run: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await run();
  return { ms: performance.now() - started, value };
}

async function main(): Promise<void> {
  const job = JSON.parse(process.argv[2] ?? '{}') as InferenceJob;
  const imported = await timed(async () => ({
    core: await import('../../lambdas/core/analysis/analyze'),
    faces: await import('../../lambdas/vision/faces'),
    objects: await import('../../lambdas/vision/objects'),
    moderation: await import('../../lambdas/vision/moderation'),
    ocr: await import('../../lambdas/vision/ocr'),
    offline: await import('../../lambdas/vision/offline'),
    tfjs: await import('../../lambdas/vision/tfjs'),
    sharp: (await import('sharp')).default,
    pageCopy: await import('../../lambdas/renditions/steps/page-copy'),
    settings: await import('../../lambdas/settings'),
  }));
  const m = imported.value;
  const rasterOf = async (bytes: Buffer) => {
    const { record, raster } = await m.core.analyzeImage(bytes, { keepRaster: true });
    if (!raster || record.status !== 'PROCESSED') throw new Error(`no raster: ${JSON.stringify(record)}`);
    return { record, raster };
  };
  type Raster = Awaited<ReturnType<typeof rasterOf>>['raster'];
  const models: Record<ModelName, (r: Raster) => Promise<unknown>> = {
    faces: (r) => m.faces.detectFaces(r),
    objects: (r) => m.objects.detectObjects(r),
    moderation: (r) => m.moderation.moderate(r),
    ocr: (r) => m.ocr.recognizeText(r),
  };
  const names = Object.keys(models) as ModelName[];

  if (job.kind === 'cold') {
    const idleRssMb = vmHwmMb();
    const { raster } = await rasterOf(readFileSync(job.tiny));
    // TF.js's wasm backend is shared by objects and moderation; timed alone so neither model is charged for it.
    const tfBackendMs = (await timed(() => m.tfjs.loadTf())).ms;
    const loads = [];
    for (const name of names) {
      const first = await timed(() => models[name](raster));
      const warm = await timed(() => models[name](raster));
      loads.push({ model: name, firstCallMs: first.ms, warmCallMs: warm.ms, loadMs: first.ms - warm.ms });
    }
    const result = { importMs: imported.ms, tfBackendMs, loads, idleRssMb, loadedRssMb: vmHwmMb() };
    process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
    return;
  }

  // The core's decode (see lambdas/core/analysis/analyze.ts), alone: auto-orient, shrink to 1024, sRGB, no alpha.
  const decode = (bytes: Buffer) =>
    m
      .sharp(bytes, { failOn: 'warning', sequentialRead: true, pages: 1 })
      .autoOrient()
      .resize({ width: 1024, height: 1024, fit: 'inside', withoutEnlargement: true })
      .flatten({ background: '#ffffff' })
      .toColourspace('srgb')
      .raw()
      .toBuffer();
  // The processor's page copy of the photo, as its renditions step makes it (lambdas/renditions/steps/page-copy.ts).
  const pageCopy = (input: { bytes: Buffer }, record: Awaited<ReturnType<typeof rasterOf>>['record']) =>
    m.pageCopy.renderPageCopy(
      { imageId: 'bench', version: 'bench', metadata: record.metadata, original: input.bytes },
      m.settings.DEFAULT_SETTINGS.renditionPageCopy,
      m.settings.DEFAULT_SETTINGS.maxPixels,
    );
  const inputs: ({ file: string; bytes: Buffer; whole: boolean } & Awaited<ReturnType<typeof rasterOf>>)[] = [];
  for (const file of job.files) {
    const bytes = readFileSync(file);
    inputs.push({ file, bytes, whole: job.whole.includes(file), ...(await rasterOf(bytes)) });
  }
  for (const input of inputs.filter((i) => i === inputs[0] || i.whole).slice(0, 2)) {
    for (const name of names) await models[name](input.raster);
    await m.offline.analyzeOffline(input.raster, input.record);
  }
  const result: WarmResult = { samples: [], whole: [], texts: {}, maxRssMb: 0 };
  for (let pass = 0; pass < job.passes; pass++) {
    for (const input of inputs) {
      const ms: Record<string, number> = { decode: (await timed(() => decode(input.bytes))).ms };
      for (const name of names) {
        const run = await timed(() => models[name](input.raster));
        ms[name] = run.ms;
        if (name === 'ocr') {
          const lines = run.value as Awaited<ReturnType<typeof m.ocr.recognizeText>>;
          result.texts[input.file] = lines.map((l) => ({ text: l.text, confidence: l.confidence }));
        }
      }
      result.samples.push({ file: input.file, ms: ms as WarmResult['samples'][number]['ms'] });
      if (!input.whole) continue;
      const started = performance.now();
      const { record, raster } = await rasterOf(input.bytes);
      const coreMs = performance.now() - started;
      const [, copy] = await Promise.all([
        m.offline.analyzeOffline(raster, record),
        timed(() => pageCopy(input, record)),
      ]);
      const totalMs = performance.now() - started;
      result.whole.push({ file: input.file, coreMs, offlineMs: totalMs - coreMs, totalMs, copyMs: copy.ms });
    }
  }
  result.maxRssMb = vmHwmMb();
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
