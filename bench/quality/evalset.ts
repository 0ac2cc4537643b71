/**
 * Quality's flags on the shared evaluation set (bench/accuracy/set: real photos, `quality` labelled by a person),
 * per half, with the rules of analysis 1.1.0 beside: `npx tsx bench/quality/evalset.ts [set-dir]`.
 * Prints a markdown table; the thresholds are never chosen on the `eval` half.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { analyzeImage } from '../../lambdas/core/analysis/analyze';
import { QUALITY_FLAGS, type Quality, type QualityFlag } from '../../lambdas/core/quality';
import type { ProcessedRecord } from '../../lambdas/core/record';

const dir = process.argv[2] ?? path.join(__dirname, '../accuracy/set');

/** The rules of analysis 1.1.0 (bench/quality/main.ts has the same). */
function rulesBefore(q: Quality): QualityFlag[] {
  const variance = (255 * q.contrast) ** 2;
  const flags: QualityFlag[] = [];
  if ((variance === 0 ? 0 : q.sharpness / variance) < 0.0038) flags.push('blurry');
  if (q.exposure.brightest < 110) flags.push('underexposed');
  if (q.exposure.highlightsClipped > 0.11) flags.push('overexposed');
  if (q.exposure.brightest - q.exposure.darkest < 95) flags.push('lowContrast');
  return flags;
}

async function main() {
  const { images } = JSON.parse(readFileSync(path.join(dir, 'labels.json'), 'utf8')) as {
    images: Record<string, { quality: QualityFlag[] }>;
  };
  const tally = new Map<string, { tp: number; fp: number; fn: number; wrong: string[] }>();
  for (const [name, { quality: meant }] of Object.entries(images)) {
    const { record } = await analyzeImage(readFileSync(path.join(dir, name)));
    const quality = (record as ProcessedRecord).quality;
    if (!quality) throw new Error(`${name}: ${record.status}`);
    for (const [rules, said] of [
      ['now', quality.flags],
      ['1.1.0', rulesBefore(quality)],
    ] as const) {
      for (const flag of QUALITY_FLAGS) {
        const key = `${name.split('/')[0]} ${rules} ${flag}`;
        const t = tally.get(key) ?? { tp: 0, fp: 0, fn: 0, wrong: [] };
        const s = said.includes(flag);
        const m = meant.includes(flag);
        if (s && m) t.tp++;
        else if (s) t.fp++;
        else if (m) t.fn++;
        if (s !== m) t.wrong.push(`${path.basename(name)}${s ? '+' : '-'}`);
        tally.set(key, t);
      }
    }
  }
  const cell = (key: string) => {
    const { tp, fp, fn } = tally.get(key) ?? { tp: 0, fp: 0, fn: 0 };
    const p = tp + fp === 0 ? '-' : `${Math.round((100 * tp) / (tp + fp))} %`;
    const r = tp + fn === 0 ? '-' : `${Math.round((100 * tp) / (tp + fn))} %`;
    return `${p} / ${r} (${tp}/${fp}/${fn})`;
  };
  const lines = [
    `${Object.keys(images).length} photos. P / R (TP/FP/FN); "-" where nothing was flagged or none was meant.`,
    '',
    '| flag | tune, now | eval, now | tune, 1.1.0 rules | eval, 1.1.0 rules |',
    '| --- | --- | --- | --- | --- |',
    ...QUALITY_FLAGS.map(
      (flag) =>
        `| ${flag} | ${cell(`tune now ${flag}`)} | ${cell(`eval now ${flag}`)} | ${cell(`tune 1.1.0 ${flag}`)} | ${cell(`eval 1.1.0 ${flag}`)} |`,
    ),
    '',
    'Wrong (+ said, not meant; - meant, not said):',
    ...[...tally.entries()].filter(([, t]) => t.wrong.length > 0).map(([key, t]) => `- ${key}: ${t.wrong.join(', ')}`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
