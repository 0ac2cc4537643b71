/**
 * The derived labels' evidence, computed once, and the rules scored on it offline: for trying a rule change on
 * bench/accuracy's labelled set (and the label fixtures) in seconds instead of a model run.
 *
 * 1. `collect`: each photo of bench/accuracy/set goes through the core as bench/accuracy/predict.ts sends it
 *    (`analyzeImage` with the default thumbnail sizes, the largest WebP thumbnail decoded by `visionRaster`); each
 *    picture of test/fixtures/labels as bench/labels sends it (`analyzeImage` with `keepRaster`). The product's own
 *    OCR (`recognizeText`) and moderation model (`moderate`) run on that raster once; the raster (lossless PNG), the
 *    core's brightness, the OCR lines, the Drawing score and the hand labels go to the cache.
 * 2. `score`: from the cache, each picture's derived scores as the product computes them today (`pictureStats` on
 *    the cached raster, `derivedScores`), each label's threshold calibrated on the accuracy set's tune half exactly
 *    as bench/accuracy does (`calibrateClasses` of score.ts: precision 0.9 counted with one wrong answer added), and
 *    precision and recall per label at that threshold on tune and eval, and on the fixtures' tune and holdout sets.
 *    `scoreWith` takes other rules (a function of the evidence), so a variant is scored the same way.
 *
 * Usage: `npx tsx bench/labels/evidence.ts collect [--cache /tmp/label-evidence]` (one pass of OCR and moderation
 * over 263 + 80 pictures, about 5 minutes on 2 cores), then `npx tsx bench/labels/evidence.ts score [--cache ...]`.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import sharp from 'sharp';
import { analyzeImage } from '../../lambdas/core/analysis/analyze';
import type { Raster } from '../../lambdas/core/analysis/raster';
import type { Vision } from '../../lambdas/core/vision-schema';
import { DEFAULT_SETTINGS } from '../../lambdas/settings';
import { thresholdOf } from '../../lambdas/vision/calibration';
import { derivedScores, type LabelEvidence } from '../../lambdas/vision/labels';
import { moderate } from '../../lambdas/vision/moderation';
import { type OcrLine, recognizeText } from '../../lambdas/vision/ocr';
import { pictureStats } from '../../lambdas/vision/picture-stats';
import { visionRaster, visionThumbnail } from '../../lambdas/vision/vision-input';
import { addCounts, type Counts, calibrateClasses, countClass, DERIVED_LABELS, type Example } from '../accuracy/score';
import { readSet } from '../accuracy/set';

const ROOT = path.join(__dirname, '../..');
const ACCURACY_SET = path.join(ROOT, 'bench/accuracy/set');
const FIXTURES = path.join(ROOT, 'test/fixtures/labels');

/** Where a picture comes from: the accuracy set's halves, or the label fixtures' sets. */
export type Group = 'tune' | 'eval' | 'fixtures-tune' | 'fixtures-holdout';
export const GROUPS: Group[] = ['tune', 'eval', 'fixtures-tune', 'fixtures-holdout'];

/** One picture's cached evidence. */
export interface CachedPicture {
  group: Group;
  name: string;
  truth: string[];
  /** The core's mean luma of the original (the record's `brightness.value`). */
  brightness: number;
  drawing: number;
  lines: OcrLine[];
  /** The raster the models saw, as a PNG in the cache folder. */
  raster: string;
}

/** A cached picture with its raster decoded: what a rule may look at. */
export interface Picture extends Omit<CachedPicture, 'raster'> {
  raster: Raster;
}

async function collect(cache: string): Promise<void> {
  mkdirSync(path.join(cache, 'rasters'), { recursive: true });
  const jobs: { group: Group; name: string; file: string; truth: string[] }[] = [];
  for (const [name, truth] of Object.entries(readSet(ACCURACY_SET).images))
    jobs.push({
      group: name.startsWith('tune/') ? 'tune' : 'eval',
      name,
      file: path.join(ACCURACY_SET, name),
      truth: truth.labels,
    });
  for (const set of ['tune', 'holdout'] as const) {
    const labels = JSON.parse(readFileSync(path.join(FIXTURES, set, 'labels.json'), 'utf8')) as Record<
      string,
      string[]
    >;
    for (const [name, truth] of Object.entries(labels))
      jobs.push({ group: `fixtures-${set}`, name: `${set}/${name}`, file: path.join(FIXTURES, set, name), truth });
  }
  const file = path.join(cache, 'evidence.json');
  const done: CachedPicture[] = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : [];
  const have = new Set(done.map((p) => `${p.group}:${p.name}`));
  for (const [i, job] of jobs.entries()) {
    if (have.has(`${job.group}:${job.name}`)) continue;
    const bytes = readFileSync(job.file);
    let raster: Raster;
    let brightness: number;
    if (job.group === 'tune' || job.group === 'eval') {
      const { record, thumbnails } = await analyzeImage(bytes, { thumbnailSizes: DEFAULT_SETTINGS.thumbnailSizes });
      if (record.status !== 'PROCESSED') throw new Error(`${job.name}: the core did not process it`);
      raster = await visionRaster(visionThumbnail(thumbnails).data);
      brightness = record.brightness.value;
    } else {
      const { record, raster: kept } = await analyzeImage(bytes, { keepRaster: true });
      if (record.status !== 'PROCESSED' || !kept) throw new Error(`${job.name}: the core did not process it`);
      raster = kept;
      brightness = record.brightness.value;
    }
    const [lines, moderation] = await Promise.all([recognizeText(raster), moderate(raster)]);
    const png = path.join('rasters', `${job.group}-${job.name.replace(/[/\\]/g, '_')}.png`);
    await sharp(raster.data, { raw: { width: raster.width, height: raster.height, channels: 3 } })
      .png({ compressionLevel: 3 })
      .toFile(path.join(cache, png));
    done.push({
      group: job.group,
      name: job.name,
      truth: job.truth,
      brightness,
      drawing: moderation.drawing,
      lines,
      raster: png,
    });
    writeFileSync(file, JSON.stringify(done));
    process.stderr.write(`${i + 1}/${jobs.length} ${job.group} ${job.name}\n`);
  }
}

/** Every cached picture with its raster. */
export async function loadPictures(cache: string): Promise<Picture[]> {
  const cached = JSON.parse(readFileSync(path.join(cache, 'evidence.json'), 'utf8')) as CachedPicture[];
  return Promise.all(
    cached.map(async (p) => {
      const { data, info } = await sharp(path.join(cache, p.raster)).raw().toBuffer({ resolveWithObject: true });
      return { ...p, raster: { data, width: info.width, height: info.height, channels: 3 } as Raster };
    }),
  );
}

/** The product's own rules: what the offline provider scores from this evidence. */
export function productRules(picture: Picture): Vision['labels'] {
  const evidence: LabelEvidence = {
    picture: pictureStats(picture.raster),
    brightness: { value: picture.brightness },
    drawing: picture.drawing,
  };
  return derivedScores({ text: { fullText: '', lines: picture.lines } }, evidence);
}

export interface LabelResult {
  label: string;
  threshold: number;
  tuneSupport: number;
  counts: Record<Group, Counts>;
}

/**
 * Each label's threshold chosen on the accuracy set's tune half as bench/accuracy chooses it, and the counts on
 * every group at it.
 */
export function scoreWith(
  pictures: readonly Picture[],
  rules: (picture: Picture) => { name: string; confidence: number }[],
): LabelResult[] {
  const byGroup = new Map<Group, Map<string, Example[]>>(GROUPS.map((g) => [g, new Map()]));
  for (const picture of pictures) {
    const scores = rules(picture);
    const byClass = byGroup.get(picture.group) as Map<string, Example[]>;
    for (const label of DERIVED_LABELS) {
      const score = scores.find((s) => s.name === label)?.confidence ?? 0;
      const example: Example = { score, truth: picture.truth.includes(label) ? 'yes' : 'no' };
      byClass.set(label, [...(byClass.get(label) ?? []), example]);
    }
  }
  const tune = byGroup.get('tune') as Map<string, Example[]>;
  const thresholds = calibrateClasses(tune, {
    target: 0.9,
    minSupport: 5,
    floor: 0.05,
    fallback: 0.5,
    oneScale: false,
  });
  return DERIVED_LABELS.map((label) => {
    const threshold = thresholdOf(thresholds, label);
    const counts = Object.fromEntries(
      GROUPS.map((g) => [g, countClass(byGroup.get(g)?.get(label) ?? [], threshold)]),
    ) as Record<Group, Counts>;
    return { label, threshold, tuneSupport: counts.tune.tp + counts.tune.fn, counts };
  });
}

const pct = (n: number | undefined) => (n === undefined ? '-' : `${Math.round(n * 100)} %`);
const cell = (c: Counts) => `${pct(c.precision)}, ${pct(c.recall)} (${c.tp}/${c.fp}/${c.fn})`;

/** A markdown table of the results, and the labels' total on eval. */
export function renderResults(results: readonly LabelResult[]): string {
  const total = (g: Group) => addCounts(results.map((r) => r.counts[g]));
  return [
    '| label | tune support | threshold | tune: P, R (TP/FP/FN) | eval | fixtures tune | fixtures holdout |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...results.map(
      (r) => `| ${r.label} | ${r.tuneSupport} | ${r.threshold} | ${GROUPS.map((g) => cell(r.counts[g])).join(' | ')} |`,
    ),
    `| all | | | ${GROUPS.map((g) => cell(total(g))).join(' | ')} |`,
  ].join('\n');
}

if (require.main === module) {
  const program = new Command('npx tsx bench/labels/evidence.ts');
  program
    .command('collect')
    .option('--cache <dir>', 'cache folder', '/tmp/label-evidence')
    .action(({ cache }: { cache: string }) => collect(cache));
  program
    .command('score')
    .option('--cache <dir>', 'cache folder', '/tmp/label-evidence')
    .action(async ({ cache }: { cache: string }) => {
      process.stdout.write(`${renderResults(scoreWith(await loadPictures(cache), productRules))}\n`);
    });
  program.parseAsync().catch((error: Error) => {
    process.stderr.write(`${error.stack ?? error.message}\n`);
    process.exit(1);
  });
}
