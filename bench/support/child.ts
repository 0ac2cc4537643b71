/** Starts benchmark children and speaks their side of the protocol in `protocol.ts`. */
import { spawn } from 'node:child_process';
import path from 'node:path';
import type { Job, JobResult } from './protocol';

export const PYTHON = '/usr/bin/python3';
const ROOT = path.join(__dirname, '..', '..');
const PILLOW = path.join(__dirname, '..', 'core', 'pillow_core.py');

export interface Child {
  ready: Promise<void>;
  go(): void;
  result: Promise<JobResult>;
}

/**
 * Spawns the child for a job: Python for Pillow, Node with the tsx loader for everything else, from `tree`'s
 * bench/core/worker.ts (another commit's worktree, bench/support/baseline.ts; this one by default).
 */
export function startChild(job: Job, env: NodeJS.ProcessEnv = {}, tree = ROOT): Child {
  const pillow = 'contender' in job && job.contender === 'pillow';
  const [command, args] = pillow
    ? [PYTHON, [PILLOW, JSON.stringify(job)]]
    : [process.execPath, ['--import', 'tsx', path.join(tree, 'bench/core/worker.ts'), JSON.stringify(job)]];
  const child = spawn(command, args, {
    cwd: tree,
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    if (stdout.includes('READY\n')) markReady();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const result = new Promise<JobResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      const line = stdout.split('\n').find((l) => l.startsWith('RESULT '));
      if (code !== 0 || !line) {
        reject(new Error(`${path.basename(args[0] as string)} ${job.kind} exited ${code}: ${stderr.slice(-2000)}`));
        return;
      }
      resolve(JSON.parse(line.slice('RESULT '.length)) as JobResult);
    });
  });
  // A child that dies before READY must not leave the caller waiting for it.
  result.catch(() => markReady());
  return { ready, go: () => child.stdin.end('go\n'), result };
}

/** Runs one job alone: start, wait for READY, go, result. */
export async function runJob<R extends JobResult>(job: Job, env: NodeJS.ProcessEnv = {}, tree = ROOT): Promise<R> {
  const child = startChild(job, env, tree);
  await child.ready;
  child.go();
  return (await child.result) as R;
}

/** Runs jobs side by side, released together once all are warm; returns results and the common wall time. */
export async function runTogether<R extends JobResult>(
  jobs: Job[],
  env: NodeJS.ProcessEnv = {},
  tree = ROOT,
): Promise<{ results: R[]; wallMs: number }> {
  const children = jobs.map((job) => startChild(job, env, tree));
  await Promise.all(children.map((c) => c.ready));
  const started = performance.now();
  for (const c of children) c.go();
  const results = (await Promise.all(children.map((c) => c.result))) as R[];
  return { results, wallMs: performance.now() - started };
}
