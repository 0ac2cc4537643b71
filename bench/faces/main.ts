/**
 * Faces at two scales (lambdas/vision/faces.ts): what looking at the tiles besides the whole image finds, and costs.
 *
 * 1. Make the images: fifteen 300x300 crops of the astronaut (her face about a third of the width), a crop of
 *    Hopper, the astronaut at 200 px, two small faces in a wide picture, and the fixture photos with no face.
 * 2. Give each to the models as the pipeline does (vision-input.ts: its largest thumbnail, decoded).
 * 3. Count the faces at the default threshold with the whole view only (before) and with the tiles (after), and
 *    time `detectFaces` and the whole `analyzeOffline` both ways (median of 5 runs, one process, alternating).
 *
 * Usage: `npm run bench:faces` (= npx tsx bench/faces/main.ts); prints a Markdown report on stdout.
 */
import { performance } from 'node:perf_hooks';
import sharp from 'sharp';
import { analyzeImage } from '../../lambdas/core/analysis/analyze';
import type { Raster } from '../../lambdas/core/analysis/raster';
import type { ProcessedRecord } from '../../lambdas/core/record';
import { detectFaces } from '../../lambdas/vision/faces';
import { analyzeOffline } from '../../lambdas/vision/offline';
import { visionRaster, visionThumbnail } from '../../lambdas/vision/vision-input';
import { fixture } from '../../test/fixtures';
import { describeMachine } from '../../test/support/machine';
import { median } from '../../test/support/stats';

const NO_FACE = [
  'vision/cat-chelsea.jpg',
  'vision/cup-coffee.jpg',
  'vision/motorcycle.jpg',
  'vision/illustration-dragon.jpg',
  'vision/text-page.png',
  'photos/boats.jpg',
  'photos/cups.jpg',
  'photos/forest.jpg',
  'photos/kite.jpg',
  'photos/leaf.jpg',
  'photos/pier.jpg',
];

async function images(): Promise<Array<{ name: string; faces: number; bytes: Buffer }>> {
  const astronaut = fixture('vision/person-astronaut.jpg');
  const hopper = fixture('vision/person-hopper.jpg');
  const crop = (bytes: Buffer, left: number, top: number) =>
    sharp(bytes).extract({ left, top, width: 300, height: 300 }).jpeg({ quality: 90 }).toBuffer();
  const out: Array<{ name: string; faces: number; bytes: Buffer }> = [];
  for (const left of [60, 80, 100, 120, 140]) {
    for (const top of [0, 20, 40]) {
      out.push({ name: `astronaut 300x300 at ${left},${top}`, faces: 1, bytes: await crop(astronaut, left, top) });
    }
  }
  out.push({ name: 'hopper 300x300', faces: 1, bytes: await crop(hopper, 100, 50) });
  out.push({
    name: 'astronaut at 200 px',
    faces: 1,
    bytes: await sharp(astronaut).resize({ width: 200 }).jpeg({ quality: 90 }).toBuffer(),
  });
  const wide = await sharp({ create: { width: 1600, height: 700, channels: 3, background: '#607080' } })
    .composite([
      { input: await sharp(astronaut).resize({ width: 220 }).toBuffer(), left: 150, top: 100 },
      { input: await sharp(hopper).resize({ width: 200 }).toBuffer(), left: 1100, top: 150 },
    ])
    .jpeg({ quality: 90 })
    .toBuffer();
  out.push({ name: 'two small faces, 1600x700', faces: 2, bytes: wide });
  for (const name of NO_FACE) out.push({ name, faces: 0, bytes: fixture(name) });
  return out;
}

async function timed(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

async function main(): Promise<void> {
  const rows: string[] = [];
  const times = {
    before: [] as number[],
    after: [] as number[],
    wholeBefore: [] as number[],
    wholeAfter: [] as number[],
  };
  const totals = { faces: 0, before: 0, after: 0, extraBefore: 0, extraAfter: 0 };
  for (const { name, faces, bytes } of await images()) {
    const { record, thumbnails } = await analyzeImage(bytes);
    const raster: Raster = await visionRaster(visionThumbnail(thumbnails).data);
    const colour = record as ProcessedRecord;
    const before = await detectFaces(raster, { tiles: false });
    const after = await detectFaces(raster);
    const runs = {
      before: [] as number[],
      after: [] as number[],
      wholeBefore: [] as number[],
      wholeAfter: [] as number[],
    };
    for (let i = 0; i < 5; i++) {
      runs.before.push(await timed(() => detectFaces(raster, { tiles: false })));
      runs.after.push(await timed(() => detectFaces(raster)));
    }
    for (let i = 0; i < 3; i++) {
      // analyzeOffline has no switch for the tiles: the whole analysis with faces off, plus each way's faces.
      const rest = await timed(() => analyzeOffline(raster, colour, { faces: false }));
      runs.wholeBefore.push(rest + (runs.before[i] as number));
      runs.wholeAfter.push(rest + (runs.after[i] as number));
    }
    for (const key of Object.keys(times) as Array<keyof typeof times>) times[key].push(median(runs[key]));
    totals.faces += faces;
    totals.before += Math.min(before.length, faces);
    totals.after += Math.min(after.length, faces);
    totals.extraBefore += Math.max(0, before.length - faces);
    totals.extraAfter += Math.max(0, after.length - faces);
    const scores = (found: typeof before) => found.map((f) => f.confidence.toFixed(2)).join(', ') || '-';
    rows.push(
      `| ${name} | ${raster.width}x${raster.height} | ${faces} | ${scores(before)} | ${scores(after)} | ` +
        `${median(runs.before).toFixed(0)} | ${median(runs.after).toFixed(0)} |`,
    );
  }
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  process.stdout.write(
    [
      `Machine: ${describeMachine()}`,
      '',
      '| image (as the models see it) | size | faces | found before (whole view) | found after (two scales) | ms before | ms after |',
      '| --- | --- | --- | --- | --- | --- | --- |',
      ...rows,
      '',
      `Faces found: ${totals.before} of ${totals.faces} before, ${totals.after} after; faces where there is none: ${totals.extraBefore} before, ${totals.extraAfter} after.`,
      `detectFaces per image, mean of the medians: ${mean(times.before).toFixed(0)} ms before, ${mean(times.after).toFixed(0)} ms after.`,
      `analyzeOffline per image (faces off, plus each way's faces): ${mean(times.wholeBefore).toFixed(0)} ms before, ${mean(times.wholeAfter).toFixed(0)} ms after.`,
      '',
    ].join('\n'),
  );
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack}\n`);
  process.exit(1);
});
