import { RUN_OUTCOMES } from '../../backfill/run-keys';
import { countsText, doneOf, type ProgressSink, type Snapshot } from './follow';

/** A plain line at least this often while nothing changes, so a log shows the wait is alive. */
const HEARTBEAT_MS = 10_000;
const BAR_WIDTH = 24;

/**
 * On a terminal, one line rewritten in place: a bar of the objects the processor is done with (of those listed,
 * or queued until the listing is known), the status, the counts.
 */
export function terminalProgress(stream: NodeJS.WriteStream): ProgressSink {
  let drawn = false;
  return {
    update(snapshot) {
      const line = barLine(snapshot);
      const width = stream.columns ?? 120;
      // \r and clear the line, so a shorter line leaves nothing of a longer one behind.
      stream.write(`\r\x1b[2K${line.length > width - 1 ? line.slice(0, width - 1) : line}`);
      drawn = true;
    },
    close() {
      if (drawn) stream.write('\n');
      drawn = false;
    },
  };
}

/** Anywhere else (a pipe, a CI log): a plain line when the status or a count changed, else every 10 s. */
export function plainProgress(out: (line: string) => void): ProgressSink {
  let previous = '';
  let printedAt = Number.NEGATIVE_INFINITY;
  return {
    update(snapshot) {
      const state = `${snapshot.status}: ${countsText(snapshot)}`;
      if (state === previous && snapshot.elapsedMs - printedAt < HEARTBEAT_MS) return;
      out(`${seconds(snapshot.elapsedMs).padStart(7)}  ${state}`);
      previous = state;
      printedAt = snapshot.elapsedMs;
    },
    close() {},
  };
}

/** `[#########---------------] 9/21  RUNNING 4.0 s  21 queued, 8 processed, 1 rejected`: counts of 0 left out. */
export function barLine(snapshot: Snapshot): string {
  const { counts, listed, status } = snapshot;
  const done = doneOf(counts);
  const total = Math.max(listed ?? counts.queued, done);
  const filled = total === 0 ? 0 : Math.round((done / total) * BAR_WIDTH);
  const bar = `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}]`;
  const named = [`${counts.queued} queued`];
  if (snapshot.notQueued > 0) named.push(`${snapshot.notQueued} not queued`);
  for (const outcome of RUN_OUTCOMES) if (counts[outcome] > 0) named.push(`${counts[outcome]} ${outcome}`);
  return `${bar} ${done}/${listed ?? '?'}  ${status} ${seconds(snapshot.elapsedMs)}  ${named.join(', ')}`;
}

/** `12.3 s`. */
export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
