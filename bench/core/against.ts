/**
 * The core's regression guard (issue 57): our core as this tree has it, our core as a baseline commit had it, and
 * Pillow in draft mode (pillow_core.py), interleaved in one run on ten 12 MP JPEGs: the corpus's six mosaics of
 * Plasma wallpapers and four camera-like mosaics of photos no bench tuned on (bench/support/camera-corpus.ts, one
 * of them a portrait with EXIF orientation 6).
 *
 * Each round runs, in an order that rotates, each side's latency (a fresh child, one image at a time, both cores
 * free) and then each side's throughput (ours: one process, 2 images in flight; Pillow: 2 processes, each the whole
 * list), so a slow spell on the machine falls on every side. The baseline runs its own bench/core/worker.ts in its
 * worktree (bench/support/baseline.ts), so the figures are of its core as it was. Both run with the environment the
 * processor function has (NATIVE_MEMORY_ENVIRONMENT: two malloc arenas).
 *
 * Usage: npx tsx bench/core/against.ts [--against <commit>] [--rounds N] [--tolerance 0.1] [--check]
 * (`npm run bench:against`). Writes against.md and against.json beside this file; `--check` exits 1 when a figure
 * regressed by more than the tolerance or a target is missed.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { NATIVE_MEMORY_ENVIRONMENT } from '../../lib/constructs/native-memory';
import { describeMachine, uptime } from '../../test/support/machine';
import { median, sum } from '../../test/support/stats';
import { type Baseline, baselineOf, thisTree } from '../support/baseline';
import { ensureCameraPhotos } from '../support/camera-corpus';
import { runJob, runTogether } from '../support/child';
import { DEFAULT_TOLERANCE, type GuardFigure, guardTable, regressions } from '../support/guard';
import { ensureCorpus } from '../support/make-corpus';
import type { LatencyResult, ThroughputResult } from '../support/protocol';

const ROOT = path.join(__dirname, '../..');
/** Issue 57's goals on 12 MP JPEGs: latency against Pillow in draft mode, and throughput at least equal. */
const LATENCY_GOAL = 1.25;
const THROUGHPUT_GOAL = 1;
/** Passes over the ten photos per throughput run: long enough that starting and draining the lanes is a small share. */
const THROUGHPUT_PASSES = 3;

const log = (line: string) => process.stderr.write(`${line}\n`);
type Side = 'ours' | 'baseline' | 'pillow';
const SIDES: Side[] = ['ours', 'baseline', 'pillow'];

interface Options {
  against?: string;
  rounds: string;
  tolerance: string;
  check?: boolean;
}

interface Round {
  latency: Record<Side, { file: string; ms: number }[]>;
  throughput: Record<Side, number>;
}

/** Our core runs as the processor function runs it: with its allocator setting (Pillow's process needs none). */
const envOf = (side: Side): NodeJS.ProcessEnv => (side === 'pillow' ? {} : { ...NATIVE_MEMORY_ENVIRONMENT });

async function latencyOf(side: Side, base: Baseline, files: string[], warmup: string[]) {
  const job = {
    kind: 'latency',
    contender: side === 'pillow' ? 'pillow' : 'ours',
    files,
    warmup,
    passes: 1,
    asDeployed: true,
  } as const;
  const result = await runJob<LatencyResult>(job, envOf(side), side === 'baseline' ? base.tree : ROOT);
  return result.samples.map(({ file, ms }) => ({ file, ms }));
}

/** Images a second with both cores busy: every image done over the slowest process's wall time. */
async function throughputOf(side: Side, base: Baseline, files: string[], warmup: string[]): Promise<number> {
  const job = { kind: 'throughput', files, warmup, passes: THROUGHPUT_PASSES, asDeployed: true } as const;
  const jobs =
    side === 'pillow'
      ? [0, 1].map(() => ({ ...job, contender: 'pillow', inFlight: 1 }) as const)
      : [{ ...job, contender: 'ours', inFlight: 2 } as const];
  const { results } = await runTogether<ThroughputResult>(jobs, envOf(side), side === 'baseline' ? base.tree : ROOT);
  return (sum(results.map((r) => r.images)) / Math.max(...results.map((r) => r.wallMs))) * 1000;
}

/** The median over files of each file's median time. */
function latencyMs(rounds: Round[], side: Side): number {
  const samples = rounds.flatMap((round) => round.latency[side]);
  const files = [...new Set(samples.map((s) => s.file))];
  return median(files.map((file) => median(samples.filter((s) => s.file === file).map((s) => s.ms))));
}

async function main(): Promise<void> {
  const began = performance.now();
  const options = new Command()
    .option('--against <commit>', 'the commit to compare with (default: the last v* tag, else HEAD~1)')
    .option('--rounds <n>', 'rounds, each side once per round', '6')
    .option('--tolerance <share>', 'worse by more than this is a regression', String(DEFAULT_TOLERANCE))
    .option('--check', 'exit 1 on a regression or a missed goal')
    .parse()
    .opts<Options>();
  const rounds = Number(options.rounds);
  const tolerance = Number(options.tolerance);
  const base = baselineOf(options.against);
  const loadBefore = uptime();
  const { files: corpus } = await ensureCorpus(log);
  const files = [...corpus['12mp'], ...(await ensureCameraPhotos(log))];
  const warmup = [corpus['12mp'][0] as string, corpus['2mp'][0] as string];
  log(`this tree ${thisTree()} against ${base.label} (${base.sha}), ${files.length} 12 MP JPEGs, ${rounds} rounds`);

  const measured: Round[] = [];
  for (let round = 0; round < rounds; round++) {
    const order = SIDES.map((_, i) => SIDES[(i + round) % SIDES.length] as Side);
    const latency = {} as Round['latency'];
    const throughput = {} as Round['throughput'];
    for (const side of order) latency[side] = await latencyOf(side, base, files, warmup);
    for (const side of order) throughput[side] = await throughputOf(side, base, files, warmup);
    measured.push({ latency, throughput });
    log(`round ${round + 1} of ${rounds}: ${JSON.stringify(throughput)}`);
  }

  const ms = Object.fromEntries(SIDES.map((side) => [side, latencyMs(measured, side)])) as Record<Side, number>;
  const rate = Object.fromEntries(
    SIDES.map((side) => [side, median(measured.map((round) => round.throughput[side]))]),
  ) as Record<Side, number>;
  // Each round's own ratio, then the median: the sides ran minutes apart at most.
  const rateRatio = (side: Side) => median(measured.map((round) => round.throughput[side] / round.throughput.pillow));
  const figures: GuardFigure[] = [
    {
      figure: '12 MP JPEG, one at a time (median ms)',
      unit: 'ms',
      baseline: ms.baseline,
      ours: ms.ours,
      better: 'lower',
    },
    {
      figure: 'faster than Pillow draft mode',
      unit: 'x',
      baseline: ms.pillow / ms.baseline,
      ours: ms.pillow / ms.ours,
      better: 'higher',
    },
    { figure: 'throughput, 2 cores busy', unit: 'img/s', baseline: rate.baseline, ours: rate.ours, better: 'higher' },
    {
      figure: 'throughput against Pillow, 2 processes',
      unit: 'x',
      baseline: rateRatio('baseline'),
      ours: rateRatio('ours'),
      better: 'higher',
    },
  ];
  const goals = [
    { goal: `at least ${LATENCY_GOAL}x faster than Pillow draft mode`, value: ms.pillow / ms.ours, min: LATENCY_GOAL },
    { goal: 'throughput at least equal to Pillow', value: rateRatio('ours'), min: THROUGHPUT_GOAL },
  ];
  const regressed = regressions(figures, tolerance);
  const ourLabel = `this tree (${thisTree()})`;
  const baseLabel = `${base.label === base.sha ? '' : `${base.label} = `}${base.sha}`;
  const command = `npx tsx bench/core/against.ts ${process.argv.slice(2).join(' ')}`.trim();
  const markdown = [
    '# The core against a baseline commit and Pillow, in one run',
    '',
    `${new Date().toISOString().slice(0, 10)}, ${describeMachine()}. Command: \`${command}\` (${((performance.now() - began) / 1000).toFixed(0)} s).`,
    `Baseline: ${baseLabel} (${base.chosenBy}). ${files.length} 12 MP JPEGs, ${rounds} rounds; Pillow ${ms.pillow.toFixed(0)} ms an image one at a time, ${rate.pillow.toFixed(2)} img/s as 2 processes.`,
    `Load before: \`${loadBefore}\`.`,
    '',
    guardTable(figures, { baseline: `baseline (${base.sha})`, ours: 'this tree' }, tolerance),
    '',
    `Regression: worse by more than ${(tolerance * 100).toFixed(0)} %. ${regressed.length === 0 ? 'None.' : `**${regressed.map((f) => f.figure).join('; ')}**.`}`,
    '',
    '| goal (issue 57) | this tree | result |',
    '| --- | --- | --- |',
    ...goals.map((g) => `| ${g.goal} | ${g.value.toFixed(2)}x | ${g.value >= g.min ? 'PASS' : 'FAIL'} |`),
    '',
  ].join('\n');
  process.stdout.write(markdown);
  writeFileSync(path.join(__dirname, 'against.md'), markdown);
  writeFileSync(
    path.join(__dirname, 'against.json'),
    `${JSON.stringify({ command, baseline: base, ours: ourLabel, tolerance, figures, goals, rounds: measured }, null, 2)}\n`,
  );
  if (options.check && (regressed.length > 0 || goals.some((g) => g.value < g.min))) process.exitCode = 1;
}

main().catch((error: unknown) => {
  log(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = 1;
});
