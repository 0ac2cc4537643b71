import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** What one ref's `npm ci` then `npm test` (what .ci/run runs) cost on a fresh clone. */
export interface LoopRun {
  ref: string;
  commit: string;
  npmCiSeconds: number;
  npmTestSeconds: number;
  /** npm test's exit code: a red run is recorded, never hidden. */
  exitCode: number;
  projects: ProjectFigures[];
  /** Distinct processes seen while npm test ran (sampled every 500 ms). */
  processes: { moto: number; runners: number; chromium: number };
  /** Where npm test's CPU went, in CPU seconds: the machine's busy and idle time while it ran (/proc/stat), and the
   * share of the busy time each kind of process was seen using (its last sampled CPU time; a process living under
   * 500 ms is missed, so the kinds add up to a little less than `busy`). */
  cpu: CpuFigures;
}

export interface CpuFigures {
  busy: number;
  idle: number;
  byKind: Record<ProcessKind, number>;
}

export interface ProjectFigures {
  project: string;
  suites: number;
  tests: number;
  failed: number;
  skipped: number;
  /** From its first file's start to its last file's end: projects overlap when jest runs them together. */
  wallSeconds: number;
  /** The sum of its files' own durations. */
  fileSeconds: number;
}

/** Clone `repo` at `ref` into a temporary directory and time what CI runs there. */
export async function measureRef(repo: string, ref: string, log: (line: string) => void): Promise<LoopRun> {
  const dir = mkdtempSync(path.join(tmpdir(), 'test-loop-'));
  try {
    execFileSync('git', ['clone', '--quiet', repo, dir]);
    execFileSync('git', ['checkout', '--quiet', ref], { cwd: dir });
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: dir, encoding: 'utf8' }).trim();
    log(`${ref} (${commit}) in ${dir}: npm ci`);
    const install = await timed('npm', ['ci'], dir);
    if (install.exitCode !== 0) throw new Error(`npm ci failed in ${dir} (${install.exitCode})`);
    const report = path.join(dir, 'jest-report.json');
    log(`${ref}: npm test`);
    const sampler = sampleProcesses();
    const machine = machineCpu();
    const test = await timed('npm', ['test', '--', '--json', `--outputFile=${report}`], dir);
    const { processes, byKind } = sampler.stop();
    const { busy, idle } = machine.since();
    return {
      ref,
      commit,
      npmCiSeconds: install.seconds,
      npmTestSeconds: test.seconds,
      exitCode: test.exitCode,
      projects: existsSync(report) ? projectFigures(JSON.parse(readFileSync(report, 'utf8')), dir) : [],
      processes,
      cpu: { busy, idle, byKind },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function timed(command: string, args: string[], cwd: string): Promise<{ seconds: number; exitCode: number }> {
  const started = performance.now();
  const child: ChildProcess = spawn(command, args, { cwd, stdio: ['ignore', 'inherit', 'inherit'] });
  return new Promise((resolve) =>
    child.once('exit', (code) => resolve({ seconds: (performance.now() - started) / 1000, exitCode: code ?? 1 })),
  );
}

interface JestReport {
  testResults: {
    name: string;
    status: string;
    startTime: number;
    endTime: number;
    assertionResults: { status: string }[];
  }[];
}

/** Per project (test/<project>/..., bench/... is `bench`), from jest's --json report. */
export function projectFigures(report: JestReport, root: string): ProjectFigures[] {
  const byProject = new Map<string, JestReport['testResults']>();
  for (const result of report.testResults) {
    const relative = path.relative(root, result.name).split(path.sep);
    const project = relative[0] === 'test' ? (relative[1] as string) : (relative[0] as string);
    byProject.set(project, [...(byProject.get(project) ?? []), result]);
  }
  return [...byProject].map(([project, results]) => {
    const assertions = results.flatMap((result) => result.assertionResults);
    return {
      project,
      suites: results.length,
      tests: assertions.length,
      // A file that failed before any test ran (a syntax error, a failing beforeAll) counts as one failure.
      failed:
        assertions.filter((a) => a.status === 'failed').length +
        results.filter((r) => r.status === 'failed' && r.assertionResults.length === 0).length,
      skipped: assertions.filter((a) => a.status === 'pending' || a.status === 'skipped' || a.status === 'todo').length,
      wallSeconds: (Math.max(...results.map((r) => r.endTime)) - Math.min(...results.map((r) => r.startTime))) / 1000,
      fileSeconds: results.reduce((sum, r) => sum + (r.endTime - r.startTime), 0) / 1000,
    };
  });
}

export const KINDS = ['jest', 'moto', 'runners', 'chromium', 'checks', 'other'] as const;
export type ProcessKind = (typeof KINDS)[number];

/** The kind of a process from its command line: what the run's CPU is spent on. */
export function processKind(args: string): ProcessKind {
  // moto's launcher ends in `from moto.server import main`.
  if (/moto\.server/.test(args)) return 'moto';
  if (/lambdas\/local\/main\.(js|ts)/.test(args)) return 'runners';
  if (/chrom(e|ium)/.test(args)) return 'chromium';
  if (/jest/.test(args)) return 'jest';
  // What npm test runs before jest: the linters, the typecheck and the build.
  if (/biome|depcruise|tsc|vite|fold-models/.test(args)) return 'checks';
  return 'other';
}

/** The machine's busy and idle CPU seconds (all cores) from /proc/stat, from now until `since()`. */
function machineCpu(): { since(): { busy: number; idle: number } } {
  const read = () => {
    // cpu  user nice system idle iowait irq softirq steal ...
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]?.trim().split(/\s+/).slice(1).map(Number) ?? [];
    const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
    const total = fields.slice(0, 8).reduce((sum, value) => sum + value, 0);
    return { busy: total - idle, idle };
  };
  const start = read();
  const ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  return {
    since: () => {
      const end = read();
      return { busy: (end.busy - start.busy) / ticks, idle: (end.idle - start.idle) / ticks };
    },
  };
}

/** Distinct moto servers, local runners and Chromium browsers seen in `ps` until stopped, and the CPU per kind. */
function sampleProcesses(): { stop(): { processes: LoopRun['processes']; byKind: CpuFigures['byKind'] } } {
  const parents = new Map<string, string>();
  const seen = { moto: new Set<string>(), runners: new Set<string>(), chromium: new Set<string>() };
  const cpu = new Map<string, { kind: ProcessKind; seconds: number }>();
  const ours = new Set<string>([String(process.pid)]);
  const timer = setInterval(() => {
    const lines = execFileSync('ps', ['-eo', 'pid=,ppid=,times=,args='], { encoding: 'utf8' }).split('\n');
    for (const line of lines) {
      const [pid, ppid, times] = line.trim().split(/\s+/);
      if (!pid || !ppid || !times) continue;
      const args = line.trim().split(/\s+/).slice(3).join(' ');
      parents.set(pid, ppid);
      // moto's launcher ends in `from moto.server import main`; the version probe imports it too, and is not one.
      if (/moto\.server/.test(line) && !/print\(moto\.__version__\)/.test(line)) seen.moto.add(pid);
      if (/lambdas\/local\/main\.(js|ts)/.test(line)) seen.runners.add(pid);
      // The browser itself: its renderers and helpers carry --type=, its crash handler is another binary.
      if (/chromium/.test(line) && !/--type=|crashpad/.test(line)) seen.chromium.add(pid);
      // Only npm test's descendants (detached runners keep their parent until it exits: they are seen before).
      if (ours.has(ppid)) ours.add(pid);
      if (!ours.has(pid) || pid === String(process.pid) || /^ps /.test(args)) continue;
      // The kind from the latest command line: a spawned process shows its parent's until it execs (the run's
      // moto was counted as jest in one run), and its CPU is what it became.
      cpu.set(pid, { kind: processKind(args), seconds: Number(times) });
    }
  }, 500);
  // `npm start` (tsx) is a process whose child runs the same script: count the outer one only.
  const outermost = (pids: Set<string>) => [...pids].filter((pid) => !pids.has(parents.get(pid) ?? '')).length;
  return {
    stop: () => {
      clearInterval(timer);
      const byKind = Object.fromEntries(KINDS.map((kind) => [kind, 0])) as CpuFigures['byKind'];
      for (const { kind, seconds } of cpu.values()) byKind[kind] += seconds;
      return {
        processes: { moto: outermost(seen.moto), runners: outermost(seen.runners), chromium: outermost(seen.chromium) },
        byKind,
      };
    },
  };
}
