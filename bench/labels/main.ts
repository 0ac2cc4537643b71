/**
 * Precision and recall of the offline path's derived labels on hand-labelled pictures.
 *
 * 1. Each set in test/fixtures/labels (`tune`, on which the rules' numbers were set, and `holdout`, kept apart from
 *    them): its labels.json maps each image to the derived labels a person gave it.
 * 2. Every image goes through the real offline path: analyzeImage (keepRaster), then analyzeOffline with all four
 *    models; its derived labels are the ones from the text, colour and moderation sources.
 * 3. Per label and set: true and false positives, misses, precision and recall; the images that disagree.
 * 4. Print the tables and write bench/labels/results.md.
 *
 * Usage: `npm run bench:labels [-- --out bench/labels/results.md]`. About a minute on 2 cores (the models load once).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { analyzeImage } from '../../lambdas/core/analysis/analyze';
import type { Raster } from '../../lambdas/core/analysis/raster';
import type { ProcessedRecord } from '../../lambdas/core/record';
import { analyzeOffline } from '../../lambdas/vision/offline';

const ROOT = path.join(__dirname, '../..');
const SETS_DIR = path.join(ROOT, 'test/fixtures/labels');
export const SETS = ['tune', 'holdout'] as const;
/** The labels the rules derive (Person and Face come straight from the face model, so they are not here). */
export const DERIVED = ['Text', 'Document', 'Monochrome', 'Dark', 'Bright', 'Vegetation', 'Illustration'] as const;
const DERIVED_SOURCES = new Set(['text', 'colour', 'moderation']);

export interface ImageResult {
  image: string;
  expected: string[];
  got: { name: string; confidence: number }[];
}

export interface LabelScore {
  label: string;
  positives: number;
  truePositives: number;
  falsePositives: number;
  misses: number;
  /** Undefined when the rule never said the label (precision) or no image has it (recall). */
  precision?: number;
  recall?: number;
}

/** Precision and recall per derived label over one set's results. */
export function score(results: readonly ImageResult[]): LabelScore[] {
  return DERIVED.map((label) => {
    let truePositives = 0;
    let falsePositives = 0;
    let misses = 0;
    for (const { expected, got } of results) {
      const said = got.some((g) => g.name === label);
      const truth = expected.includes(label);
      if (said && truth) truePositives++;
      else if (said) falsePositives++;
      else if (truth) misses++;
    }
    const positives = truePositives + misses;
    const predicted = truePositives + falsePositives;
    return {
      label,
      positives,
      truePositives,
      falsePositives,
      misses,
      precision: predicted ? truePositives / predicted : undefined,
      recall: positives ? truePositives / positives : undefined,
    };
  });
}

async function runSet(set: string): Promise<ImageResult[]> {
  const dir = path.join(SETS_DIR, set);
  const expected = JSON.parse(readFileSync(path.join(dir, 'labels.json'), 'utf8')) as Record<string, string[]>;
  const results: ImageResult[] = [];
  for (const [image, labels] of Object.entries(expected)) {
    const { record, raster } = await analyzeImage(readFileSync(path.join(dir, image)), { keepRaster: true });
    const vision = await analyzeOffline(raster as Raster, record as ProcessedRecord);
    const got = vision.labels
      .filter((l) => DERIVED_SOURCES.has(l.source) && (DERIVED as readonly string[]).includes(l.name))
      .map(({ name, confidence }) => ({ name, confidence }));
    results.push({ image, expected: labels, got });
  }
  return results;
}

const pct = (n: number | undefined) => (n === undefined ? '-' : `${Math.round(n * 100)} %`);

function scoreTable(scores: readonly LabelScore[]): string[] {
  return [
    '| label | images with it | said, right | said, wrong | missed | precision | recall |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...scores.map(
      (s) =>
        `| ${s.label} | ${s.positives} | ${s.truePositives} | ${s.falsePositives} | ${s.misses} | ${pct(s.precision)} | ${pct(s.recall)} |`,
    ),
  ];
}

function disagreements(results: readonly ImageResult[]): string[] {
  const rows = results.flatMap(({ image, expected, got }) => {
    const said = got.map((g) => g.name);
    const wrong = got.filter((g) => !expected.includes(g.name)).map((g) => `${g.name} ${g.confidence.toFixed(2)}`);
    const missed = expected.filter((name) => !said.includes(name));
    return wrong.length || missed.length
      ? [`| ${image} | ${wrong.join(', ') || '-'} | ${missed.join(', ') || '-'} |`]
      : [];
  });
  return rows.length
    ? ['| image | said, wrongly | missed |', '| --- | --- | --- |', ...rows]
    : ['Every image got exactly its labels.'];
}

export function renderMarkdown(bySet: Record<string, ImageResult[]>, started: Date, seconds: number): string {
  const scores = Object.fromEntries(Object.entries(bySet).map(([set, results]) => [set, score(results)]));
  const out = [
    '# Derived labels: precision and recall on hand-labelled pictures',
    '',
    '`npm run bench:labels`',
    '',
    `Run ${started.toISOString()} in ${seconds.toFixed(0)} s, Node ${process.version}. The sets and their licences:`,
    '[test/fixtures/labels/README.md](../../test/fixtures/labels/README.md). The rules and their numbers:',
    '[lambdas/vision/label-rules.ts](../../lambdas/vision/label-rules.ts), set on `tune`; `holdout` only measures them',
    '(the README says how far it was kept apart).',
    '',
    '## Precision per label, tune against holdout',
    '',
    '| label | tune precision | tune recall | holdout precision | holdout recall |',
    '| --- | --- | --- | --- | --- |',
    ...DERIVED.map((label, i) => {
      const t = scores.tune?.[i];
      const h = scores.holdout?.[i];
      return `| ${label} | ${pct(t?.precision)} | ${pct(t?.recall)} | ${pct(h?.precision)} | ${pct(h?.recall)} |`;
    }),
    '',
    '"-": the rule never said the label (precision) or no image in the set has it (recall).',
  ];
  for (const [set, results] of Object.entries(bySet)) {
    out.push('', `## ${set} (${results.length} images)`, '', ...scoreTable(scores[set] ?? []), '');
    out.push(...disagreements(results));
  }
  return `${out.join('\n')}\n`;
}

async function main(argv: string[]): Promise<void> {
  const program = new Command('npm run bench:labels --')
    .description('Precision and recall of the derived labels on test/fixtures/labels/{tune,holdout}.')
    .option('--out <file>', 'markdown results', 'bench/labels/results.md')
    .parse(argv, { from: 'user' });
  const { out } = program.opts<{ out: string }>();
  const started = new Date();
  const bySet: Record<string, ImageResult[]> = {};
  for (const set of SETS) bySet[set] = await runSet(set);
  const markdown = renderMarkdown(bySet, started, (Date.now() - started.getTime()) / 1000);
  writeFileSync(path.resolve(ROOT, out), markdown);
  process.stdout.write(markdown);
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((error: Error) => {
    process.stderr.write(`${error.stack ?? error.message}\n`);
    process.exit(1);
  });
}
