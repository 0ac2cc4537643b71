/**
 * The local emulator's cost of the DynamoDB calls the test suite and the runner make most, this tree's launcher
 * beside a baseline commit's, in one run.
 *
 * 1. Write each launcher's text (lambdas/local/moto-launcher.ts, without the two lines that start the server) to a
 *    file: this tree's, and the baseline's from its worktree (bench/support/baseline.ts).
 * 2. Run calls.py with each, in turn, `--runs` times: moto in one Python process, a table of `--items` analysed
 *    records (the processor's own write, captured from the e2e suite), and the calls timed in CPU milliseconds.
 * 3. Refuse a candidate whose answers differ from the baseline's (a SHA-1 of a fixed set of reads).
 * 4. Print the medians side by side and write bench/moto-calls/results.md.
 *
 * Usage: `npx tsx bench/moto-calls/main.ts [--against <commit>] [--runs 3] [--items 1000]`. About 6 minutes on 2 cores.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { describeMachine, loadAverages } from '../../test/support/machine';
import { table } from '../../test/support/markdown';
import { median } from '../../test/support/stats';
import { baselineOf } from '../support/baseline';

const ROOT = path.join(__dirname, '../..');
const COMMAND = 'npx tsx bench/moto-calls/main.ts';

interface Measured {
  items: number;
  ms: Record<string, number>;
  answers: string;
}

/** The launcher of the tree at `root` as a file calls.py can run: its patches, not the server's start. */
function launcherPatches(root: string, into: string, name: string): string {
  const text = execFileSync(
    'npx',
    ['tsx', '-e', "import { MOTO_LAUNCHER } from './lambdas/local/moto-launcher'; process.stdout.write(MOTO_LAUNCHER)"],
    { cwd: root, encoding: 'utf8', maxBuffer: 16 * 2 ** 20 },
  );
  const lines = text.split('\n');
  const start = lines.findIndex((line) => line.startsWith('from moto.server import main'));
  if (start < 0) throw new Error(`${root}: the launcher no longer ends by starting moto's server`);
  const file = path.join(into, `${name}.py`);
  writeFileSync(file, lines.slice(0, start).join('\n'));
  return file;
}

function measure(patches: string, items: number): Measured {
  const out = execFileSync('python3', [path.join(__dirname, 'calls.py'), patches, String(items)], {
    encoding: 'utf8',
    maxBuffer: 16 * 2 ** 20,
  });
  return JSON.parse(out.trim().split('\n').pop() as string) as Measured;
}

async function main(): Promise<void> {
  const options = new Command()
    .option('--against <commit>', 'the baseline commit (default: the newest release tag, else HEAD~1)')
    .option('--runs <n>', 'runs of each launcher, alternating', '3')
    .option('--items <n>', 'analysed records in the table', '1000')
    .parse()
    .opts<{ against?: string; runs: string; items: string }>();
  const runs = Number(options.runs);
  const items = Number(options.items);
  const baseline = baselineOf(options.against);
  const head = execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
  const dir = mkdtempSync(path.join(tmpdir(), 'moto-calls-'));
  const sides = {
    baseline: launcherPatches(baseline.tree, dir, 'baseline'),
    candidate: launcherPatches(ROOT, dir, 'candidate'),
  };
  const load = loadAverages();
  const results: Record<keyof typeof sides, Measured[]> = { baseline: [], candidate: [] };
  for (let run = 0; run < runs; run++) {
    for (const side of ['baseline', 'candidate'] as const) {
      results[side].push(measure(sides[side], items));
      process.stderr.write(`run ${run + 1}/${runs} ${side}: ${JSON.stringify(results[side].at(-1)?.ms)}\n`);
    }
  }
  const answers = new Set([...results.baseline, ...results.candidate].map((one) => one.answers));
  const kinds = Object.keys(results.baseline[0]?.ms ?? {});
  const of = (side: keyof typeof sides, kind: string) => median(results[side].map((one) => one.ms[kind] ?? 0));
  const rows = kinds.map((kind) => {
    const [before, after] = [of('baseline', kind), of('candidate', kind)];
    return [kind, before.toFixed(1), after.toFixed(1), `${(before / after).toFixed(2)}x`];
  });
  const report = [
    '# moto-calls: results',
    '',
    `${new Date().toISOString()}, ${describeMachine()}. Load before the run: ${load}.`,
    '',
    `Made by \`${COMMAND}${options.against ? ` --against ${options.against}` : ''}\`: ${items} analysed records, ` +
      `the median of ${runs} runs of each launcher, alternating. CPU milliseconds a call, in moto's process.`,
    '',
    table(['call', `baseline ${baseline.label} (${baseline.sha})`, `candidate ${head}`, 'speed-up'], rows),
    '',
    answers.size === 1
      ? 'Both launchers gave the same answers (one SHA-1 of the reads, every run).'
      : `The answers differ between runs or launchers: ${[...answers].join(', ')}.`,
    '',
  ].join('\n');
  writeFileSync(path.join(__dirname, 'results.md'), report);
  process.stdout.write(report);
  if (answers.size !== 1) process.exitCode = 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? error}\n`);
  process.exitCode = 1;
});
