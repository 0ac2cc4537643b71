import { useEffect, useRef, useState } from 'preact/hooks';
import { api, errorMessage, isAbort } from '../api';
import { useTitle } from '../title';
import type { BackfillPage, BackfillRun } from '../types';
import { sourceText } from './backfills/progress';
import { RunItem, stillMoving } from './backfills/run';
import { StartForm } from './backfills/start-form';

/** How often the page asks again while a run is still moving. */
const POLL_MS = 2000;

/**
 * An admin's backfills (GET /backfills, then GET /backfills/{id} for each run's counts), newest first, refreshed
 * while any is still running or has objects in flight; a run that has settled is not asked for again.
 */
export function Backfills() {
  useTitle('Backfills');
  const [runs, setRuns] = useState<BackfillPage['items']>();
  const [sources, setSources] = useState<BackfillPage['sources']>();
  const [details, setDetails] = useState<Record<string, BackfillRun>>({});
  const known = useRef(details);
  const [problem, setProblem] = useState<string>();
  const [round, setRound] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    void (async () => {
      try {
        const page = await api.listBackfills(controller.signal);
        const stale = page.items.filter((run) => {
          const detail = known.current[run.id];
          return stillMoving(detail) || detail?.status !== run.status;
        });
        const fresh = await Promise.all(stale.map((run) => api.getBackfill(run.id, controller.signal)));
        known.current = { ...known.current, ...Object.fromEntries(fresh.map((run) => [run.id, run])) };
        setDetails(known.current);
        setRuns(page.items);
        setSources(page.sources);
        setProblem(undefined);
      } catch (error) {
        if (!isAbort(error)) setProblem(errorMessage(error));
      }
    })();
    return () => controller.abort();
  }, [round]);

  const moving = runs?.some((run) => stillMoving(details[run.id])) ?? false;
  useEffect(() => {
    if (!moving && !problem) return;
    const timer = setTimeout(() => setRound((n) => n + 1), POLL_MS);
    return () => clearTimeout(timer);
  }, [moving, problem, details]);

  return (
    <section>
      <h1>Backfills</h1>
      <p class="muted">
        Bring photos already in S3 through the pipeline: the pipeline's own uploads, or a bucket the stack was deployed
        with as a source (<code>-c sourceBuckets=bucket[/prefix][=owner]</code>; another is refused).
      </p>
      <h2>Start a backfill</h2>
      {sources && (
        <>
          <p id="backfill-sources">This deployment may backfill from:</p>
          <ul aria-labelledby="backfill-sources">
            {sources.map((source) => (
              <li key={`${source.bucket}/${source.prefix}`}>
                <code>{sourceText(source)}</code>
              </li>
            ))}
          </ul>
        </>
      )}
      <StartForm onStarted={() => setRound((n) => n + 1)} />
      <h2>Runs</h2>
      {problem && (
        <p class="error" role="alert">
          {problem}
        </p>
      )}
      {runs === undefined ? (
        !problem && <p class="muted">Loading…</p>
      ) : runs.length === 0 ? (
        <p class="muted">No backfill has run yet.</p>
      ) : (
        <ul class="uploads" aria-label="Backfill runs">
          {runs.map((run) => {
            const detail = details[run.id];
            return detail ? <RunItem key={run.id} run={detail} /> : null;
          })}
        </ul>
      )}
    </section>
  );
}
