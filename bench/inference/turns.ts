/**
 * What looking at a weak picture turned costs (issue 77, item 5): the offline analysis with `quarterTurns: 'weak'`
 * beside the same analysis with one look (`'never'`), in one process, call by call in alternating order, so a busy
 * spell on the machine lands on both sides.
 *
 * 1. Each photo of the labelled set's evaluation half (bench/accuracy/set), upright and sideways (bench/turns), made
 *    into the pixels the vision function's models see (the core's largest WebP thumbnail, `visionRaster`), untimed.
 * 2. One warm-up call of each side; then per photo and pass, `analyzeOffline` with `'never'` and with `'weak'`,
 *    the order alternating, each timed.
 * 3. Per photo the median of its passes; whether `'weak'` looked at the picture turned (its models say so); the
 *    time added per photo, over the photos that looked turned and over all of them: median, 95th percentile, mean.
 *
 * `npx tsx bench/inference/turns.ts [--passes N] [--limit N]`; writes turns.md and turns.json beside this file.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { analyzeImage } from '../../lambdas/core/analysis/analyze';
import type { Raster } from '../../lambdas/core/analysis/raster';
import type { ProcessedRecord } from '../../lambdas/core/record';
import { DEFAULT_SETTINGS } from '../../lambdas/settings';
import { analyzeOffline, TURNED } from '../../lambdas/vision/offline';
import type { QuarterTurns } from '../../lambdas/vision/quarter-turns';
import { visionRaster, visionThumbnail } from '../../lambdas/vision/vision-input';
import { describeMachine } from '../../test/support/machine';
import { median } from '../../test/support/stats';
import { readSet } from '../accuracy/set';
import { sideways } from '../turns/sideways';

const SET = path.join(__dirname, '..', 'accuracy', 'set');
const COPIES = ['upright', 'sideways'] as const;
type Copy = (typeof COPIES)[number];

const log = (line: string) => process.stderr.write(`${line}\n`);

/** The q-th quantile (0-1) by the nearest rank. */
function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;
}
const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

/** The pixels the models see, and the colour facts the vision function is sent. */
async function input(bytes: Buffer): Promise<{ raster: Raster; record: ProcessedRecord }> {
  const { record, thumbnails } = await analyzeImage(bytes, { thumbnailSizes: DEFAULT_SETTINGS.thumbnailSizes });
  if (record.status !== 'PROCESSED') throw new Error(`the core did not process it: ${record.status}`);
  return { raster: await visionRaster(visionThumbnail(thumbnails).data), record };
}

async function timed(raster: Raster, record: ProcessedRecord, when: QuarterTurns) {
  const started = performance.now();
  const vision = await analyzeOffline(raster, record, { quarterTurns: when, orientationKnown: false });
  const ms = performance.now() - started;
  return { ms, looked: Object.values(vision.inference.models).some((v) => v.includes(TURNED)) };
}

async function main(): Promise<void> {
  const options = new Command()
    .option('--passes <n>', 'timed passes per photo and side', '1')
    .option('--limit <n>', 'only the first n photos of the half')
    .parse()
    .opts<{ passes: string; limit?: string }>();
  const began = performance.now();
  const names = Object.keys(readSet(SET).images)
    .filter((name) => name.startsWith('eval/'))
    .sort()
    .slice(0, options.limit === undefined ? undefined : Number(options.limit));
  const photos: { name: string; copy: Copy; raster: Raster; record: ProcessedRecord }[] = [];
  for (const name of names) {
    const bytes = readFileSync(path.join(SET, name));
    photos.push({ name, copy: 'upright', ...(await input(bytes)) });
    photos.push({ name, copy: 'sideways', ...(await input(await sideways(bytes))) });
  }
  const [warm] = photos;
  if (!warm) throw new Error('no photos');
  for (const when of ['never', 'weak'] as const) await timed(warm.raster, warm.record, when);

  const samples = photos.map((photo) => ({
    name: photo.name,
    copy: photo.copy,
    never: [] as number[],
    weak: [] as number[],
    looked: false,
  }));
  for (let pass = 0; pass < Number(options.passes); pass++)
    for (const [i, photo] of photos.entries()) {
      const sample = samples[i] as (typeof samples)[number];
      const order: QuarterTurns[] = (i + pass) % 2 === 0 ? ['never', 'weak'] : ['weak', 'never'];
      for (const when of order) {
        const { ms, looked } = await timed(photo.raster, photo.record, when);
        (when === 'never' ? sample.never : sample.weak).push(ms);
        if (when === 'weak') sample.looked = looked;
      }
      if (i % 20 === 0) log(`pass ${pass + 1}: ${i + 1}/${photos.length}`);
    }

  const perPhoto = samples.map((s) => ({ ...s, neverMs: median(s.never), weakMs: median(s.weak) }));
  const summary = (list: typeof perPhoto) => {
    const added = list.map((p) => p.weakMs - p.neverMs);
    const looked = list.filter((p) => p.looked);
    const addedLooked = looked.map((p) => p.weakMs - p.neverMs);
    const stats = (values: number[]) => ({ median: median(values), p95: quantile(values, 0.95), mean: mean(values) });
    return {
      photos: list.length,
      looked: looked.length,
      never: stats(list.map((p) => p.neverMs)),
      weak: stats(list.map((p) => p.weakMs)),
      added: stats(added),
      addedWhenLooked: stats(addedLooked),
    };
  };
  const groups = {
    upright: summary(perPhoto.filter((p) => p.copy === 'upright')),
    sideways: summary(perPhoto.filter((p) => p.copy === 'sideways')),
    both: summary(perPhoto),
  };
  const ms = (n: number) => (Number.isNaN(n) ? '-' : `${Math.round(n)} ms`);
  const command = `npx tsx bench/inference/turns.ts --passes ${options.passes}${options.limit ? ` --limit ${options.limit}` : ''}`;
  const md = [
    '# What the look at a turned picture costs: the offline analysis with and without it, side by side',
    '',
    `${new Date().toISOString().slice(0, 10)}, ${describeMachine()}. Command: \`${command}\` (${((performance.now() - began) / 1000).toFixed(0)} s).`,
    '',
    `Photos: the ${names.length} of bench/accuracy/set's evaluation half, upright and sideways (turned 90 degrees clockwise, no EXIF orientation: bench/turns/sideways.ts), each as the vision function's models see it (the core's largest WebP thumbnail, at most 1024 px). Per photo and pass, \`analyzeOffline\` with \`quarterTurns: 'never'\` (one look) and \`'weak'\`, in one process, in alternating order, after one warm-up of each; a photo's time is the median of its ${options.passes} pass(es). "Looked turned": the photos whose first look was weak, so \`'weak'\` also looked at them turned 90, 180 and 270 (objects and text). Other work on the machine lengthens both sides alike.`,
    '',
    '| photos | looked turned | one look: median / p95 | weak: median / p95 | added per photo: median / p95 / mean | added when it looked: median / p95 / mean |',
    '| --- | --- | --- | --- | --- | --- |',
    ...Object.entries(groups).map(
      ([name, g]) =>
        `| ${name} (${g.photos}) | ${g.looked} (${Math.round((100 * g.looked) / g.photos)} %) | ${ms(g.never.median)} / ${ms(g.never.p95)} | ${ms(g.weak.median)} / ${ms(g.weak.p95)} | ${ms(g.added.median)} / ${ms(g.added.p95)} / ${ms(g.added.mean)} | ${ms(g.addedWhenLooked.median)} / ${ms(g.addedWhenLooked.p95)} / ${ms(g.addedWhenLooked.mean)} |`,
    ),
    '',
  ].join('\n');
  writeFileSync(path.join(__dirname, 'turns.md'), md);
  writeFileSync(
    path.join(__dirname, 'turns.json'),
    `${JSON.stringify({ command, machine: describeMachine(), groups, photos: perPhoto.map(({ never, weak, ...p }) => ({ ...p, never, weak })) }, null, 1)}\n`,
  );
  process.stdout.write(md);
}

main().catch((error: unknown) => {
  log(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = 1;
});
