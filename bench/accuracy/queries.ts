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
import { type Keywords, readKeywords, valuesOf, withXmpSegment, xmpOf } from './keywords';
import type { Predictions } from './predict';
import { OFFLINE_RUN } from './predict';
import { readSet, splitOf } from './set';

/*
 * `npm run bench:queries`: the words people type (issue 77), measured on the labelled set's evaluation half
 * (bench/accuracy/set/eval: Debian and npm packages' photos with recorded licences, none of them a fixture), with the
 * offline models' committed predictions (bench/accuracy/predictions) at today's calibration.
 * 1. Each photo becomes the record the processor would write: its analysis made again by the core (a KPhotoAlbum
 *    photo's from its bytes with its photographer's keywords and description written in as XMP, set/kpa-keywords.json),
 *    its vision split into shown and candidates at the calibrated thresholds, its file name replaced
 *    (`gc-farm-dog.jpg` must not find a dog); then its posting.
 * 2. Each query is checked on each posting by the search's own matching (posting-match.ts), and by the rule before
 *    this issue (a word begins a word of the image, or of a likely class; keywords and captions not read) for the
 *    "before" column.
 * 3. Per query, per kind pooled, and issue 77's rule (recall at least its class words', precision at least 0.8),
 *    over every phase and in the sure phase alone.
 *
 * A query stands for classes: it should find the photos labelled with one of them (objects, derived labels) and no
 * other; a photo where the class is only `maybe` counts neither way. A colour's truth is what `color=` finds; a
 * keyword's, the photos whose KPhotoAlbum entry carries it (or a value its group holds: Skagen is in Denmark).
 */

const ROOT = path.join(__dirname, '../..');
const SET = path.join(ROOT, 'bench/accuracy/set');
/** Issue 77's precision: a natural query's answers must be right at least this often. */
const MIN_PRECISION = 0.8;

const KINDS = ['plural', 'everyday', 'broader', 'narrower', 'colour', 'keyword'] as const;
type Kind = (typeof KINDS)[number];

interface Query {
  /** The word typed. */
  readonly word: string;
  readonly kind: Kind;
  /**
   * The classes it stands for (objects as the detector names them, labels lower case), a palette colour
   * (`color=blue`), a KPhotoAlbum value (`kpa=denmark`), or a labelled kind (`kind=animal`).
   */
  readonly classes: readonly string[];
  /** The class words it is measured against: its recall should reach theirs. */
  readonly against: readonly string[];
}

const ANIMALS = ['bird', 'cat', 'dog', 'horse', 'sheep', 'cow', 'elephant', 'bear', 'zebra', 'giraffe'];
const VEHICLES = ['bicycle', 'car', 'motorcycle', 'airplane', 'bus', 'train', 'truck', 'boat'];
const FRUIT = ['apple', 'orange', 'banana'];

const CLASS_QUERIES: Query[] = [
  ...['dog', 'cat', 'horse', 'bird', 'car', 'cow', 'boat', 'cup', 'truck', 'ball'].map((one) => ({
    word: one === 'ball' ? 'balls' : `${one}s`,
    kind: 'plural' as const,
    classes: [one === 'ball' ? 'sports ball' : one],
    against: [one],
  })),
  { word: 'people', kind: 'everyday', classes: ['person'], against: ['person'] },
  { word: 'man', kind: 'everyday', classes: ['person'], against: ['person'] },
  { word: 'woman', kind: 'everyday', classes: ['person'], against: ['person'] },
  // A goat or a rabbit is an animal too, and an armoured car a vehicle: the labelled kinds (set.ts) are right
  // answers for the broader word and for its class words alike, though neither can find them but as a likely class.
  { word: 'animal', kind: 'broader', classes: [...ANIMALS, 'kind=animal'], against: ANIMALS },
  { word: 'animals', kind: 'broader', classes: [...ANIMALS, 'kind=animal'], against: ANIMALS },
  { word: 'vehicle', kind: 'broader', classes: [...VEHICLES, 'kind=vehicle'], against: VEHICLES },
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

/** A KPhotoAlbum value as a search box has it typed: `Grand Canyon` is `grand canyon`. */
const typed = (value: string) => value.toLowerCase();

/**
 * The keyword queries: each value of KPhotoAlbum's Events, Places and People (groups included) that 2 or more
 * photos of the evaluation half carry, most carried first. There is no class word it stands for.
 */
function keywordQueries(keywords: Keywords): Query[] {
  const carried = new Map<string, number>();
  for (const [name, entry] of Object.entries(keywords.images)) {
    if (splitOf(name) !== 'eval') continue;
    for (const value of valuesOf(keywords, entry)) carried.set(typed(value), (carried.get(typed(value)) ?? 0) + 1);
  }
  return [...carried]
    .filter(([, photos]) => photos >= 2)
    .sort(([a, m], [b, n]) => n - m || a.localeCompare(b))
    .map(([word]) => ({ word, kind: 'keyword' as const, classes: [`kpa=${word}`], against: [] }));
}

interface Photo {
  readonly name: string;
  readonly truth: ReadonlySet<string>;
  readonly maybe: ReadonlySet<string>;
  readonly posting: ReturnType<typeof postingOf> & { term: string; imageId: string };
}

async function photos(keywords: Keywords): Promise<Photo[]> {
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
    // A KPhotoAlbum photo as its photographer would upload it: its keywords and description in its XMP.
    const said = keywords.images[name];
    const bare = readFileSync(path.join(SET, name));
    const { record } = await analyzeImage(said ? withXmpSegment(bare, xmpOf(keywords, said)) : bare);
    if (record.status !== 'PROCESSED') continue;
    if (said && !record.described?.keywords) throw new Error(`${name}: its XMP keywords were not read`);
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
      truth: new Set([
        ...truth.objects,
        ...lower(truth.labels),
        ...truth.kinds.map((kind) => `kind=${kind}`),
        ...[...(said ? valuesOf(keywords, said) : [])].map((value) => `kpa=${typed(value)}`),
      ]),
      maybe: new Set(truth.maybeObjects ?? []),
      posting: { term: 'bench', imageId, ...postingOf(item) },
    });
  }
  return out;
}

/** The words a query types, as the search box splits them: `grand canyon` is two, each to be met. */
const wordsTyped = (query: string) => wordsOf(query);

const filtersOf = (query: string) =>
  ({ q: wordsTyped(query), label: [], object: [], text: [], tag: [] }) as unknown as Parameters<typeof phaseOf>[2];

/** The phase the search today finds the photo in (sure, a likely band or weak), if it does. */
function phaseNow(photo: Photo, query: string): number | undefined {
  return phaseOf(photo.posting, [], filtersOf(query))?.phase;
}

/** What a search today finds: in any phase, or (`sureOnly`) in its sure phase. */
const foundNow = (photo: Photo, query: string, sureOnly: boolean) => {
  const phase = phaseNow(photo, query);
  return sureOnly ? phase === SURE : phase !== undefined;
};

/** Terms issue 77 added: before it, the core read no keyword or caption. */
const NEW_FIELDS = ['keyword=', 'caption='];

/**
 * The rule before issue 77: each word begins a word of a facet or the file name, or of a likely class's name; the
 * photo's own keywords and caption were not read.
 */
function foundBefore(photo: Photo, query: string): boolean {
  const words = [
    ...photo.posting.facets
      .filter((facet) => !NEW_FIELDS.some((field) => facet.startsWith(field)))
      .flatMap((facet) => {
        const likely = parseLikely(facet);
        return likely ? (likely.term.split('=')[1]?.split(' ') ?? []) : termWordsOf(facet);
      }),
    ...wordsOf(photo.posting.summary?.filename ?? ''),
  ];
  return wordsTyped(query).every((word) => words.some((one) => wordFinds(word, one)));
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

/** Figures summed over rows: a kind's queries pooled. */
function pooled(all: readonly Figures[]): Figures {
  const tp = all.reduce((sum, one) => sum + one.tp, 0);
  const fp = all.reduce((sum, one) => sum + one.fp, 0);
  const fn = all.reduce((sum, one) => sum + one.fn, 0);
  const ratio = (a: number, b: number) => (b === 0 ? null : Math.round((a / b) * 1000) / 1000);
  return { tp, fp, fn, precision: ratio(tp, tp + fp), recall: ratio(tp, tp + fn) };
}

type Verdict = 'PASS' | 'FAIL' | '-';

/**
 * Issue 77's rule for a query: its recall at least its class words' (a colour or keyword has none), its precision
 * at least MIN_PRECISION. '-' when it finds nothing and its class words find nothing either: no answer to judge.
 */
function verdictOf(found: Figures, classWords: Figures | undefined): Verdict {
  if (classWords !== undefined && (found.recall ?? 0) < (classWords.recall ?? 0)) return 'FAIL';
  if (found.precision === null) return classWords !== undefined && !classWords.recall ? '-' : 'FAIL';
  return found.precision >= MIN_PRECISION ? 'PASS' : 'FAIL';
}

async function main(): Promise<void> {
  const keywords = readKeywords();
  const all = await photos(keywords);
  const queries = [...CLASS_QUERIES, ...keywordQueries(keywords)];
  const rows = queries.map((query) => {
    const against = query.against.length > 0 ? query.against : undefined;
    // The class words it stands for, each searched as typed today: what its recall should reach.
    const classWordsFound = (sureOnly: boolean) =>
      against && score(all, query.classes, (photo) => against.some((word) => foundNow(photo, word, sureOnly)));
    const row = {
      ...query,
      before: score(all, query.classes, (photo) => foundBefore(photo, query.word)),
      after: score(all, query.classes, (photo) => foundNow(photo, query.word, false)),
      sure: score(all, query.classes, (photo) => foundNow(photo, query.word, true)),
      classWords: classWordsFound(false),
      classWordsSure: classWordsFound(true),
    };
    return {
      ...row,
      verdict: verdictOf(row.after, row.classWords),
      verdictSure: verdictOf(row.sure, row.classWordsSure),
    };
  });
  const kinds = KINDS.map((kind) => {
    const ofKind = rows.filter((row) => row.kind === kind);
    const withClassWords = ofKind.flatMap((row) => (row.classWords ? [row.classWords] : []));
    return {
      kind,
      queries: ofKind.length,
      before: pooled(ofKind.map((row) => row.before)),
      after: pooled(ofKind.map((row) => row.after)),
      sure: pooled(ofKind.map((row) => row.sure)),
      classWords: withClassWords.length > 0 ? pooled(withClassWords) : undefined,
    };
  });
  const date = new Date().toISOString().slice(0, 10);
  const command = 'npm run bench:queries';
  const out = { command, date, photos: all.length, set: 'bench/accuracy/set/eval', kinds, rows };
  writeFileSync(path.join(__dirname, 'queries.json'), `${JSON.stringify(out, null, 2)}\n`);

  const pct = (value: number | null) => (value === null ? '-' : `${Math.round(value * 100)} %`);
  const cell = (f: Figures | undefined) =>
    f ? `${pct(f.recall)} / ${pct(f.precision)} (${f.tp}/${f.fp}/${f.fn})` : '-';
  const judged = (verdict: Verdict, found: Figures, classWords: Figures | undefined) =>
    `${verdict}: ${pct(found.recall)} vs ${classWords ? pct(classWords.recall) : '-'}, ${pct(found.precision)}`;
  const count = (key: 'verdict' | 'verdictSure', verdict: Verdict) => rows.filter((row) => row[key] === verdict).length;
  const tally = (key: 'verdict' | 'verdictSure') =>
    `${count(key, 'PASS')} PASS, ${count(key, 'FAIL')} FAIL, ${count(key, '-')} -`;
  const lines = [
    '# The words people type: recall / precision (TP/FP/FN)',
    '',
    `\`${command}\`, ${date}: ${all.length} photos of bench/accuracy/set/eval (recorded licences, none a fixture), the committed offline predictions at today's calibration; the ${Object.keys(keywords.images).filter((name) => splitOf(name) === 'eval').length} KPhotoAlbum photos among them carry their photographer's keywords and description as XMP (set/kpa-keywords.json). "before": the rule before issue 77 (a word begins a word of the image; keywords and captions not read); "after": the search now, every phase (sure, likely, then text and narrower words); "after, sure only": its sure phase; "class words": the class words the query stands for, searched now ("-": a colour or keyword stands for none).`,
    '',
    '## By kind, pooled',
    '',
    '| kind | queries | before | after | after, sure only | class words |',
    '| --- | --- | --- | --- | --- | --- |',
    ...kinds.map(
      (k) =>
        `| ${k.kind} | ${k.queries} | ${cell(k.before)} | ${cell(k.after)} | ${cell(k.sure)} | ${cell(k.classWords)} |`,
    ),
    '',
    '## Per query',
    '',
    '| query | kind | before | after | after, sure only | class words | class words, sure only |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows.map(
      (row) =>
        `| \`${row.word}\` | ${row.kind} | ${cell(row.before)} | ${cell(row.after)} | ${cell(row.sure)} | ${cell(row.classWords)} | ${cell(row.classWordsSure)} |`,
    ),
    '',
    `## Issue 77's rule: recall at least its class words', precision at least ${MIN_PRECISION}`,
    '',
    `Each cell: the verdict, the query's recall vs its class words' (in the same phases), its precision. "-": it finds nothing and neither do its class words. Every phase: ${tally('verdict')}; sure phase: ${tally('verdictSure')}.`,
    '',
    '| query | kind | every phase | sure phase |',
    '| --- | --- | --- | --- |',
    ...rows.map(
      (row) =>
        `| \`${row.word}\` | ${row.kind} | ${judged(row.verdict, row.after, row.classWords)} | ${judged(row.verdictSure, row.sure, row.classWordsSure)} |`,
    ),
  ];
  writeFileSync(path.join(__dirname, 'queries.md'), `${lines.join('\n')}\n`);
  console.log(lines.join('\n'));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
