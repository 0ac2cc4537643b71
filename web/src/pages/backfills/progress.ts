import type { BackfillPage, BackfillRun } from '../../types';

/*
 * A run's progress in words, from its counters (backfill/run-status.ts): what its map listed, what it queued, what
 * the processor has finished, and what is still moving. The execution's own status says only that the listing and
 * queueing are over: SUCCEEDED with 0 processed is a run whose images are still with the processor.
 */

/** Outcomes besides `processed`, as the line names them. */
const OTHER_OUTCOMES = [
  ['rejected', 'rejected'],
  ['skipped', 'skipped'],
  ['placeholders', 'placeholders'],
  ['missing', 'missing'],
  ['failed', 'failed'],
] as const;

/** `Listed 9 · processed 3 of 9 · 1 rejected · 5 processing`: zero counts left out, the state last. */
export function progressText(run: BackfillRun): string {
  const total = Math.max(run.listed, run.queued);
  const parts = [`Listed ${run.listed}`];
  if (run.queued !== run.listed) parts.push(`queued ${run.queued}`);
  parts.push(`processed ${run.processed} of ${total}`);
  for (const [key, word] of OTHER_OUTCOMES) if (run[key] > 0) parts.push(`${run[key]} ${word}`);
  parts.push(stateOf(run));
  return parts.join(' · ');
}

function stateOf(run: BackfillRun): string {
  if (run.done) return 'done';
  if (run.status === 'RUNNING') return run.inFlight > 0 ? `listing, ${run.inFlight} processing` : 'listing';
  if (run.status === 'SUCCEEDED') return `${run.inFlight} processing`;
  const stopped = run.status === 'ABORTED' ? 'stopped' : 'failed';
  return run.inFlight > 0 ? `listing ${stopped}, ${run.inFlight} processing` : `listing ${stopped}`;
}

/** `images/uploads/`, `old-photos (whole bucket)`, `archive/scans/ (owner alice)`. */
export function sourceText(source: BackfillPage['sources'][number]): string {
  const where = source.prefix ? `${source.bucket}/${source.prefix}` : `${source.bucket} (whole bucket)`;
  return source.owner ? `${where} (owner ${source.owner})` : where;
}
