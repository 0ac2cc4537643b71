/**
 * Shown means right, and what is there is found: the offline models' precision and recall on the labelled set, the
 * thresholds the product shows results at, and those a search finds them from.
 *
 * 1. Predict: the models over every photo of the set, on the pipeline's pixels, every score above the floors
 *    (predict.ts); written to bench/accuracy/predictions/ (or read from there with `--predictions`).
 * 2. Read the calibration this run replaces (`--before`, by default the file it writes), before writing anything.
 * 3. Calibrate on the tuning half (score.ts): per source and class, the lowest threshold with precision >= 0.9 (shown)
 *    and, for objects and derived labels, the lowest with precision >= 0.7, never above the shown one (found).
 * 4. Write the thresholds to lambdas/vision/calibration.json, which the product reads.
 * 5. Score the evaluation half at this run's thresholds, at the replaced ones and at today's fixed ones, with the
 *    precision-recall curves; write results.json (the regression test reads it), results.md, the curves' SVGs and
 *    the accuracy table of docs/vision.md.
 *
 * Usage: `npm run bench:accuracy [-- --set <dir>] [-- --predictions <file>] [-- --before <file>]`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { type Calibration, CalibrationSchema, type Thresholds } from '../../lambdas/vision/calibration';
import { describeMachine } from '../../test/support/machine';
import { curveSvg, type Mark } from './curves';
import { OFFLINE_RUN, type Predictions, predictSet } from './predict';
import {
  type AccuracyResults,
  type Operating,
  renderDocsTable,
  renderResults,
  type SourceResult,
  targetsOf,
} from './report';
import {
  type AnyCalibration,
  calibrate,
  curveOf,
  examplesOf,
  FACE,
  foundThresholds,
  isFoundSource,
  positives,
  SOURCES,
  type Source,
  type SourceExamples,
  scoreSource,
  shownThresholds,
  TODAY,
} from './score';
import { readSet } from './set';

const ROOT = path.join(__dirname, '../..');
/** Precision on the tuning half of what is shown (tiles, labels, events, webhooks). */
const TARGET = 0.9;
/** Precision on the tuning half of what a search finds (shown or likely), issue 56: at least 0.7. */
const FOUND_TARGET = 0.7;
const MIN_SUPPORT = 5;
/** The lines of docs/vision.md between which the accuracy table is written. */
const DOCS_BEGIN = '<!-- accuracy table: written by npm run bench:accuracy (bench/accuracy/main.ts), not by hand -->';
const DOCS_END = '<!-- end of the accuracy table -->';

/** A calibration as committed before this one, which may predate the retrieval thresholds. */
const BeforeSchema = CalibrationSchema.extend({ found: CalibrationSchema.shape.found.optional() });

async function main(): Promise<void> {
  const calibrationFile = path.join(ROOT, 'lambdas/vision/calibration.json');
  const options = new Command()
    .option('--set <dir>', 'the labelled set', path.join(ROOT, 'bench/accuracy/set'))
    .option('--predictions <file>', 'score this predictions file instead of running the models')
    .option('--out <dir>', 'where results.md, results.json and curves/ go', path.join(ROOT, 'bench/accuracy'))
    .option('--calibration <file>', 'where the thresholds go', calibrationFile)
    .option(
      '--before <file>',
      'the calibration to compare with, or <revision>:<path> (default: the --calibration file, read before writing)',
    )
    .option(
      '--docs <file>',
      'the Markdown file whose accuracy table follows the results',
      path.join(ROOT, 'docs/vision.md'),
    )
    .option('--no-docs', 'leave the docs alone (a calibration of your own)')
    .option(
      '--set-version <text>',
      'which version of the set, for results.md (default: the commit that last changed it)',
    )
    .parse()
    .opts<{
      set: string;
      predictions?: string;
      out: string;
      calibration: string;
      before?: string;
      docs: string | false;
      setVersion?: string;
    }>();
  // Read before anything is written: by default the file this run overwrites.
  const beforeFile = options.before ?? options.calibration;
  const before: AnyCalibration = BeforeSchema.parse(JSON.parse(readBefore(beforeFile)));
  const set = readSet(options.set);
  const predictions = options.predictions
    ? (JSON.parse(readFileSync(options.predictions, 'utf8')) as Predictions)
    : await predictSet(options.set, {
        onImage: (name, done, total) => process.stderr.write(`${done}/${total} ${name}\n`),
      });
  const written: string[] = [];
  if (!options.predictions) {
    const file = path.join(ROOT, 'bench/accuracy/predictions', `${OFFLINE_RUN}.json`);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify(predictions)}\n`);
    written.push(file);
  }

  const tune = examplesOf(set, predictions, 'tune');
  const evaluation = examplesOf(set, predictions, 'eval');
  const date = new Date().toISOString().slice(0, 10);
  const setVersion = options.setVersion ?? versionOf(options.set);
  const setName = `${path.relative(ROOT, options.set) || options.set}${setVersion ? ` (${setVersion})` : ''}`;
  const calibration: Calibration = {
    made: { command: 'npm run bench:accuracy', set: `${setName} (tune half)`, date },
    ...calibrate(tune, { target: TARGET, foundTarget: FOUND_TARGET, minSupport: MIN_SUPPORT }),
  };
  writeFileSync(options.calibration, `${JSON.stringify(calibration, null, 2)}\n`);
  written.push(options.calibration);

  const sources = Object.fromEntries(
    SOURCES.map((source) => [source, resultOf(source, { after: calibration, before }, tune, evaluation)]),
  ) as Record<Source, SourceResult>;
  const curveFiles = writeCurves(path.join(options.out, 'curves'), sources, { shown: TARGET, found: FOUND_TARGET });
  const names = Object.keys(set.images);
  const ms = Object.values(predictions.images)
    .map((i) => i.ms)
    .sort((a, b) => a - b);
  const relative = (file: string) => (path.isAbsolute(file) ? path.relative(ROOT, file) || file : file);
  const results: AccuracyResults = {
    date,
    machine: describeMachine(),
    command: `npm run bench:accuracy${options.predictions ? ` -- --predictions ${options.predictions}` : ''}${options.before ? ` --before ${options.before}` : ''}`,
    set: setName,
    images: {
      tune: names.filter((n) => n.startsWith('tune/')).length,
      eval: names.filter((n) => n.startsWith('eval/')).length,
    },
    run: predictions.run,
    input: predictions.input,
    target: TARGET,
    foundTarget: FOUND_TARGET,
    minSupport: MIN_SUPPORT,
    before: { file: relative(beforeFile), made: before.made, found: before.found !== undefined },
    msPerImage: { median: ms[Math.floor(ms.length / 2)] ?? 0, p90: ms[Math.floor(ms.length * 0.9)] ?? 0 },
    targets: targetsOf(sources),
    sources,
    curveFiles,
  };
  writeFileSync(path.join(options.out, 'results.json'), `${compactJson(results)}\n`);
  written.push(path.join(options.out, 'results.json'));
  // Committed files are kept as the project's formatter writes them.
  spawnSync(path.join(ROOT, 'node_modules/.bin/biome'), ['format', '--write', ...written], { stdio: 'ignore' });
  writeFileSync(path.join(options.out, 'results.md'), renderResults(results));
  if (options.docs) writeDocsTable(options.docs, results);
  process.stdout.write(renderResults(results));
}

/**
 * JSON with every object or array of plain values (counts, a curve's point) on one line, the rest indented: the
 * formatter keeps such a line as it is, so results.json stays a file a reader can diff.
 */
function compactJson(value: unknown, indent = ''): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  const entries: [string | undefined, unknown][] = Array.isArray(value)
    ? value.map((v) => [undefined, v])
    : Object.entries(value).filter(([, v]) => v !== undefined);
  if (entries.every(([, v]) => v === null || typeof v !== 'object')) return JSON.stringify(value);
  const inner = `${indent}  `;
  const lines = entries.map(
    ([key, v]) => `${inner}${key === undefined ? '' : `${JSON.stringify(key)}: `}${compactJson(v, inner)}`,
  );
  const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
  return `${open}\n${lines.join(',\n')}\n${indent}${close}`;
}

/** The commit that last changed the set, and whether it has changed since: what results.md names it by. */
function versionOf(setDir: string): string | undefined {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: setDir, encoding: 'utf8' }).trim();
  try {
    const commit = git('log', '-1', '--format=%h', '--', '.');
    if (!commit) return undefined;
    return `commit ${commit}${git('status', '--porcelain', '--', '.') ? ', with changes not committed' : ''}`;
  } catch {
    // Not in a git checkout: the set is named by its folder alone.
    return undefined;
  }
}

/** A calibration file, or git's `<revision>:<path>` for one as committed (`main:lambdas/vision/calibration.json`). */
function readBefore(file: string): string {
  if (existsSync(file) || !file.includes(':')) return readFileSync(file, 'utf8');
  return execFileSync('git', ['show', file], { cwd: ROOT, encoding: 'utf8' });
}

/** The thresholds as a source's pooled and rare ones. */
const ownThresholds = (t: Thresholds) => ({ pooled: t.pooled, ...(t.rare !== undefined ? { rare: t.rare } : {}) });

/**
 * One source's classes on the evaluation half: shown and found at this run's thresholds, at the replaced ones and at
 * today's fixed one; its curves.
 */
function resultOf(
  source: Source,
  calibrations: { after: Calibration; before: AnyCalibration },
  tune: Record<Source, SourceExamples>,
  evaluation: Record<Source, SourceExamples>,
): SourceResult {
  const { after, before } = calibrations;
  const score = (threshold: ((name: string) => number) | undefined) =>
    threshold ? scoreSource(evaluation[source], threshold) : undefined;
  const shown = score(shownThresholds(after, source));
  const found = score(foundThresholds(after, source));
  const beforeShown = score(shownThresholds(before, source));
  const beforeFound = score(foundThresholds(before, source));
  const today = score(() => TODAY[source]);
  if (!shown || !beforeShown || !today) throw new Error(`${source}: every source is shown`);
  const tuned = scoreSource(tune[source], shownThresholds(after, source));
  const tuneExamples = tune[source];
  const operating = (scored: ReturnType<typeof score>, name: string): Operating | undefined => {
    const c = scored?.classes.find((m) => m.name === name);
    return c ? { threshold: c.threshold, counts: c.counts } : undefined;
  };
  const thresholds = (c: AnyCalibration) =>
    source === 'faces'
      ? { shown: { pooled: c.faces }, found: undefined }
      : {
          shown: ownThresholds(c[source]),
          found: isFoundSource(source) ? ownThresholds(c.found?.[source] ?? c[source]) : undefined,
        };
  return {
    today: TODAY[source],
    ...thresholds(after),
    before: thresholds(before),
    total: {
      shown: shown.total,
      ...(found ? { found: found.total } : {}),
      before: { shown: beforeShown.total, ...(beforeFound ? { found: beforeFound.total } : {}) },
      today: today.total,
      tune: tuned.total,
    },
    classes: shown.classes.map(({ name, threshold, counts }) => ({
      name,
      support:
        tuneExamples.kind === 'faces'
          ? tuneExamples.images.reduce((n, i) => n + i.faces, 0)
          : positives(tuneExamples.byClass.get(name) ?? []),
      shown: { threshold, counts },
      ...(found ? { found: operating(found, name) } : {}),
      before: {
        shown: operating(beforeShown, name) ?? { threshold, counts },
        ...(beforeFound ? { found: operating(beforeFound, name) } : {}),
      },
      today: operating(today, name)?.counts ?? counts,
    })),
    curves: curvesOf(evaluation[source]),
    ...(source === 'faces' ? { note: `one threshold for every ${FACE}` } : {}),
  };
}

/** The source's curve, and each class's with enough positive evaluation photos to draw one. */
function curvesOf(examples: SourceExamples): SourceResult['curves'] {
  const round = (n: number | undefined) => (n === undefined ? undefined : Math.round(n * 10000) / 10000);
  const points = (name?: string) =>
    curveOf(examples, name).map((p) => ({ ...p, precision: round(p.precision), recall: round(p.recall) }));
  const common =
    examples.kind === 'faces'
      ? []
      : [...examples.byClass.entries()].filter(([, list]) => positives(list) >= MIN_SUPPORT).map(([name]) => name);
  return { all: points(), classes: Object.fromEntries(common.sort().map((name) => [name, points(name)])) };
}

/** One SVG per curve with a positive example, in a folder emptied first so a class that left leaves no file. */
function writeCurves(
  dir: string,
  sources: Record<Source, SourceResult>,
  targets: { shown: number; found: number },
): AccuracyResults['curveFiles'] {
  if (existsSync(dir))
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.svg'))) rmSync(path.join(dir, file));
  mkdirSync(dir, { recursive: true });
  const files: AccuracyResults['curveFiles'] = [];
  for (const source of SOURCES) {
    const s = sources[source];
    const marksOf = (counts: {
      shown: SourceResult['total']['shown'];
      found?: SourceResult['total']['shown'];
      before: { shown: SourceResult['total']['shown']; found?: SourceResult['total']['shown'] };
    }): Mark[] => [
      { label: 'shown', counts: counts.shown, style: 'shown' },
      ...(counts.found ? [{ label: 'found', counts: counts.found, style: 'found' as const }] : []),
      { label: 'before, shown', counts: counts.before.shown, style: 'before-shown' },
      ...(counts.before.found
        ? [{ label: 'before, found', counts: counts.before.found, style: 'before-found' as const }]
        : []),
    ];
    const draw = (name: string | undefined, points: SourceResult['curves']['all'], marks: Mark[]) => {
      if (!points.some((p) => p.recall !== undefined && p.tp > 0)) return;
      const file = `curves/${source}${name ? `-${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}` : ''}.svg`;
      const title = `${source}${name ? `: ${name}` : source === 'faces' ? '' : ', all classes'} (evaluation half)`;
      const found = s.found ? targets.found : undefined;
      writeFileSync(path.join(dir, '..', file), curveSvg(title, points, marks, { shown: targets.shown, found }));
      files.push({ source, ...(name ? { name } : {}), file });
    };
    draw(undefined, s.curves.all, marksOf(s.total));
    for (const [name, points] of Object.entries(s.curves.classes)) {
      const c = s.classes.find((k) => k.name === name);
      if (!c) continue;
      draw(
        name,
        points,
        marksOf({
          shown: c.shown.counts,
          found: c.found?.counts,
          before: { shown: c.before.shown.counts, found: c.before.found?.counts },
        }),
      );
    }
  }
  return files;
}

/** docs/vision.md's accuracy table, between its markers, replaced by the one these results make. */
function writeDocsTable(file: string, results: AccuracyResults): void {
  const text = readFileSync(file, 'utf8');
  const begin = text.indexOf(DOCS_BEGIN);
  const end = text.indexOf(DOCS_END);
  if (begin < 0 || end < begin)
    throw new Error(`${file} has no accuracy table markers (${DOCS_BEGIN}); or pass --no-docs`);
  const table = renderDocsTable(results);
  writeFileSync(file, `${text.slice(0, begin + DOCS_BEGIN.length)}\n\n${table}\n\n${text.slice(end)}`);
}

if (require.main === module) {
  main().catch((error) => {
    process.stderr.write(`${(error as Error).stack}\n`);
    process.exit(1);
  });
}
