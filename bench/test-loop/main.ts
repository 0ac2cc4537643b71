import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { describeMachine, uptime } from '../../test/support/machine';
import { table } from '../../test/support/markdown';
import { type CpuFigures, KINDS, type LoopRun, measureRef } from './measure';

/**
 * The test loop as CI runs it: a fresh clone of each ref, `npm ci` then `npm test`, timed, with jest's per-project
 * figures and the moto servers, runners and browsers the run started. The baseline and the candidate run one after
 * the other in the same invocation, on the same machine, with nothing else running.
 *
 *   npx tsx bench/test-loop/main.ts --baseline <ref> [--candidate HEAD] [--repeat 3]
 */
const ROOT = path.join(__dirname, '../..');
const program = new Command()
  .option('--baseline <ref>', 'the ref to compare with (skipped if not given)')
  .option('--candidate <ref>', 'the ref to measure', 'HEAD')
  .option('--repeat <n>', 'candidate runs, one after the other (each on a fresh clone)', '1')
  .parse();
const options = program.opts<{ baseline?: string; candidate: string; repeat: string }>();

async function main(): Promise<void> {
  const machine = describeMachine();
  const load = uptime();
  const log = (line: string) => console.error(`test-loop: ${line}`);
  const runs: LoopRun[] = [];
  if (options.baseline) runs.push(await measureRef(ROOT, options.baseline, log));
  for (let i = 0; i < Number(options.repeat); i += 1) runs.push(await measureRef(ROOT, options.candidate, log));
  const command = `npx tsx bench/test-loop/main.ts ${process.argv.slice(2).join(' ')}`.trim();
  const date = new Date().toISOString();
  writeFileSync(
    path.join(__dirname, 'results.json'),
    `${JSON.stringify({ date, machine, load, command, runs }, null, 2)}\n`,
  );
  writeFileSync(path.join(__dirname, 'results.md'), report({ date, machine, load, command, runs }));
  if (runs.some((run) => run.exitCode !== 0)) process.exitCode = 1;
}

const seconds = (value: number) => value.toFixed(0);
const cpu = (run: LoopRun, show: (figures: CpuFigures) => string) => show(run.cpu);

export function report(results: {
  date: string;
  machine: string;
  load: string;
  command: string;
  runs: LoopRun[];
}): string {
  const { runs } = results;
  const label = (run: LoopRun, index: number) =>
    `${index === 0 && options.baseline ? 'baseline' : 'run'} ${run.commit}`;
  const totals = table(
    ['', ...runs.map(label)],
    [
      [
        'a fixed CPU workload before npm ci, s (the host: lower is faster)',
        ...runs.map((run) => (run.calibrationSeconds === undefined ? 'n/a' : run.calibrationSeconds.toFixed(2))),
      ],
      [
        "the same workload in two processes at once, s (near the above when the cores are the VM's own)",
        ...runs.map((run) => run.calibrationBothSeconds?.toFixed(2) ?? 'n/a'),
      ],
      ['npm ci, s', ...runs.map((run) => seconds(run.npmCiSeconds))],
      ['npm test, s', ...runs.map((run) => seconds(run.npmTestSeconds))],
      ['both (what .ci/run runs), s', ...runs.map((run) => seconds(run.npmCiSeconds + run.npmTestSeconds))],
      ['npm test exit code', ...runs.map((run) => run.exitCode)],
      ['suites', ...runs.map((run) => run.projects.reduce((sum, p) => sum + p.suites, 0))],
      ['tests', ...runs.map((run) => run.projects.reduce((sum, p) => sum + p.tests, 0))],
      ['failed', ...runs.map((run) => run.projects.reduce((sum, p) => sum + p.failed, 0))],
      ['skipped', ...runs.map((run) => run.projects.reduce((sum, p) => sum + p.skipped, 0))],
      ['moto servers started', ...runs.map((run) => run.processes.moto)],
      ['local runners started', ...runs.map((run) => run.processes.runners)],
      ['Chromium browsers launched', ...runs.map((run) => run.processes.chromium)],
      [
        'CPU busy / idle during npm test, s',
        ...runs.map((run) => cpu(run, (c) => `${seconds(c.busy)} / ${seconds(c.idle)}`)),
      ],
      [
        'of busy, stolen by the host (/proc/stat steal), s',
        ...runs.map((run) => cpu(run, (c) => (c.steal === undefined ? 'n/a' : seconds(c.steal)))),
      ],
      ...KINDS.map((kind) => [`CPU in ${kind}, s`, ...runs.map((run) => cpu(run, (c) => seconds(c.byKind[kind])))]),
    ],
  );
  const projects = [...new Set(runs.flatMap((run) => run.projects.map((p) => p.project)))];
  const perProject = table(
    ['project', ...runs.map(label)],
    projects.map((name) => [
      name,
      ...runs.map((run) => {
        const p = run.projects.find((figures) => figures.project === name);
        return p
          ? `${p.suites} suites, ${p.tests} tests; ${seconds(p.wallSeconds)} s wall, ${seconds(p.fileSeconds)} s in files`
          : '-';
      }),
    ]),
  );
  return [
    '# The test loop: results',
    '',
    `${results.date}, ${results.machine}. Load before the run: ${results.load}.`,
    '',
    `Made by \`${results.command}\` (README.md says how to read it).`,
    '',
    totals,
    '',
    'Per project: suites and tests; from its first file starting to its last file ending (projects run side by side',
    "when jest runs them in one invocation), and the sum of its files' own times.",
    '',
    perProject,
    '',
    `The files that used the most CPU in the last run (${runs.at(-1)?.commit ?? '-'}): their jest worker's CPU and that`,
    'of the processes each started and waited for (the shared moto, runners and browser are counted by kind above).',
    '',
    table(
      ['file', 'worker, CPU s', 'its processes, CPU s'],
      (runs.at(-1)?.cpu.topFiles ?? []).map((entry) => [entry.file, seconds(entry.self), seconds(entry.children)]),
    ),
    '',
  ].join('\n');
}

main().catch((error: Error) => {
  console.error(`test-loop: ${error.message}`);
  process.exit(1);
});
