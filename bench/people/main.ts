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
 * 4. The real grouping (grouping.ts): PeopleStore + LshFaceIndex on a moto people table, each described copy an
 *    image of its own, in the set's order and two seeded shuffles; pairwise precision and recall of the person ids,
 *    and the DynamoDB requests, items and units per face, counted on the client.
 * 5. The LSH candidate step on the real descriptors: the buckets they use, and whether near pairs meet in a probe,
 *    as committed (hyperplanes through the origin) and hashed less the set's mean descriptor (a proposal).
 * 6. Write bench/people/results.md.
 *
 * Usage: `npm run bench:people` (= npx tsx bench/people/main.ts); under a minute on 2 cores (it starts moto).
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
import {
  BUCKETS_PER_TABLE,
  descriptorCentre,
  type GroupingRun,
  groupingRuns,
  type LshSpread,
  lshSpread,
} from './grouping';
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

const SHUFFLES = [1, 2];
const perFace = (n: number, faces: number) => (n / faces).toFixed(1);

function groupingLines(runs: GroupingRun[]): string[] {
  return [
    '| hashing | order | faces | people found | precision | recall | pairs together / of one person / both |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...runs.map(
      (r) =>
        `| ${r.hashing} | ${r.order} | ${r.faces} | ${r.people} | ${pct(r.scores.precision)} | ${pct(r.scores.recall)} | ${r.scores.pairs.together} / ${r.scores.pairs.samePerson} / ${r.scores.pairs.both} |`,
    ),
    '',
    'Cost per face, counted on the client (a middleware on the DynamoDB client sees every request the code sends):',
    '',
    '| hashing | order | GetItem | Query (probes) | TransactWriteItems | items read | read units (est.) | transaction items | write units (est.) | ms per face on moto |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...runs.map((r) => {
      const { requests, itemsRead, readUnits, transactionItems, writeUnits } = r.counts;
      const n = (op: string) => perFace(requests[op] ?? 0, r.faces);
      return `| ${r.hashing} | ${r.order} | ${n('GetItem')} | ${n('Query')} | ${n('TransactWriteItems')} | ${perFace(itemsRead, r.faces)} | ${perFace(readUnits, r.faces)} | ${perFace(transactionItems, r.faces)} | ${perFace(writeUnits, r.faces)} | ${ms(r.msPerFace)} |`;
    }),
    ...Object.keys(runs[0]?.counts.requests ?? {})
      .filter((op) => !['GetItem', 'Query', 'TransactWriteItems'].includes(op))
      .map((op) => `- Other requests: ${op}.`),
  ];
}

function spreadLines(spreads: LshSpread[]): string[] {
  return [
    `| hashing | distinct buckets used per table (of ${BUCKETS_PER_TABLE}) | largest bucket's share per table | one-person pairs within ${FACE_MATCH_DISTANCE} that meet in a probe | two-people pairs that meet | faces that meet none of their near copies |`,
    '| --- | --- | --- | --- | --- | --- |',
    ...spreads.map(
      (s) =>
        `| ${s.hashing} | ${s.tables.map((t) => t.distinct).join(', ')} | ${s.tables.map((t) => pct(t.largestShare)).join(', ')} | ${s.nearPairsMet} of ${s.nearPairs} (${pct(s.nearPairsMet / s.nearPairs)}) | ${s.otherPairsMet} of ${s.otherPairs} | ${s.isolated} |`,
    ),
  ];
}

/** What the spread means, from the figures (committed first, centred second). */
function readSpread([committed, centred]: LshSpread[], runs: GroupingRun[]): string {
  if (committed === undefined || centred === undefined) return '';
  const centredRuns = runs.filter((r) => r.hashing !== 'committed');
  const worst = centredRuns.reduce(
    (a, b) => (b.scores.recall < a.scores.recall ? b : a),
    centredRuns[0] as GroupingRun,
  );
  const buckets = centred.tables.map((t) => t.distinct);
  return [
    `How to read it: as committed, an owner's faces land in a handful of buckets per table (${committed.tables.map((t) => t.distinct).join(', ')} here), so a probe reads whatever the owner's newest faces are, capped at 100 per bucket.`,
    `On ${runs[0]?.faces} faces every pair meets and the exact distance decides alone (${committed.otherPairsMet} of ${committed.otherPairs} pairs of two people are candidates); in a library of thousands the candidates would be the newest few hundred faces, and a person not among them founded again (a split, mended by a merge, never a wrong join).`,
    `Hashed less a centre, the same faces spread over ${Math.min(...buckets)}-${Math.max(...buckets)} buckets per table and ${centred.otherPairsMet} pairs of two people meet; but ${centred.nearPairs - centred.nearPairsMet} of ${centred.nearPairs} near pairs no longer meet, so the order matters: the worst run above (${worst.order}) found ${worst.people} people, recall ${pct(worst.scores.recall)}.`,
    "The centre here is the mean of this set's two people, fitted on what it is measured on: a committed centre should be the mean of many people's descriptors, which this machine has no set for.",
  ].join(' ');
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
  const centre = descriptorCentre(set);
  const runs = await groupingRuns(set, SHUFFLES, centre.centre);
  const spreads = [
    lshSpread(set, 'as committed: hyperplanes through the origin'),
    lshSpread(set, "less the set's mean descriptor (a proposal, not committed)", centre.centre),
  ];
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
    '## The grouping itself: PeopleStore + LshFaceIndex on a moto people table',
    '',
    `Each described copy grouped as an image of its own (\`groupFaces\`, one owner, a new table per order), in the set's order and in ${SHUFFLES.length} seeded shuffles, with the committed index and with one hashing each descriptor less the set's mean (the proposal below, applied in the bench only: distances are unchanged by the shift); pairwise precision and recall of the person ids it gave (bench/support/pairwise.ts).`,
    '**The same augmented copies of two people**: precision rests on the pairs of two people the grouping could have joined, and recall on copies of one photo, an easier match than two photos.',
    '',
    ...groupingLines(runs),
    '',
    "Read units: eventually consistent Queries, 0.5 per 4 KB of the items read (an empty one 0.5), and strongly consistent GetItems, 1 per 4 KB, from the items' sizes; write units: 2 per transaction item per 1 KB, the person's Update taken as under 1 KB, its index entry (`byOwnerPeople`) not counted. Moto is not DynamoDB: the times are of a local Python server on a shared machine, for comparison only, not what AWS answers in.",
    '',
    '## The LSH candidate step on the real descriptors',
    '',
    `The hyperplanes pass through the origin; dlib's descriptors do not sit around it: the set's mean descriptor is ${centre.centreLength.toFixed(3)} long, against ${centre.meanLength.toFixed(3)} for a descriptor on average, so every face points nearly the same way and few hyperplanes fall between two faces. A probe meets a face when one of its 4 tables puts the two in buckets at most one bit apart.`,
    '',
    ...spreadLines(spreads),
    '',
    readSpread(spreads, runs),
    '',
  ];
  writeFileSync(path.join(__dirname, 'results.md'), lines.join('\n'));
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((error: Error) => {
  process.stderr.write(`${error.stack ?? error.message}\n`);
  process.exit(1);
});
