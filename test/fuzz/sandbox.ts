/**
 * Runs inputs in a long-lived child process (test/fuzz/worker.ts) under a time and a memory bound, so a hang, an
 * abort or a runaway allocation is a reported finding instead of the end of the run.
 *
 * - Time: a timer per input; on expiry the child is killed (SIGKILL) and the input is a TIMEOUT.
 * - Memory: V8's heap is capped by --max-old-space-size; native memory (libvips, libheif's WASM heap) is watched
 *   from here through /proc/<pid>/statm, and the child is killed past the bound (an OOM finding).
 * - A child that exits on its own is a CRASH (or an OOM when V8 says its heap ran out).
 * The next input gets a fresh child; restarts are counted.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AnalyzeOptions } from '../../lambdas/core/options';
import type { Verdict } from './judge';
import type { WorkerReply } from './worker';

export interface SandboxOptions {
  /** Per-input bound; default 10 s. */
  timeoutMs?: number;
  /** Resident memory bound for the child, in MiB; default 1024, half the processor Lambda's 2048 MB. */
  maxRssMb?: number;
  /** V8 old-space cap for the child, in MiB; default 512. */
  heapMb?: number;
  /** Passed to analyzeImage; default the production defaults. */
  analyzeOptions?: AnalyzeOptions;
}

export interface CaseResult {
  verdict: Verdict;
  ms: number;
  peakRssMb: number;
}

const ROOT = join(__dirname, '..', '..');
const WORKER = join(__dirname, 'worker.ts');
const PAGE_BYTES = 4096;
const WATCH_EVERY_MS = 25;

function residentMb(pid: number | undefined): number {
  try {
    const pages = Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]);
    return Number.isFinite(pages) ? (pages * PAGE_BYTES) / 1024 / 1024 : 0;
  } catch {
    return 0;
  }
}

export class Sandbox {
  restarts = 0;
  private child?: ChildProcess;
  private ready?: Promise<void>;
  private stderr = '';
  private nextId = 0;
  private readonly timeoutMs: number;
  private readonly maxRssMb: number;
  private readonly heapMb: number;
  private readonly analyzeOptions: AnalyzeOptions;

  constructor(options: SandboxOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.maxRssMb = options.maxRssMb ?? 1024;
    this.heapMb = options.heapMb ?? 512;
    this.analyzeOptions = options.analyzeOptions ?? {};
  }

  /** Starts the child if there is none; resolves once it has loaded sharp and the core. */
  private start(): Promise<void> {
    if (this.child && this.ready) return this.ready;
    this.stderr = '';
    const child = fork(WORKER, [JSON.stringify(this.analyzeOptions)], {
      cwd: ROOT,
      execArgv: ['--import', 'tsx', `--max-old-space-size=${this.heapMb}`],
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      // As the processor Lambda runs (lib/constructs/image-processor.ts): glibc's default per-thread arenas keep
      // freed libvips buffers resident, which would read as growth from one input to the next.
      env: { ...process.env, MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '2' },
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString()).slice(-4000);
    });
    this.child = child;
    this.ready = new Promise<void>((resolve, reject) => {
      const onExit = (code: number | null) =>
        reject(new Error(`fuzz worker exited ${code} while starting: ${this.stderr}`));
      child.once('exit', onExit);
      child.once('message', () => {
        child.off('exit', onExit);
        resolve();
      });
    });
    return this.ready;
  }

  private discard(): void {
    this.child?.removeAllListeners();
    this.child?.kill('SIGKILL');
    this.child = undefined;
    this.ready = undefined;
  }

  /** Runs one input; never throws for anything the input does to the child. */
  async run(bytes: Buffer): Promise<CaseResult> {
    await this.start();
    const child = this.child as ChildProcess;
    const id = this.nextId++;
    const started = performance.now();
    let peakSampled = 0;
    const result = await new Promise<CaseResult>((resolve) => {
      const finish = (outcome: CaseResult, dead: boolean) => {
        clearTimeout(timer);
        clearInterval(watch);
        child.off('message', onMessage);
        child.off('close', onExit);
        if (dead) {
          this.discard();
          this.restarts++;
        }
        resolve(outcome);
      };
      const elapsed = () => performance.now() - started;
      const onMessage = (reply: WorkerReply) => {
        if (reply.id !== id) return;
        finish({ verdict: reply.verdict, ms: reply.ms, peakRssMb: Math.max(reply.peakRssMb, peakSampled) }, false);
      };
      const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
        const heap = /heap out of memory|Reached heap limit/i.test(this.stderr);
        const last = this.stderr.trim().split('\n').slice(-3).join(' | ');
        const detail = `exit ${code ?? signal}${last ? `: ${last}` : ''}`;
        finish({ verdict: { kind: heap ? 'OOM' : 'CRASH', detail }, ms: elapsed(), peakRssMb: peakSampled }, true);
      };
      const timer = setTimeout(() => {
        finish(
          { verdict: { kind: 'TIMEOUT', detail: `over ${this.timeoutMs} ms` }, ms: elapsed(), peakRssMb: peakSampled },
          true,
        );
      }, this.timeoutMs);
      const watch = setInterval(() => {
        const rss = residentMb(child.pid);
        peakSampled = Math.max(peakSampled, Math.round(rss));
        if (rss > this.maxRssMb) {
          const detail = `resident ${Math.round(rss)} MiB, over the ${this.maxRssMb} MiB bound`;
          finish({ verdict: { kind: 'OOM', detail }, ms: elapsed(), peakRssMb: peakSampled }, true);
        }
      }, WATCH_EVERY_MS);
      child.on('message', onMessage);
      // 'close', not 'exit': by then the child's last words on stderr have arrived.
      child.once('close', onExit);
      child.send({ id, bytes });
    });
    return result;
  }

  /** Resident memory of the current child in MiB (0 if none): to see whether it grows over a long run. */
  residentMb(): number {
    return Math.round(residentMb(this.child?.pid));
  }

  close(): void {
    this.child?.removeAllListeners();
    this.child?.disconnect();
    this.child?.kill();
    this.child = undefined;
    this.ready = undefined;
  }
}
