import { formatDate } from '../../format';
import type { BackfillRun } from '../../types';
import { progressText } from './progress';

/* One backfill run: where it reads, its status, a progress bar over what its map listed, and its counts. */

/** The outcomes an object can end with: together, how far the run has come. */
const OUTCOMES = ['processed', 'rejected', 'skipped', 'placeholders', 'missing', 'failed'] as const;

const COUNTS: Array<[keyof BackfillRun, string]> = [
  ['listed', 'Listed'],
  ['queued', 'Queued'],
  ['processed', 'Processed'],
  ['rejected', 'Rejected'],
  ['skipped', 'Skipped'],
  ['placeholders', 'Placeholders'],
  ['missing', 'Missing'],
  ['failed', 'Failed'],
  ['inFlight', 'In flight'],
];

/** Still changing: the execution runs, or the processor has queued objects left. */
export function stillMoving(run: BackfillRun | undefined): boolean {
  return !run || run.status === 'RUNNING' || run.inFlight > 0;
}

function statusInWords(run: BackfillRun): { word: string; tone: string } {
  if (run.done) return { word: 'Done', tone: 'processed' };
  if (run.status === 'RUNNING') return { word: 'Running', tone: 'pending' };
  if (run.status === 'SUCCEEDED') return { word: 'Processing', tone: 'pending' };
  if (run.status === 'FAILED' || run.status === 'TIMED_OUT') return { word: 'Failed', tone: 'failed' };
  if (run.status === 'ABORTED') return { word: 'Stopped', tone: 'rejected' };
  return { word: run.status, tone: 'pending' };
}

export function RunItem({ run }: { run: BackfillRun }) {
  const finished = OUTCOMES.reduce((sum, outcome) => sum + run[outcome], 0);
  const where = `${run.bucket}/${run.prefix}`;
  const { word, tone } = statusInWords(run);
  return (
    <li class="backfill" data-run-id={run.id} data-status={run.status} aria-label={`Backfill of ${where}`}>
      <div class="upload-head">
        <code class="wrap">{where}</code>
        <span class={`badge ${tone}`}>{word}</span>
      </div>
      <p class="muted">
        Started {formatDate(run.startedAt)}
        {run.owner && ` · owner ${run.owner}`}
        {run.regroupFaces ? ' · re-grouping faces' : run.reprocess && ' · re-analysing'} · <code>{run.id}</code>
      </p>
      <progress aria-label={`Progress of ${where}`} max={Math.max(run.listed, 1)} value={finished} />
      <p class="muted" data-progress>
        {progressText(run)}
      </p>
      {run.error && (
        <p class="error">
          {run.error}
          {run.cause && `: ${run.cause}`}
        </p>
      )}
      <dl class="counts" aria-label={`Counts of ${where}`}>
        {COUNTS.map(([key, label]) => (
          <div key={key}>
            <dt>{label}</dt>
            <dd>{String(run[key])}</dd>
          </div>
        ))}
      </dl>
    </li>
  );
}
