import { RUN_OUTCOMES } from '../../backfill/run-keys';
import { inFlight, type RunCounts } from '../../backfill/run-status';
import { errorText } from '../deployment-target';

/** A backfill execution as DescribeExecution tells it. */
export interface ExecutionState {
  /** RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED, PENDING_REDRIVE. */
  status: string;
  error?: string;
  cause?: string;
}

/** Its Distributed Map's run, as DescribeMapRun counts its items: listed, and those whose batch could not be queued. */
export interface MapItems {
  total: number;
  failed: number;
}

/** How the wait reads a run: its execution, its map run (undefined until the map has started), its counts. */
export interface RunReader {
  execution(): Promise<ExecutionState>;
  mapItems(): Promise<MapItems | undefined>;
  counts(): Promise<RunCounts>;
}

/** What was known of the run at one poll. */
export interface Snapshot {
  status: string;
  /** Objects the map listed; undefined until its map run is there. */
  listed?: number;
  /** Listed objects whose batch SQS kept refusing: never queued (the map's tolerated failures). */
  notQueued: number;
  counts: RunCounts;
  elapsedMs: number;
}

/**
 * How the wait ended: the run finished (SUCCEEDED, nothing in flight), its execution stopped otherwise, --timeout
 * passed, Ctrl-C, or the run could no longer be read (`lostBecause`).
 */
export type FollowEnd = 'finished' | 'failed' | 'timedOut' | 'interrupted' | 'lost';

export type FollowResult = Snapshot & { end: FollowEnd; error?: string; cause?: string; lostBecause?: string };

/** Where each snapshot goes: a progress line (backfill-progress.ts). */
export interface ProgressSink {
  update(snapshot: Snapshot): void;
  /** The wait is over: leave the terminal on a fresh line. */
  close(): void;
}

export interface FollowOptions {
  timeoutMs: number;
  pollMs: number;
  signal: AbortSignal;
  progress: ProgressSink;
  now?: () => number;
}

/** Polls in a row that may fail (a dropped connection, throttling) before the wait gives up on the run. */
const MAX_MISSES = 3;

/**
 * Waits for a backfill run to finish, reporting each poll to `progress`.
 *
 * 1. Read the execution's status first, then the map run's items and the run's counts: once SUCCEEDED has been
 *    read, every batch has added to `queued`, so counts read after it are complete.
 * 2. Finished when SUCCEEDED and nothing queued is still without an outcome: the processor works after the state
 *    machine ends, at the queue's pace.
 * 3. Any other status but RUNNING ends the wait with the execution's error and cause.
 */
export async function followRun(reader: RunReader, options: FollowOptions): Promise<FollowResult> {
  const now = options.now ?? Date.now;
  const started = now();
  const zero = Object.fromEntries(['queued', ...RUN_OUTCOMES].map((name) => [name, 0])) as RunCounts;
  let last: Snapshot = { status: 'RUNNING', notQueued: 0, counts: zero, elapsedMs: 0 };
  let misses = 0;
  try {
    for (;;) {
      if (options.signal.aborted) return { ...last, end: 'interrupted' };
      try {
        const execution = await reader.execution();
        const [items, counts] = await Promise.all([reader.mapItems(), reader.counts()]);
        misses = 0;
        last = {
          status: execution.status,
          listed: items?.total,
          notQueued: items?.failed ?? 0,
          counts,
          elapsedMs: now() - started,
        };
        options.progress.update(last);
        if (execution.status === 'SUCCEEDED' && inFlight(counts) === 0) return { ...last, end: 'finished' };
        if (execution.status !== 'RUNNING' && execution.status !== 'SUCCEEDED') {
          return { ...last, end: 'failed', error: execution.error, cause: execution.cause };
        }
      } catch (error) {
        if (++misses >= MAX_MISSES) return { ...last, end: 'lost', lostBecause: errorText(error) };
      }
      if (now() - started >= options.timeoutMs) return { ...last, elapsedMs: now() - started, end: 'timedOut' };
      await sleep(options.pollMs, options.signal);
    }
  } finally {
    options.progress.close();
  }
}

/** The counts as the summary and a plain progress line give them. */
export function countsText({ listed, notQueued, counts }: Snapshot): string {
  const parts = [`${listed ?? '?'} listed`, `${counts.queued} queued`];
  if (notQueued > 0) parts.push(`${notQueued} not queued`);
  for (const outcome of RUN_OUTCOMES) parts.push(`${counts[outcome]} ${outcome}`);
  return parts.join(', ');
}

/** Objects the processor has an outcome for. */
export function doneOf(counts: RunCounts): number {
  return counts.queued - inFlight(counts);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
