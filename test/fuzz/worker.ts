/**
 * The child process the runner feeds inputs to, one at a time over IPC. It can be killed at any point (timeout,
 * memory bound) or die on its own (native crash, heap exhaustion); the sandbox then starts a new one.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import sharp from 'sharp';
import type { AnalyzeOptions } from '../../lambdas/core/options';
import { judge, type Verdict } from './judge';

export interface WorkerRequest {
  id: number;
  bytes: Uint8Array;
}

export interface WorkerReply {
  id: number;
  verdict: Verdict;
  ms: number;
  /** Peak resident memory of this process while it analysed this input. */
  peakRssMb: number;
}

const options = JSON.parse(process.argv[2] ?? '{}') as AnalyzeOptions;

// libvips' operation cache would carry state (and memory) from one input to the next: each must stand alone to
// replay the same way, and its peak RSS must be its own.
sharp.cache(false);

/** Writing 5 to clear_refs resets VmHWM (Linux 4.0+), so VmHWM after an input is that input's peak. */
function resetPeak(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

function peakRssMb(): number {
  try {
    const status = readFileSync('/proc/self/status', 'utf8');
    const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1]);
    if (Number.isFinite(kb)) return Math.round(kb / 1024);
  } catch {
    // Not Linux: fall through to the current RSS.
  }
  return Math.round(process.memoryUsage.rss() / 1024 / 1024);
}

/**
 * A promise the core leaves rejected with no one listening would end a Lambda (Node exits on an unhandled
 * rejection); here it is caught and charged to the input that caused it, which the process then survives.
 */
let stray: string | undefined;
const noteStray = (what: string) => (error: unknown) => {
  stray ??= `${what}: ${error instanceof Error ? error.message : String(error)}`.split('\n')[0];
};
process.on('unhandledRejection', noteStray('unhandled rejection'));
process.on('uncaughtException', noteStray('uncaught exception'));

process.on('message', async ({ id, bytes }: WorkerRequest) => {
  resetPeak();
  stray = undefined;
  const started = performance.now();
  let verdict = await judge(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), options);
  const ms = performance.now() - started;
  // Unhandled rejections are reported after the microtask queue drains: give them one turn to show up.
  await new Promise((resolve) => setImmediate(resolve));
  if (stray) verdict = { kind: 'CRASH', detail: stray };
  const reply: WorkerReply = { id, verdict, ms, peakRssMb: peakRssMb() };
  process.send?.(reply);
});

process.send?.({ ready: true });
