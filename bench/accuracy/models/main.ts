import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { faceApi, faceBoxes, humanFaces, productFaces } from './faces';
import { nsfwjsVariant, productModeration } from './moderation';
import { nanodet, productObjects } from './objects';
import type { Prediction, Runner } from './runner';
import { decodeThumbnail, INPUT_DESCRIPTION, pipelineThumbnail, readSet } from './set';

/**
 * One candidate model over the evaluation set, in a process of its own (so its memory is its own):
 *
 * 1. Make every image's pipeline thumbnail (not timed), then note the RSS.
 * 2. Load the model (timed: the load time).
 * 3. Run it once on the first image (warm-up), then on every image, timing each call (decode not included).
 * 4. Write bench/accuracy/predictions/<run>.json and this run's costs to results.json beside this file.
 *
 *   npx tsx bench/accuracy/models/main.ts <runner|all> [--set DIR]
 */
const RUNNERS: Record<string, () => Runner> = {
  'objects-centernet': () => productObjects,
  'objects-nanodet': () => nanodet('stretch'),
  'objects-nanodet-letterbox': () => nanodet('letterbox'),
  'faces-blazeface-back-onnx': () => productFaces,
  'faces-blazeface-front': () => humanFaces('blazeface-front'),
  'faces-facemesh-detection-short': () => humanFaces('facemesh-detection-short'),
  'faces-facemesh-detection-full': () => humanFaces('facemesh-detection-full'),
  'faces-faceboxes': faceBoxes,
  'faces-faceapi-ssd_mobilenetv1': () => faceApi('ssd_mobilenetv1'),
  'faces-faceapi-tiny_face_detector': () => faceApi('tiny_face_detector'),
  'moderation-nsfwjs-mobilenet_v2': () => productModeration,
  'moderation-nsfwjs-mobilenet_v2_mid': () => nsfwjsVariant('mobilenet_v2_mid'),
  'moderation-nsfwjs-inception_v3': () => nsfwjsVariant('inception_v3'),
};

const DEFAULT_SET = 'bench/accuracy/set';
const HERE = __dirname;
const PREDICTIONS = join(HERE, '..', 'predictions');

export interface RunCosts {
  task: string;
  model: string;
  images: number;
  loadMs: number;
  warmMsMedian: number;
  warmMsP90: number;
  /** CPU time of the process per call (all its threads): steadier than wall time when other work shares the cores. */
  cpuMsMedian: number;
  rssBeforeLoadMb: number;
  peakRssMb: number;
  weightsMb: number;
  /** The machine's 1-minute load average when the run ended (other work shares the two cores). */
  loadAverage: number;
}

const mb = (bytes: number) => Math.round((bytes / 1e6) * 10) / 10;
const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;

async function main() {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { set: { type: 'string', default: DEFAULT_SET } },
  });
  if (positionals[0] === 'all') {
    // One child process per runner, one after the other, so each has the machine's two cores and its own memory.
    for (const name of Object.keys(RUNNERS)) {
      const child = spawnSync(
        process.execPath,
        [...process.execArgv, __filename, name, '--set', values.set as string],
        {
          stdio: 'inherit',
        },
      );
      if (child.status !== 0) throw new Error(`${name} failed`);
    }
    return;
  }
  const make = RUNNERS[positionals[0] ?? ''];
  if (!make) throw new Error(`usage: main.ts <${Object.keys(RUNNERS).join('|')}> [--set DIR]`);
  const runner = make();
  const set = await readSet(values.set as string);
  const names = Object.keys(set.images).sort();
  const thumbnails = new Map<string, Buffer>();
  for (const name of names) thumbnails.set(name, await pipelineThumbnail(join(set.dir, name)));

  const rssBefore = process.memoryUsage().rss;
  const loadStarted = performance.now();
  await runner.load();
  const loadMs = performance.now() - loadStarted;
  await runner.predict(await decodeThumbnail(thumbnails.get(names[0] as string) as Buffer));

  const images: Record<string, Prediction & { ms: number }> = {};
  const cpu: number[] = [];
  for (const name of names) {
    const raster = await decodeThumbnail(thumbnails.get(name) as Buffer);
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    const prediction = await runner.predict(raster);
    const used = process.cpuUsage(cpuBefore);
    cpu.push((used.user + used.system) / 1000);
    images[name] = { ...prediction, ms: Math.round(performance.now() - started) };
  }
  const times = Object.values(images)
    .map((i) => i.ms)
    .sort((a, b) => a - b);
  const costs: RunCosts = {
    task: runner.task,
    model: runner.model,
    images: names.length,
    loadMs: Math.round(loadMs),
    warmMsMedian: quantile(times, 0.5),
    warmMsP90: quantile(times, 0.9),
    cpuMsMedian: Math.round(
      quantile(
        cpu.sort((a, b) => a - b),
        0.5,
      ),
    ),
    rssBeforeLoadMb: mb(rssBefore),
    peakRssMb: mb(process.resourceUsage().maxRSS * 1024),
    weightsMb: mb(runner.weights().reduce((sum, f) => sum + statSync(f).size, 0)),
    loadAverage: Math.round((loadavg()[0] ?? 0) * 10) / 10,
  };

  await mkdir(PREDICTIONS, { recursive: true });
  // One image a line before Biome formats it (below).
  const head = JSON.stringify({ run: runner.name, models: { [runner.task]: runner.model }, input: INPUT_DESCRIPTION });
  const lines = Object.entries(images).map(([name, p]) => `${JSON.stringify(name)}: ${JSON.stringify(p)}`);
  const predictionsPath = join(PREDICTIONS, `${runner.name}.json`);
  await writeFile(predictionsPath, `${head.slice(0, -1)},\n"images": {\n${lines.join(',\n')}\n}}\n`);
  const resultsPath = join(HERE, 'results.json');
  const results = JSON.parse(await readFile(resultsPath, 'utf8').catch(() => '{}')) as Record<string, RunCosts>;
  results[runner.name] = costs;
  await writeFile(resultsPath, `${JSON.stringify(results, null, 2)}\n`);
  // In the layout `npm run lint` checks (Biome's JSON formatting), so a fresh run commits as it is.
  spawnSync(
    process.execPath,
    [require.resolve('@biomejs/biome/bin/biome'), 'format', '--write', resultsPath, predictionsPath],
    {
      stdio: 'ignore',
    },
  );
  console.log(runner.name, JSON.stringify(costs));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
