/**
 * Quality's bench: how well its flags match the labelled set, and what measuring it costs the core.
 *
 * 1. Score every sample of the labelled set (bench/quality/set.ts): both sets, each photo and its four copies.
 * 2. Tune: for each flag alone, the threshold that gives the best F0.5 on the `tune` set, next to the committed one.
 * 3. Report precision and recall of the committed thresholds on `tune` and on `holdout`.
 * 3b. Sampling: every sample's scores as the core samples them against every pixel read, on the same raster.
 * 4. Cost: `analyzeImage` with and without quality, alternating on the same images in one process, on the core
 *    bench's 12 MP and 2 MP corpus; and `measureQuality` alone on its 1024 px raster.
 * 5. Write bench/quality/results.md.
 *
 * Usage: `npm run bench:quality [-- --flags-only]` (= npx tsx bench/quality/main.ts); needs Debian's plasma-workspace-wallpapers
 * and mate-backgrounds, and builds the core bench's corpus if it is missing.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import sharp from 'sharp';
import { analyzeImage } from '../../lambdas/core/analysis/analyze';
import {
  measureQuality,
  QUALITY_FLAGS,
  QUALITY_RASTER_SIDE,
  QUALITY_THRESHOLDS,
  type Quality,
  type QualityFlag,
  type QualityThresholds,
  qualityFlags,
  SAMPLE_STRIDE,
} from '../../lambdas/core/quality';
import type { ProcessedRecord } from '../../lambdas/core/record';
import { describeMachine } from '../../test/support/machine';
import { median } from '../../test/support/stats';
import { ensureCorpus } from '../support/make-corpus';
import { type Sample, type SetName, samples } from './set';

type Scored = Omit<Sample, 'bytes'> & { quality: Quality };

const log = (line: string) => process.stderr.write(`${line}\n`);

/**
 * Whether a sample counts for a flag. A darkened copy has a third of its contrast too, and a brightened one loses
 * its range to clipping, so lowContrast is judged on neither.
 */
const counts = (sample: Scored, flag: QualityFlag) =>
  !(
    flag === 'lowContrast' &&
    (sample.variant === 'darkened' || sample.variant === 'brightened' || sample.variant.startsWith('on'))
  );

/**
 * The rules of analysis 1.1.0, for the table's "before": sharpness over the whole picture's contrast under 0.0038
 * (`blurry`), more than 11 % of all pixels clipped (`overexposed`); the other two are unchanged.
 */
function rulesBefore(q: Quality): QualityFlag[] {
  const variance = (255 * q.contrast) ** 2;
  const relative = variance === 0 ? 0 : q.sharpness / variance;
  const flags: QualityFlag[] = qualityFlags(q).filter((flag) => flag === 'underexposed' || flag === 'lowContrast');
  if (relative < 0.0038) flags.push('blurry');
  if (q.exposure.highlightsClipped > 0.11) flags.push('overexposed');
  return flags;
}

interface Figures {
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  precision: number;
  recall: number;
  f: number;
}

function figures(
  scored: Scored[],
  flag: QualityFlag,
  thresholds: QualityThresholds,
  rules: (q: Quality) => QualityFlag[] = (q) => qualityFlags(q, thresholds),
): Figures {
  let truePositives = 0;
  let falsePositives = 0;
  let falseNegatives = 0;
  for (const sample of scored.filter((s) => counts(s, flag))) {
    const said = rules(sample.quality).includes(flag);
    const meant = sample.expected.includes(flag);
    if (said && meant) truePositives++;
    else if (said) falsePositives++;
    else if (meant) falseNegatives++;
  }
  const precision = truePositives / Math.max(1, truePositives + falsePositives);
  const recall = truePositives / Math.max(1, truePositives + falseNegatives);
  // F0.5: precision weighs twice recall, since a flag that calls good photos bad is what makes a team ignore it.
  const f = precision + recall === 0 ? 0 : (1.25 * precision * recall) / (0.25 * precision + recall);
  return { truePositives, falsePositives, falseNegatives, precision, recall, f };
}

/** Each flag's threshold key and the score it reads. */
const KNOBS: { flag: QualityFlag; key: keyof QualityThresholds; score: (q: Quality) => number }[] = [
  { flag: 'blurry', key: 'blurryBelow', score: (q) => q.edgeSharpness ?? 0 },
  { flag: 'underexposed', key: 'underexposedBrightestBelow', score: (q) => q.exposure.brightest },
  { flag: 'overexposed', key: 'overexposedBlownAbove', score: (q) => q.exposure.blownDetail ?? 0 },
  { flag: 'lowContrast', key: 'lowContrastRangeBelow', score: (q) => q.exposure.brightest - q.exposure.darkest },
];

/** The threshold with the best F0.5 on `scored` among the midpoints of its scores (ties: the first, lowest). */
function tune(scored: Scored[], { flag, key, score }: (typeof KNOBS)[number]): { threshold: number; figures: Figures } {
  const values = [...new Set(scored.map((s) => score(s.quality)))].sort((a, b) => a - b);
  let best = { threshold: QUALITY_THRESHOLDS[key], figures: figures(scored, flag, QUALITY_THRESHOLDS) };
  for (let i = 1; i < values.length; i++) {
    const threshold = ((values[i - 1] as number) + (values[i] as number)) / 2;
    const candidate = figures(scored, flag, { ...QUALITY_THRESHOLDS, [key]: threshold });
    if (candidate.f > best.figures.f) best = { threshold, figures: candidate };
  }
  return best;
}

async function score(): Promise<Scored[]> {
  const scored: Scored[] = [];
  for await (const { bytes, ...sample } of samples()) {
    const { record } = await analyzeImage(bytes);
    const quality = (record as ProcessedRecord).quality;
    if (!quality) throw new Error(`${sample.photo} ${sample.variant}: ${record.status}`);
    scored.push({ ...sample, quality });
  }
  return scored;
}

/** How far each score moves when the histogram and colour statistics sample the raster instead of reading it all. */
async function sampling(): Promise<{ lines: string[]; changedFlags: string[] }> {
  const fields: [string, (q: Quality) => number][] = [
    ['exposure.mean', (q) => q.exposure.mean],
    ['exposure.shadowsClipped', (q) => q.exposure.shadowsClipped],
    ['exposure.highlightsClipped', (q) => q.exposure.highlightsClipped],
    ['exposure.darkest', (q) => q.exposure.darkest],
    ['exposure.brightest', (q) => q.exposure.brightest],
    ['contrast', (q) => q.contrast],
    ['colourfulness', (q) => q.colourfulness],
    ['entropy', (q) => q.entropy],
    ['sharpness', (q) => q.sharpness],
  ];
  const largest = new Map<string, { by: number; sample: string }>();
  const changedFlags: string[] = [];
  let count = 0;
  for await (const { bytes, photo, variant } of samples()) {
    const { data, info } = await sharp(bytes)
      .resize(QUALITY_RASTER_SIDE, QUALITY_RASTER_SIDE, { fit: 'inside' })
      .flatten({ background: '#ffffff' })
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    const every = measureQuality(data, info.width, info.height, 1);
    const sampled = measureQuality(data, info.width, info.height);
    count++;
    for (const [name, read] of fields) {
      const by = Math.abs(read(every) - read(sampled));
      if (by > (largest.get(name)?.by ?? -1)) largest.set(name, { by, sample: `${photo} ${variant}` });
    }
    if (every.flags.join() !== sampled.flags.join()) changedFlags.push(`${photo} ${variant}`);
  }
  const lines = [
    `${count} samples, each at ${QUALITY_RASTER_SIDE} px; one pixel in ${SAMPLE_STRIDE} of each row against every pixel. ` +
      `Flags changed: ${changedFlags.length === 0 ? 'none' : changedFlags.join(', ')}.`,
    '',
    '| score | largest difference | on |',
    '| --- | --- | --- |',
    ...fields.map(([name]) => {
      const { by, sample } = largest.get(name) ?? { by: 0, sample: '' };
      return `| ${name} | ${Number(by.toFixed(4))} | ${by === 0 ? '' : sample} |`;
    }),
  ];
  return { lines, changedFlags };
}

/** Median ms of analyzeImage with and without quality, alternating on each image, after a warm-up. */
async function cost(files: string[], passes: number) {
  const images = files.map((file) => readFileSync(file));
  for (const bytes of images.slice(0, 2)) {
    await analyzeImage(bytes);
    await analyzeImage(bytes, { measureQuality: false });
  }
  const withQuality: number[] = [];
  const without: number[] = [];
  for (let pass = 0; pass < passes; pass++) {
    for (const bytes of images) {
      // Alternate which goes first, so neither always runs on a warmer cache.
      const order = pass % 2 === 0 ? [true, false] : [false, true];
      for (const measure of order) {
        const started = performance.now();
        await analyzeImage(bytes, { measureQuality: measure });
        (measure ? withQuality : without).push(performance.now() - started);
      }
    }
  }
  return { withMs: median(withQuality), withoutMs: median(without), runs: withQuality.length };
}

/** Median ms of measureQuality alone on one raster: as the core samples, and reading every pixel, interleaved. */
async function measureAlone(file: string, repeats: number): Promise<{ sampledMs: number; everyMs: number }> {
  const { data, info } = await sharp(readFileSync(file))
    .resize(QUALITY_RASTER_SIDE, QUALITY_RASTER_SIDE, { fit: 'inside' })
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const sampled: number[] = [];
  const every: number[] = [];
  for (let i = 0; i < repeats; i++) {
    for (const [stride, times] of [
      [SAMPLE_STRIDE, sampled],
      [1, every],
    ] as const) {
      const started = performance.now();
      measureQuality(data, info.width, info.height, stride);
      times.push(performance.now() - started);
    }
  }
  return { sampledMs: median(sampled), everyMs: median(every) };
}

const pct = (value: number) => `${(value * 100).toFixed(0)} %`;

async function main() {
  log('scoring the labelled set...');
  const scored = await score();
  const bySet = (set: SetName) => scored.filter((s) => s.set === set);
  const lines: string[] = [
    '# Quality bench results',
    '',
    `Command: \`npm run bench:quality\`. ${describeMachine()}`,
    '',
  ];

  lines.push('## Flags on the labelled set', '');
  lines.push(`${scored.length} samples: ${bySet('tune').length} to tune, ${bySet('holdout').length} held out.`, '');
  lines.push(
    '| flag | threshold (committed) | best on tune | tune P / R | holdout P / R | holdout TP / FP / FN | ' +
      'before (1.1.0 rules): tune P / R | holdout P / R |',
  );
  lines.push('| --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const knob of KNOBS) {
    const { flag, key } = knob;
    const tuned = tune(bySet('tune'), knob);
    const onTune = figures(bySet('tune'), flag, QUALITY_THRESHOLDS);
    const held = figures(bySet('holdout'), flag, QUALITY_THRESHOLDS);
    const tuneBefore = figures(bySet('tune'), flag, QUALITY_THRESHOLDS, rulesBefore);
    const heldBefore = figures(bySet('holdout'), flag, QUALITY_THRESHOLDS, rulesBefore);
    lines.push(
      `| ${flag} | ${key} ${QUALITY_THRESHOLDS[key]} | ${Number(tuned.threshold.toPrecision(3))} (F0.5 ${tuned.figures.f.toFixed(2)}) | ` +
        `${pct(onTune.precision)} / ${pct(onTune.recall)} | ${pct(held.precision)} / ${pct(held.recall)} | ` +
        `${held.truePositives} / ${held.falsePositives} / ${held.falseNegatives} | ` +
        `${pct(tuneBefore.precision)} / ${pct(tuneBefore.recall)} | ${pct(heldBefore.precision)} / ${pct(heldBefore.recall)} |`,
    );
  }
  lines.push('', '### Every holdout sample a flag got wrong', '');
  for (const sample of bySet('holdout')) {
    const said = qualityFlags(sample.quality);
    const wrong = QUALITY_FLAGS.filter(
      (flag) => counts(sample, flag) && said.includes(flag) !== sample.expected.includes(flag),
    );
    if (wrong.length > 0) {
      lines.push(
        `- ${sample.photo} ${sample.variant}: said [${said.join(', ')}], meant [${sample.expected.join(', ')}]`,
      );
    }
  }

  log('sampling against every pixel...');
  lines.push('', '## Sampling: the scores as measured against every pixel read', '');
  lines.push(...(await sampling()).lines);

  if (process.argv.includes('--flags-only')) {
    process.stdout.write(`${lines.join('\n')}\n`);
    return;
  }
  log('timing the core with and without quality...');
  const { files: corpus } = await ensureCorpus(log);
  lines.push('', "## Cost: the core's time with and without quality", '');
  lines.push('| images | core without quality (median ms) | with quality | added |', '| --- | --- | --- | --- |');
  for (const [label, size, passes] of [
    ['12 MP JPEG', '12mp', 8],
    ['2 MP PNG', '2mp', 4],
  ] as const) {
    const { withMs, withoutMs, runs } = await cost(corpus[size], passes);
    lines.push(
      `| ${label} (${runs} runs each) | ${withoutMs.toFixed(1)} | ${withMs.toFixed(1)} | ${pct((withMs - withoutMs) / withoutMs)} |`,
    );
  }
  const alone = await measureAlone(corpus['12mp'][0] as string, 200);
  lines.push(
    '',
    `\`measureQuality\` alone on a ${QUALITY_RASTER_SIDE} px raster: ${alone.sampledMs.toFixed(2)} ms as the core ` +
      `samples, ${alone.everyMs.toFixed(2)} ms reading every pixel (median of 200 each, interleaved).`,
  );

  const text = `${lines.join('\n')}\n`;
  writeFileSync(path.join(__dirname, 'results.md'), text);
  process.stdout.write(text);
}

main().catch((error) => {
  log(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
