/**
 * Look twice where it is cheap (issue 77, item 5): what looking at a weak picture turned gains on sideways photos,
 * and what it costs on upright ones, on the labelled set's evaluation half.
 *
 * 1. Each photo of bench/accuracy/set's `eval/` half, and the OCR bench's three text images (bench/inference), as it
 *    is (upright) and turned 90 degrees clockwise with no EXIF orientation (sideways: a lossless PNG, so only the
 *    pipeline's own thumbnail is lossy).
 * 2. Each copy through the pipeline's pixels (bench/accuracy/predict.ts: the core, the largest WebP thumbnail, the
 *    vision function's own analyzeThumbnail), once with `quarterTurns: 'never'` and once with `'weak'`, in
 *    alternating order, every score above the floors kept.
 * 3. Score objects and the derived labels at the committed thresholds (lambdas/vision/calibration.json: shown and
 *    found) as bench/accuracy scores them; count the photos that looked twice and the turns kept; the text images'
 *    character error rate (bench/inference/text-images.ts).
 * 4. Write results.md and results.json beside this file.
 *
 * `npm run bench:turns`. The time each look costs is measured apart, side by side: bench/inference/turns.ts.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { analyzeImage } from '../../lambdas/core/analysis/analyze';
import { CALIBRATION } from '../../lambdas/vision/calibration';
import { analyzeThumbnail } from '../../lambdas/vision/functions/vision/analyze-stored-image';
import type { QuarterTurns } from '../../lambdas/vision/quarter-turns';
import { describeMachine } from '../../test/support/machine';
import { type ImagePrediction, OFFLINE_RUN, type Predictions, predictImage } from '../accuracy/predict';
import { type Counts, examplesOf, foundThresholds, scoreSource, shownThresholds } from '../accuracy/score';
import { readSet } from '../accuracy/set';
import { characterErrorRate, ensureTextImages, TEXT_CASES } from '../inference/text-images';
import { sideways, UPRIGHT_AGAIN } from './sideways';

const SET = path.join(__dirname, '..', 'accuracy', 'set');
const COMMAND = 'npm run bench:turns   (= npx tsx bench/turns/main.ts)';
const COPIES = ['upright', 'sideways'] as const;
type Copy = (typeof COPIES)[number];
const WHEN: QuarterTurns[] = ['never', 'weak'];

const log = (line: string) => process.stderr.write(`${line}\n`);

/** Each copy's predictions, by `never` and `weak`, the two run in alternating order. */
async function predictBoth(bytes: Buffer, index: number) {
  const order = index % 2 === 0 ? WHEN : [...WHEN].reverse();
  const out = {} as Record<QuarterTurns, ImagePrediction>;
  for (const when of order) out[when] = await predictImage(bytes, { quarterTurns: when });
  return out;
}

function pct(n: number | undefined): string {
  return n === undefined ? '-' : `${Math.round(n * 1000) / 10} %`;
}
const counted = (c: Counts) => `${pct(c.precision)}, ${pct(c.recall)} (${c.tp} / ${c.fp} / ${c.fn})`;

async function main(): Promise<void> {
  const began = performance.now();
  await ensureTextImages();
  const { limit } = new Command().option('--limit <n>', 'only the first n photos (a quick check)').parse().opts();
  const set = readSet(SET);
  const names = Object.keys(set.images)
    .filter((name) => name.startsWith('eval/'))
    .sort()
    .slice(0, limit === undefined ? undefined : Number(limit));
  if (limit !== undefined)
    for (const name of Object.keys(set.images)) if (!names.includes(name)) delete set.images[name];
  const runs = {} as Record<Copy, Record<QuarterTurns, Predictions>>;
  for (const copy of COPIES) {
    runs[copy] = {} as Record<QuarterTurns, Predictions>;
    for (const when of WHEN) runs[copy][when] = { run: OFFLINE_RUN, models: {}, input: `${copy}, ${when}`, images: {} };
  }
  let index = 0;
  for (const name of names) {
    const bytes = readFileSync(path.join(SET, name));
    for (const copy of COPIES) {
      const both = await predictBoth(copy === 'upright' ? bytes : await sideways(bytes), index++);
      for (const when of WHEN) runs[copy][when].images[name] = both[when];
    }
    log(`${index / 2}/${names.length} ${name}`);
  }

  const texts = [];
  for (const textCase of TEXT_CASES) {
    const bytes = readFileSync(textCase.file);
    const row: Record<string, { text: string; cer: number; turn?: number }> = {};
    for (const copy of COPIES)
      for (const when of WHEN) {
        const { text, turn } = await readText(copy === 'upright' ? bytes : await sideways(bytes), when);
        row[`${copy} ${when}`] = { text, cer: characterErrorRate(textCase.reference, text), ...(turn ? { turn } : {}) };
      }
    texts.push({ name: textCase.name, ...row });
  }

  const scores = COPIES.flatMap((copy) =>
    WHEN.map((when) => {
      const predictions = runs[copy][when];
      const examples = examplesOf(set, predictions, 'eval');
      const source = (kind: 'objects' | 'labels') => ({
        shown: scoreSource(examples[kind], shownThresholds(CALIBRATION, kind)).total,
        found: scoreSource(examples[kind], foundThresholds(CALIBRATION, kind) ?? shownThresholds(CALIBRATION, kind))
          .total,
      });
      const images = Object.values(predictions.images);
      const kept = images.flatMap((i) => (i.turns?.kept ? [i.turns.kept] : []));
      return {
        copy,
        when,
        objects: source('objects'),
        labels: source('labels'),
        looked: images.filter((i) => i.turns).length,
        kept: Object.fromEntries([90, 180, 270].map((t) => [t, kept.filter((k) => k === t).length])),
        photos: images.length,
      };
    }),
  );

  const md = [
    '# Look twice where it is cheap: the offline models on photos stored sideways',
    '',
    `${new Date().toISOString().slice(0, 10)}, ${describeMachine()}. Command: \`${COMMAND}\` (${((performance.now() - began) / 1000).toFixed(0)} s).`,
    '',
    `Photos: the ${names.length} of bench/accuracy/set's evaluation half (licences and sources: bench/accuracy/set/README.md and labels.json), each as it is (upright, no EXIF orientation: the set's JPEGs carry no metadata) and turned 90 degrees clockwise with no EXIF orientation (sideways; a lossless PNG). Each through the pipeline's pixels (the core's largest WebP thumbnail, decoded by the vision function's analyzeThumbnail) with \`quarterTurns\` \`never\` (one look, as before) and \`weak\` (lambdas/vision/quarter-turns.ts). Scored at the committed thresholds (lambdas/vision/calibration.json) as bench/accuracy scores them: precision, recall (TP / FP / FN), per photo and class.`,
    '',
    '## Objects',
    '',
    '| photos | quarter turns | shown: precision, recall (TP / FP / FN) | found: precision, recall (TP / FP / FN) | looked turned | turn kept (90 / 180 / 270) |',
    '| --- | --- | --- | --- | --- | --- |',
    ...scores.map(
      (s) =>
        `| ${s.copy} | ${s.when} | ${counted(s.objects.shown)} | ${counted(s.objects.found)} | ${s.looked} of ${s.photos} | ${s.kept[90]} / ${s.kept[180]} / ${s.kept[270]} |`,
    ),
    '',
    `A sideways copy is put upright by the turn ${UPRIGHT_AGAIN}; an upright photo by none.`,
    '',
    '## Derived labels (Text, Document, Monochrome, Dark, Bright, Vegetation, Illustration)',
    '',
    '| photos | quarter turns | shown: precision, recall (TP / FP / FN) | found: precision, recall (TP / FP / FN) |',
    '| --- | --- | --- | --- |',
    ...scores.map((s) => `| ${s.copy} | ${s.when} | ${counted(s.labels.shown)} | ${counted(s.labels.found)} |`),
    '',
    "## Text: character error rate of the OCR bench's text images (bench/inference/text-images.ts)",
    '',
    '| image | upright, never | upright, weak | sideways, never | sideways, weak |',
    '| --- | --- | --- | --- | --- |',
    ...texts.map((t) => {
      const cell = (key: string) => {
        const r = (t as unknown as Record<string, { cer: number; turn?: number }>)[key];
        return r ? `${pct(r.cer)}${r.turn ? ` (turn ${r.turn})` : ''}` : '-';
      };
      return `| ${t.name} | ${cell('upright never')} | ${cell('upright weak')} | ${cell('sideways never')} | ${cell('sideways weak')} |`;
    }),
    '',
  ].join('\n');
  writeFileSync(path.join(__dirname, 'results.md'), md);
  writeFileSync(
    path.join(__dirname, 'results.json'),
    `${JSON.stringify({ command: COMMAND, scores, texts, photos: scored(runs) }, null, 1)}\n`,
  );
  process.stdout.write(md);
}

/**
 * Per photo, copy and run, what was scored: each object class's strongest score, each derived label's, and whether
 * the models looked turned (`turn`: the one kept, 0 for none). The faces and moderation, which no turn changes, and
 * the boxes are left out, to keep the file small enough for the linter.
 */
export function scored(runs: Record<Copy, Record<QuarterTurns, Predictions>>) {
  const photos: Record<string, Record<string, unknown>> = {};
  for (const copy of COPIES)
    for (const when of WHEN)
      for (const [name, p] of Object.entries(runs[copy][when].images)) {
        const objects: Record<string, number> = {};
        for (const o of p.objects) objects[o.name] = Math.max(objects[o.name] ?? 0, o.confidence);
        const labels = Object.fromEntries(p.labels.map((l) => [l.name, l.confidence]));
        photos[name] = {
          ...photos[name],
          [`${copy} ${when}`]: { objects, labels, ...(p.turns ? { turn: p.turns.kept ?? 0 } : {}) },
        };
      }
  return photos;
}

/** The text the models read on one copy of a text image, and the turn they kept. */
async function readText(bytes: Buffer, when: QuarterTurns) {
  const { record, thumbnails, orientationTagged } = await analyzeImage(bytes);
  if (record.status !== 'PROCESSED') throw new Error(`the core did not process it: ${record.status}`);
  const largest = thumbnails.reduce((a, b) => (b.size > a.size ? b : a));
  const vision = await analyzeThumbnail(largest.data, record, {
    quarterTurns: when,
    orientationKnown: orientationTagged === true,
  });
  return { text: vision.text.fullText, turn: vision.turn };
}

if (require.main === module)
  main().catch((error: unknown) => {
    log(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exitCode = 1;
  });
