import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** What one ref's `npm ci` then `npm test` (what .ci/run runs) cost on a fresh clone. */
export interface LoopRun {
  ref: string;
  commit: string;
  /** A fixed single-threaded CPU workload timed just before npm ci: the same code takes longer on a slower or
   * busier host, so two runs' wall times compare only beside it. */
  calibrationSeconds: number;
  /** The same workload in two processes at once, one a core: near `calibrationSeconds` when the two cores are the
   * VM's own, longer when they share their host's (older runs have none). */
  calibrationBothSeconds?: number;
  npmCiSeconds: number;
  npmTestSeconds: number;
  /** npm test's exit code: a red run is recorded, never hidden. */
  exitCode: number;
  projects: ProjectFigures[];
  /** Distinct processes seen while npm test ran (/proc sampled every 500 ms). */
  processes: { moto: number; runners: number; chromium: number };
  /** Where npm test's CPU went, in CPU seconds: the machine's busy and idle time while it ran (/proc/stat), and the
   * share of the busy time each kind of process was seen using (its last sampled CPU time; a process living under
   * 500 ms is missed, so the kinds add up to a little less than `busy`). */
  cpu: CpuFigures;
}

export interface CpuFigures {
  busy: number;
  idle: number;
  /** Of `busy`, the time the host ran something else while this VM had work (/proc/stat's steal; older runs have
   * none). */
  steal?: number;
  byKind: Record<ProcessKind, number>;
  /**
   * The processes that used the most CPU, most first: what to look at next (their command lines cut at 300), each
   * with `parent`, the command line of the process that started it (what ran an esbuild service or a Python), if seen.
   */
  top: { kind: ProcessKind; seconds: number; args: string; parent?: string }[];
  /** The test files that used the most CPU, most first: their worker's CPU and that of the processes they started
   * and waited for (test/node-environment.js, IMAGE_INTEL_CPU_LOG), in CPU seconds. */
  topFiles: { file: string; self: number; children: number }[];
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
    const calibrationSeconds = calibrate();
    const calibrationBothSeconds = await calibrateBoth();
    log(
      `${ref} (${commit}) in ${dir}: npm ci (the fixed workload took ${calibrationSeconds.toFixed(2)} s, ` +
        `${calibrationBothSeconds.toFixed(2)} s on both cores at once)`,
    );
    const install = await timed('npm', ['ci'], dir);
    if (install.exitCode !== 0) throw new Error(`npm ci failed in ${dir} (${install.exitCode})`);
    const report = path.join(dir, 'jest-report.json');
    log(`${ref}: npm test`);
    const sampler = sampleProcesses();
    const machine = machineCpu();
    const cpuLog = path.join(dir, 'cpu-per-file.jsonl');
    const test = await timed('npm', ['test', '--', '--json', `--outputFile=${report}`], dir, {
      IMAGE_INTEL_CPU_LOG: cpuLog,
    });
    const { processes, byKind, top } = sampler.stop();
    const { busy, idle, steal } = machine.since();
    // The per-file report and CPU log outlive the clone, for a closer look (which files took longest, what failed).
    if (existsSync(report)) copyFileSync(report, path.join(tmpdir(), `test-loop-${commit}-report.json`));
    if (existsSync(cpuLog)) copyFileSync(cpuLog, path.join(tmpdir(), `test-loop-${commit}-cpu-per-file.jsonl`));
    return {
      ref,
      commit,
      calibrationSeconds,
      calibrationBothSeconds,
      npmCiSeconds: install.seconds,
      npmTestSeconds: test.seconds,
      exitCode: test.exitCode,
      projects: existsSync(report) ? projectFigures(JSON.parse(readFileSync(report, 'utf8')), dir) : [],
      processes,
      cpu: { busy, idle, steal, byKind, top, topFiles: topFiles(cpuLog, dir) },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Seconds for a fixed workload: an integer loop and SHA-256 over 256 MB, as one thread. */
export function calibrate(): number {
  const started = performance.now();
  let x = 0;
  for (let i = 0; i < 300_000_000; i += 1) x = (x * 31 + i) | 0;
  const block = Buffer.alloc(32 << 20, x & 0xff);
  for (let i = 0; i < 8; i += 1) createHash('sha256').update(block).digest();
  return (performance.now() - started) / 1000;
}

/**
 * Seconds until two processes have each run `calibrate`'s workload, started together: what a CPU-bound run on both
 * cores gets. One thread's time says little of that here: the same code's `.ci/run` took 37 minutes on a host whose
 * single thread ran the workload in 2.34 s, and 19 on one that took 2.14 s.
 */
export async function calibrateBoth(): Promise<number> {
  const started = performance.now();
  const script = `require(${JSON.stringify(__filename)}).calibrate()`;
  await Promise.all(
    [0, 1].map(
      () =>
        new Promise<void>((resolve, reject) => {
          const child = spawn(process.execPath, [...process.execArgv, '-e', script], { stdio: 'ignore' });
          child.once('error', reject);
          child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`calibration exited ${code}`))));
        }),
    ),
  );
  return (performance.now() - started) / 1000;
}

/** How many of the files that used the most CPU a run lists. */
const TOP_FILES = 40;

/** The files of a run's CPU log (one JSON line per test file), by CPU most first, named from the clone's root. */
export function topFiles(log: string, root: string): CpuFigures['topFiles'] {
  if (!existsSync(log)) return [];
  return readFileSync(log, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as CpuFigures['topFiles'][number])
    .map((entry) => ({ ...entry, file: path.relative(root, entry.file) }))
    .sort((a, b) => b.self + b.children - (a.self + a.children))
    .slice(0, TOP_FILES);
}

function timed(
  command: string,
  args: string[],
  cwd: string,
  env: Record<string, string> = {},
): Promise<{ seconds: number; exitCode: number }> {
  const started = performance.now();
  const child: ChildProcess = spawn(command, args, {
    cwd,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, ...env },
  });
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

/** The machine's busy, idle and stolen CPU seconds (all cores) from /proc/stat, from now until `since()`. */
function machineCpu(): { since(): { busy: number; idle: number; steal: number } } {
  const read = () => {
    // cpu  user nice system idle iowait irq softirq steal ...
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]?.trim().split(/\s+/).slice(1).map(Number) ?? [];
    const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
    const total = fields.slice(0, 8).reduce((sum, value) => sum + value, 0);
    return { busy: total - idle, idle, steal: fields[7] ?? 0 };
  };
  const start = read();
  const ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  return {
    since: () => {
      const end = read();
      return {
        busy: (end.busy - start.busy) / ticks,
        idle: (end.idle - start.idle) / ticks,
        steal: (end.steal - start.steal) / ticks,
      };
    },
  };
}

/** A process as /proc/<pid>/stat and cmdline show it; `key` tells it from a later process given the same pid. */
export interface ProcessSample {
  pid: string;
  ppid: string;
  /** pid and start time: this machine's pids wrap at 32,768, and a 20-minute run starts more processes than that. */
  key: string;
  /** User and system CPU so far, in clock ticks. */
  ticks: number;
  args: string;
}

/** One process from its /proc/<pid>/stat line and its NUL-separated cmdline (undefined for a kernel thread). */
export function parseProcess(pid: string, stat: string, cmdline: string): ProcessSample | undefined {
  // The command name, in parentheses, may hold spaces: the fields after it are split from its closing one.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const args = cmdline.split('\0').join(' ').trim();
  if (!args) return undefined;
  const ppid = fields[1] ?? '0';
  const ticks = Number(fields[11] ?? 0) + Number(fields[12] ?? 0);
  return { pid, ppid, key: `${pid}@${fields[19] ?? 0}`, ticks, args };
}

function readProcesses(): ProcessSample[] {
  const found: ProcessSample[] = [];
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const sample = parseProcess(
        pid,
        readFileSync(`/proc/${pid}/stat`, 'utf8'),
        readFileSync(`/proc/${pid}/cmdline`, 'utf8'),
      );
      if (sample) found.push(sample);
    } catch {
      // It exited between the listing and the read.
    }
  }
  return found;
}

/** Distinct moto servers, local runners and Chromium browsers seen in /proc until stopped, and the CPU per kind. */
/** How many of the processes that used the most CPU a run lists (results.json). */
const TOP_PROCESSES = 30;

function sampleProcesses(): {
  stop(): { processes: LoopRun['processes']; byKind: CpuFigures['byKind']; top: CpuFigures['top'] };
} {
  const ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  const parents = new Map<string, string>();
  const seen = { moto: new Set<string>(), runners: new Set<string>(), chromium: new Set<string>() };
  const cpu = new Map<string, CpuFigures['top'][number]>();
  const ownKey = readProcesses().find((p) => p.pid === String(process.pid))?.key ?? '';
  const ours = new Set<string>([ownKey]);
  const timer = setInterval(() => {
    const processes = readProcesses();
    const byPid = new Map(processes.map((p) => [p.pid, p]));
    // npm test's own: a process whose parent (alive, or it would be init's) is, up the chain.
    const isOurs = (p: ProcessSample | undefined, depth = 0): boolean => {
      if (!p || depth > 64) return false;
      if (ours.has(p.key)) return true;
      const mine = isOurs(byPid.get(p.ppid), depth + 1);
      if (mine) ours.add(p.key);
      return mine;
    };
    for (const p of processes) {
      parents.set(p.key, byPid.get(p.ppid)?.key ?? '');
      if (!isOurs(p) || p.key === ownKey) continue;
      // moto's launcher ends in `from moto.server import main`; the version probe imports it too, and is not one.
      if (/moto\.server/.test(p.args) && !/print\(moto\.__version__\)/.test(p.args)) seen.moto.add(p.key);
      if (/lambdas\/local\/main\.(js|ts)/.test(p.args)) seen.runners.add(p.key);
      // The browser itself: its renderers and helpers carry --type=, its crash handler is another binary.
      if (/chromium/.test(p.args) && !/--type=|crashpad/.test(p.args)) seen.chromium.add(p.key);
      // The kind from the latest command line: a spawned process shows its parent's until it execs (the run's
      // moto was counted as jest in one run), and its CPU is what it became.
      const parent = byPid.get(p.ppid)?.args.slice(0, 200) ?? cpu.get(p.key)?.parent;
      cpu.set(p.key, {
        kind: processKind(p.args),
        seconds: p.ticks / ticksPerSecond,
        args: p.args.slice(0, 300),
        parent,
      });
    }
  }, 500);
  // `npm start` (tsx) is a process whose child runs the same script: count the outer one only.
  const outermost = (pids: Set<string>) => [...pids].filter((pid) => !pids.has(parents.get(pid) ?? '')).length;
  return {
    stop: () => {
      clearInterval(timer);
      const byKind = Object.fromEntries(KINDS.map((kind) => [kind, 0])) as CpuFigures['byKind'];
      for (const { kind, seconds } of cpu.values()) byKind[kind] += seconds;
      const top = [...cpu.values()].sort((a, b) => b.seconds - a.seconds).slice(0, TOP_PROCESSES);
      return {
        processes: { moto: outermost(seen.moto), runners: outermost(seen.runners), chromium: outermost(seen.chromium) },
        byKind,
        top,
      };
    },
  };
}
