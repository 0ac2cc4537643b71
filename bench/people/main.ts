/**
 * The face descriptors' bench (faceGrouping, offline): what describing a face costs beside finding it, and how
 * well "distance < threshold" tells one person from another on the labelled set (bench/people/set.ts).
 *
 * 1. Time: on each person's photo and on a crowd (the photos tiled 4 x 4 at 256 px: the faces BlazeFace finds of
 *    the 16), BlazeFace's detection and the descriptors (alignment + network), alternating in one process, after
 *    a warm-up; medians.
 * 2. Describe every copy of the labelled set; every pair of described copies is one of the same person or not.
 * 3. Pairwise precision and recall of "distance < t" at a few thresholds, the committed FACE_MATCH_DISTANCE
 *    among them; the closest pair of different people and the farthest of one person.
 * 4. Write bench/people/results.md.
 *
 * Usage: `npm run bench:people` (= npx tsx bench/people/main.ts); under half a minute on 2 cores.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import sharp from 'sharp';
import { decodeRaster, type Raster } from '../../lambdas/core';
import { FACE_MATCH_DISTANCE } from '../../lambdas/core/faces';
import { describeFaces, faceDistance } from '../../lambdas/vision/face-descriptor';
import { detectFaceKeypoints } from '../../lambdas/vision/faces';
import { machineInfo } from '../../test/support/machine';
import { type LabelledDescriptor, labelledDescriptors, PEOPLE } from './set';

const RUNS = 15;
const THRESHOLDS = [0.34, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65];

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
};
const ms = (n: number) => n.toFixed(1);
const pct = (n: number) => (Number.isNaN(n) ? 'n/a' : `${(n * 100).toFixed(1)} %`);

/** The photos tiled `n` x `n` (each cell one photo at 256 px): a crowd for the per-face cost at scale. */
async function crowd(n: number): Promise<Raster> {
  const files = Object.values(PEOPLE).map((file) => path.join(__dirname, '../../test/fixtures/vision', file));
  const cell = 256;
  const tiles = await Promise.all(
    files.map((file) => sharp(readFileSync(file)).resize(cell, cell, { fit: 'cover' }).toBuffer()),
  );
  const composite = Array.from({ length: n * n }, (_, i) => ({
    input: tiles[i % tiles.length] as Buffer,
    left: (i % n) * cell,
    top: Math.floor(i / n) * cell,
  }));
  const bytes = await sharp({ create: { width: n * cell, height: n * cell, channels: 3, background: '#000' } })
    .composite(composite)
    .jpeg({ quality: 95 })
    .toBuffer();
  return decodeRaster(bytes, n * cell);
}

interface Timing {
  image: string;
  faces: number;
  detectMs: number;
  describeMs: number;
}

async function time(image: string, raster: Raster): Promise<Timing> {
  const faces = await detectFaceKeypoints(raster);
  await describeFaces(raster, faces);
  const detect: number[] = [];
  const describe: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    let started = performance.now();
    await detectFaceKeypoints(raster);
    detect.push(performance.now() - started);
    started = performance.now();
    await describeFaces(raster, faces);
    describe.push(performance.now() - started);
  }
  return { image, faces: faces.length, detectMs: median(detect), describeMs: median(describe) };
}

interface Scores {
  threshold: number;
  tp: number;
  fp: number;
  fn: number;
}

function score(set: LabelledDescriptor[], threshold: number): Scores {
  const described = set.filter((s) => s.descriptor);
  const scores = { threshold, tp: 0, fp: 0, fn: 0 };
  for (let i = 0; i < described.length; i++) {
    for (let j = i + 1; j < described.length; j++) {
      const a = described[i] as LabelledDescriptor;
      const b = described[j] as LabelledDescriptor;
      const same = a.person === b.person;
      const match = faceDistance(a.descriptor as number[], b.descriptor as number[]) < threshold;
      if (match && same) scores.tp++;
      else if (match) scores.fp++;
      else if (same) scores.fn++;
    }
  }
  return scores;
}

/** The farthest pair of one person and the closest of two, with the copies they are. */
function extremes(set: LabelledDescriptor[]) {
  const described = set.filter((s) => s.descriptor);
  let farthestSame = { d: -1, pair: '' };
  let closestOther = { d: Number.POSITIVE_INFINITY, pair: '' };
  for (let i = 0; i < described.length; i++) {
    for (let j = i + 1; j < described.length; j++) {
      const a = described[i] as LabelledDescriptor;
      const b = described[j] as LabelledDescriptor;
      const d = faceDistance(a.descriptor as number[], b.descriptor as number[]);
      const pair = `${a.person} ${a.copy} / ${b.person} ${b.copy}`;
      if (a.person === b.person && d > farthestSame.d) farthestSame = { d, pair };
      if (a.person !== b.person && d < closestOther.d) closestOther = { d, pair };
    }
  }
  return { farthestSame, closestOther };
}

async function main(): Promise<void> {
  const timings: Timing[] = [];
  for (const [person, file] of Object.entries(PEOPLE)) {
    const bytes = readFileSync(path.join(__dirname, '../../test/fixtures/vision', file));
    timings.push(await time(`${person} (${file})`, await decodeRaster(bytes, 1024)));
  }
  timings.push(await time('crowd: the two photos tiled 4 x 4 at 256 px (1024 px)', await crowd(4)));

  const set = await labelledDescriptors();
  const missed = set.filter((s) => !s.descriptor);
  const { farthestSame, closestOther } = extremes(set);
  const m = machineInfo();
  const lines = [
    '# People bench results (face descriptors)',
    '',
    `Command: \`npm run bench:people\`. ${m.cores} cores (${m.cpu}), ${m.memoryGb} GB, ${m.os}, node ${m.node}, commit ${m.commit}.`,
    'The machine was shared with other work while it ran: the times are indicative.',
    '',
    '## Time: finding faces (BlazeFace) and describing them (alignment + dlib network), one process',
    '',
    `Medians of ${RUNS} runs after a warm-up, TF.js on its WebAssembly backend.`,
    '',
    '| image | faces | detection ms | descriptors ms | descriptors ms per face |',
    '| --- | --- | --- | --- | --- |',
    ...timings.map(
      (t) =>
        `| ${t.image} | ${t.faces} | ${ms(t.detectMs)} | ${ms(t.describeMs)} | ${t.faces ? ms(t.describeMs / t.faces) : 'n/a'} |`,
    ),
    '',
    '## Same person or not: pairwise, on augmented copies',
    '',
    `**Augmented copies, not genuine photos**: ${Object.keys(PEOPLE).length} distinct people (${Object.keys(PEOPLE).join(', ')}), one photo each, in ${set.length / Object.keys(PEOPLE).length} copies (bench/people/set.ts).`,
    `${set.length - missed.length} of ${set.length} copies had a face described${missed.length ? `; not: ${missed.map((s) => `${s.person} ${s.copy}`).join(', ')} (no face found)` : ''}.`,
    'Every pair of described copies counts once: a pair of one person should match, a pair of two should not.',
    '',
    '| threshold | precision | recall | TP | FP | FN |',
    '| --- | --- | --- | --- | --- | --- |',
    ...THRESHOLDS.map((t) => score(set, t)).map(
      (s) =>
        `| ${s.threshold}${s.threshold === FACE_MATCH_DISTANCE ? ' (FACE_MATCH_DISTANCE)' : ''} | ${pct(s.tp / (s.tp + s.fp))} | ${pct(s.tp / (s.tp + s.fn))} | ${s.tp} | ${s.fp} | ${s.fn} |`,
    ),
    '',
    `- Farthest pair of one person: ${farthestSame.d.toFixed(3)} (${farthestSame.pair}).`,
    `- Closest pair of two people: ${closestOther.d.toFixed(3)} (${closestOther.pair}).`,
    `- Committed FACE_MATCH_DISTANCE: ${FACE_MATCH_DISTANCE}.`,
    '',
  ];
  writeFileSync(path.join(__dirname, 'results.md'), lines.join('\n'));
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((error: Error) => {
  process.stderr.write(`${error.stack ?? error.message}\n`);
  process.exit(1);
});
