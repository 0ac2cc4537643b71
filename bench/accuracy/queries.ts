import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { analyzeImage } from '../../lambdas/core/analysis/analyze';
import { phaseOf, SURE, wordFinds } from '../../lambdas/search/posting-match';
import { postingOf, withTerms } from '../../lambdas/search/postings';
import { termWordsOf } from '../../lambdas/search/terms';
import { parseLikely } from '../../lambdas/search/vocabulary';
import type { ImageItem } from '../../lambdas/store/image-item';
import { wordsOf } from '../../lambdas/store/labels';
import { CALIBRATION, thresholdOf } from '../../lambdas/vision/calibration';
import type { Predictions } from './predict';
import { OFFLINE_RUN } from './predict';
import { readSet, splitOf } from './set';

/*
 * `npm run bench:queries`: the words people type (issue 77), measured on the labelled set's evaluation half
 * (bench/accuracy/set/eval: Debian and npm packages' photos with recorded licences, none of them a fixture), with the
 * offline models' committed predictions (bench/accuracy/predictions) at today's calibration. Each photo becomes the
 * record the processor would write (its analysis made again by the core, its vision split into shown and candidates
 * at the calibrated thresholds, its file name replaced: `gc-farm-dog.jpg` must not find a dog), then its posting;
 * each query is checked on each posting by the search's own matching (posting-match.ts), and by the rule before this
 * issue (a word begins a word of the image, or of a likely class) for the "before" column.
 *
 * A query stands for classes: it should find the photos labelled with one of them (objects, derived labels) and no
 * other; a photo where the class is only `maybe` counts neither way. A colour's truth is what `color=` finds.
 */

const ROOT = path.join(__dirname, '../..');
const SET = path.join(ROOT, 'bench/accuracy/set');

interface Query {
  /** The word typed. */
  readonly word: string;
  readonly kind: 'plural' | 'broader' | 'everyday' | 'narrower' | 'colour' | 'class';
  /** The classes it stands for (objects as the detector names them, labels lower case). */
  readonly classes: readonly string[];
  /** The class words it is measured against: its recall should reach theirs. */
  readonly against: readonly string[];
}

const ANIMALS = ['bird', 'cat', 'dog', 'horse', 'sheep', 'cow', 'elephant', 'bear', 'zebra', 'giraffe'];
const VEHICLES = ['bicycle', 'car', 'motorcycle', 'airplane', 'bus', 'train', 'truck', 'boat'];
const FRUIT = ['apple', 'orange', 'banana'];

const QUERIES: Query[] = [
  ...['dog', 'cat', 'horse', 'bird', 'car', 'cow', 'boat', 'cup', 'truck', 'ball'].map((one) => ({
    word: one === 'ball' ? 'balls' : `${one}s`,
    kind: 'plural' as const,
    classes: [one === 'ball' ? 'sports ball' : one],
    against: [one],
  })),
  { word: 'people', kind: 'everyday', classes: ['person'], against: ['person'] },
  { word: 'man', kind: 'everyday', classes: ['person'], against: ['person'] },
  { word: 'woman', kind: 'everyday', classes: ['person'], against: ['person'] },
  { word: 'animal', kind: 'broader', classes: ANIMALS, against: ANIMALS },
  { word: 'animals', kind: 'broader', classes: ANIMALS, against: ANIMALS },
  { word: 'vehicle', kind: 'broader', classes: VEHICLES, against: VEHICLES },
  { word: 'fruit', kind: 'broader', classes: FRUIT, against: FRUIT },
  { word: 'puppy', kind: 'narrower', classes: ['dog'], against: ['dog'] },
  { word: 'eagle', kind: 'narrower', classes: ['bird'], against: ['bird'] },
  ...['blue', 'red', 'green', 'yellow', 'white', 'black'].map((colour) => ({
    word: colour,
    kind: 'colour' as const,
    classes: [`color=${colour}`],
    against: [],
  })),
];

interface Photo {
  readonly name: string;
  readonly truth: ReadonlySet<string>;
  readonly maybe: ReadonlySet<string>;
  readonly posting: ReturnType<typeof postingOf> & { term: string; imageId: string };
}

async function photos(): Promise<Photo[]> {
  const set = readSet(SET);
  const predictions = JSON.parse(
    readFileSync(path.join(ROOT, `bench/accuracy/predictions/${OFFLINE_RUN}.json`), 'utf8'),
  ) as Predictions;
  const out: Photo[] = [];
  let n = 0;
  for (const [name, truth] of Object.entries(set.images)) {
    if (splitOf(name) !== 'eval') continue;
    const predicted = predictions.images[name];
    if (!predicted) throw new Error(`no prediction for ${name}: run npm run bench:accuracy -- --predict`);
    const { record } = await analyzeImage(readFileSync(path.join(SET, name)));
    if (record.status !== 'PROCESSED') continue;
    const box = { left: 0, top: 0, width: 1, height: 1 };
    const strongest = new Map<string, number>();
    for (const { name: cls, confidence } of predicted.objects) {
      strongest.set(cls, Math.max(strongest.get(cls) ?? 0, confidence));
    }
    const objects = [...strongest]
      .filter(([cls, score]) => score >= thresholdOf(CALIBRATION.objects, cls))
      .map(([cls, confidence]) => ({ name: cls, confidence, box }));
    const labels = predicted.labels
      .filter((label) => label.confidence >= thresholdOf(CALIBRATION.labels, label.name))
      .map((label) => ({ ...label, source: 'colour' as const }));
    n++;
    const imageId = `01J0000000000000000000${String(n).padStart(4, '0')}`;
    const item = withTerms(
      {
        imageId,
        entity: 'IMAGE',
        status: 'PROCESSED',
        owner: 'bench',
        createdAt: '2026-01-01T00:00:00.000Z',
        updatedAt: '2026-01-01T00:00:00.000Z',
        bucket: 'bench',
        key: `uploads/${imageId}.jpg`,
        contentType: 'image/jpeg',
        filename: `IMG_${String(n).padStart(4, '0')}.jpg`,
        analysis: record,
        vision: {
          labels,
          objects,
          text: { fullText: '', lines: [] },
          faces: [],
          moderation: { checked: true, flagged: false, threshold: 0.8, labels: [] },
          candidates: {
            objects: [...strongest].map(([cls, confidence]) => ({ name: cls, confidence, box })),
            labels: predicted.labels.map((label) => ({ ...label, source: 'colour' as const })),
            faces: [],
          },
        },
      } as unknown as ImageItem,
      undefined,
    );
    const lower = (names: readonly string[]) => names.map((one) => one.toLowerCase());
    out.push({
      name,
      truth: new Set([...truth.objects, ...lower(truth.labels)]),
      maybe: new Set(truth.maybeObjects ?? []),
      posting: { term: 'bench', imageId, ...postingOf(item) },
    });
  }
  return out;
}

const filtersOf = (word: string) =>
  ({ q: [word], label: [], object: [], text: [], tag: [] }) as unknown as Parameters<typeof phaseOf>[2];

/** Found by the search today: in any phase (sure, likely or weak), and whether surely. */
function foundNow(photo: Photo, word: string): boolean {
  return phaseOf(photo.posting, [], filtersOf(word)) !== undefined;
}

/** The rule before issue 77: the word begins a word of a facet or the file name, or of a likely class's name. */
function foundBefore(photo: Photo, word: string): boolean {
  for (const facet of photo.posting.facets) {
    const likely = parseLikely(facet);
    const words = likely ? (likely.term.split('=')[1]?.split(' ') ?? []) : termWordsOf(facet);
    if (words.some((one) => wordFinds(word, one))) return true;
  }
  return wordsOf(photo.posting.summary?.filename ?? '').some((one) => wordFinds(word, one));
}

interface Figures {
  tp: number;
  fp: number;
  fn: number;
  precision: number | null;
  recall: number | null;
}

function score(all: Photo[], classes: readonly string[], found: (photo: Photo) => boolean): Figures {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const photo of all) {
    const colour = classes.find((one) => one.startsWith('color='));
    const positive = colour ? photo.posting.facets.includes(colour) : classes.some((one) => photo.truth.has(one));
    const maybe = !positive && classes.some((one) => photo.maybe.has(one));
    const hit = found(photo);
    if (positive && hit) tp++;
    else if (positive) fn++;
    else if (hit && !maybe) fp++;
  }
  const ratio = (a: number, b: number) => (b === 0 ? null : Math.round((a / b) * 1000) / 1000);
  return { tp, fp, fn, precision: ratio(tp, tp + fp), recall: ratio(tp, tp + fn) };
}

async function main(): Promise<void> {
  const all = await photos();
  const rows = QUERIES.map((query) => {
    const against = query.against.length > 0 ? query.against : undefined;
    return {
      ...query,
      before: score(all, query.classes, (photo) => foundBefore(photo, query.word)),
      after: score(all, query.classes, (photo) => foundNow(photo, query.word)),
      // The class words it stands for, each searched as typed today: what its recall should reach.
      classWords: against && score(all, query.classes, (photo) => against.some((word) => foundNow(photo, word))),
      sure: score(all, query.classes, (photo) => phaseOf(photo.posting, [], filtersOf(query.word))?.phase === SURE),
    };
  });
  const out = { command: 'npm run bench:queries', photos: all.length, set: 'bench/accuracy/set/eval', rows };
  writeFileSync(path.join(__dirname, 'queries.json'), `${JSON.stringify(out, null, 2)}\n`);
  const pct = (value: number | null) => (value === null ? '-' : `${Math.round(value * 100)} %`);
  const cell = (f: Figures) => `${pct(f.recall)} / ${pct(f.precision)} (${f.tp}/${f.fp}/${f.fn})`;
  const lines = [
    '# The words people type: recall / precision (TP/FP/FN)',
    '',
    `\`npm run bench:queries\`, ${all.length} photos of bench/accuracy/set/eval, the committed offline predictions at today's calibration. "before": the rule before issue 77 (a word begins a word of the image); "after": the search now, every phase (sure, likely, then text and narrower words); "after, sure only": its sure phase; "class words": the class words the query stands for, searched now.`,
    '',
    '| query | kind | before | after | after, sure only | class words |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows.map(
      (row) =>
        `| \`${row.word}\` | ${row.kind} | ${cell(row.before)} | ${cell(row.after)} | ${cell(row.sure)} | ${row.classWords ? cell(row.classWords) : '-'} |`,
    ),
  ];
  writeFileSync(path.join(__dirname, 'queries.md'), `${lines.join('\n')}\n`);
  console.log(lines.join('\n'));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
