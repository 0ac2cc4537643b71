import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { replaceReadmeSection } from '../../support/readme';
import type { RunCosts } from './main';
import { calibrate, operatingPoint } from './quick-score';
import type { Prediction, Task } from './runner';
import { type ImageLabels, readSet } from './set';

/**
 * The comparison table: per run in results.json, the threshold calibrated on tune/ (highest recall at precision
 * >= 0.9), precision and recall there on tune/ and on eval/, and the run's costs.
 *
 *   npx tsx bench/accuracy/models/report.ts [--set DIR]
 */
async function main() {
  const { values } = parseArgs({
    options: {
      set: { type: 'string', default: 'bench/accuracy/set' },
      /** How to name the set in the table (a commit, say), where its folder's path would not say it. */
      describe: { type: 'string' },
    },
  });
  const set = await readSet(values.set as string);
  const results = JSON.parse(await readFile(join(__dirname, 'results.json'), 'utf8')) as Record<string, RunCosts>;
  const half = (split: string) =>
    Object.fromEntries(Object.entries(set.images).filter(([name]) => name.startsWith(`${split}/`))) as Record<
      string,
      ImageLabels
    >;
  const rows = [
    '| task | run | threshold (tune) | tune P / R | eval P / R (said, right) | at the product threshold: eval P / R | load | warm median (p90); CPU median | peak RSS (before load) | weights |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  const product: Record<Task, number> = { objects: 0.4, faces: 0.8, moderation: 0.8 };
  for (const [run, costs] of Object.entries(results).sort(([a], [b]) => a.localeCompare(b))) {
    const task = costs.task as Task;
    const file = JSON.parse(await readFile(join(__dirname, '..', 'predictions', `${run}.json`), 'utf8')) as {
      images: Record<string, Prediction>;
    };
    if (task === 'moderation' && !Object.values(set.images).some((l) => (l.moderation ?? []).length > 0)) {
      rows.push(moderationRow(run, costs, set.images, file.images));
      continue;
    }
    const tuned = calibrate(task, half('tune'), file.images);
    const held = operatingPoint(task, half('eval'), file.images, tuned.threshold);
    const fixed = operatingPoint(task, half('eval'), file.images, product[task]);
    rows.push(
      `| ${task} | ${run} | ${tuned.threshold > 1 ? 'none' : tuned.threshold} | ${tuned.precision} / ${tuned.recall} | ${held.precision} / ${held.recall} (${held.said}, ${held.right}) | ${fixed.precision} / ${fixed.recall} | ${costColumns(costs)} |`,
    );
  }
  const counts = `${Object.keys(half('tune')).length} tune and ${Object.keys(half('eval')).length} eval images`;
  const loads = Object.values(results).map((r) => r.loadAverage);
  const text =
    `Set: ${values.describe ?? values.set} (${counts}). Machine: 2 cores shared with other work, 1-minute load ` +
    `average ${Math.min(...loads)} to ${Math.max(...loads)} during the runs.\n\n${rows.join('\n')}\n`;
  await writeFile(join(__dirname, 'results.md'), text);
  replaceReadmeSection(join(__dirname, 'README.md'), 'results', text.trimEnd());
  console.log(text);
}

const costColumns = (costs: RunCosts) =>
  `${costs.loadMs} ms | ${costs.warmMsMedian} (${costs.warmMsP90}) ms; ${costs.cpuMsMedian} ms | ${costs.peakRssMb} (${costs.rssBeforeLoadMb}) MB | ${costs.weightsMb} MB`;

/**
 * With no image the set flags, moderation has no recall to measure: what is left is how often it would flag a
 * clean photo (every photo of the set), at the product's 0.8 and at 0.5, and its highest score on one.
 */
function moderationRow(
  run: string,
  costs: RunCosts,
  labels: Record<string, ImageLabels>,
  predictions: Record<string, Prediction>,
): string {
  const top = Object.keys(labels).map((name) => Math.max(0, ...Object.values(predictions[name]?.moderation ?? {})));
  const over = (t: number) => top.filter((s) => s >= t).length;
  return `| moderation | ${run} | no flagged photo in the set | clean photos flagged at 0.5: ${over(0.5)} of ${top.length} | at 0.8: ${over(0.8)} | highest score on a clean photo: ${Math.max(...top)} | ${costColumns(costs)} |`;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
