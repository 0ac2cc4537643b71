import { renderText, summarise } from '../../support/load/report';
import { type LoadRun, runLoad } from '../../support/load/run';
import type { Lifecycle } from './lifecycle';

/**
 * The load run of `npm run load` (bench/load/main.ts) at a small size that still takes its whole path (a steady phase,
 * then a burst, on a runner processing two batches at once). It asserts what the pipeline owes every upload (one
 * final record, one event) and only logs the speed: timings on a shared CI machine prove nothing. The figures at full
 * size (1,000 uploads) are the bench's, bench/load/results.md.
 *
 * The lifecycle's first phase, on its fresh runner (behind the proxy, with no faults): what it checks is the queue and
 * the bus as a whole (the ingest queue empty at the end, the poller's count since the runner started, no completion
 * event for an image it did not upload), which only holds while nothing else uploads to the runner, so no other file
 * may share it and no phase runs before this one.
 */
const UPLOADS = 40;
const BURST = 10;
const RATE = 2.5;

export function loadPhase(life: Lifecycle): void {
  describe('sustained load on the local pipeline', () => {
    let run: LoadRun;
    let summary: ReturnType<typeof summarise>;

    beforeAll(async () => {
      const started = Date.now();
      const { token } = await life.clients('load');
      run = await runLoad({
        uploads: UPLOADS,
        rate: RATE,
        burst: BURST,
        on: { runner: life.runner, endpoint: life.endpoint, bearerToken: token },
      });
      summary = summarise(run, `${UPLOADS} uploads: ${UPLOADS - BURST} at ${RATE}/s, then ${BURST} at once`);
      console.log(`${renderText(summary)}\n  test runtime ${((Date.now() - started) / 1000).toFixed(0)} s`);
    });

    it('sends every upload: the API and S3 accept all of them', () => {
      expect(run.samples.filter((s) => s.error).map((s) => s.error)).toEqual([]);
      expect(new Set(run.samples.map((s) => s.imageId)).size).toBe(UPLOADS);
    });

    it('ends every upload PROCESSED, none lost', () => {
      expect(summary.statuses).toEqual({ PROCESSED: UPLOADS });
      expect(summary.lost).toBe(0);
      expect(summary.accountedFor).toBe(true);
    });

    it('publishes exactly one Image Processed per image, and nothing else', () => {
      const unexpected = run.samples.filter((s) => s.events.length !== 1 || s.events[0]?.type !== 'Image Processed');
      expect(unexpected.map((s) => ({ imageId: s.imageId, events: s.events }))).toEqual([]);
      expect(summary.duplicated).toBe(0);
      expect(summary.strayEvents).toBe(0);
    });

    it('leaves the ingest queue empty', () => {
      // Once failed on a loaded machine with every image done: a failure shows the poller's counts and the runner's
      // last lines (a delete it could not make leaves its message in flight until the visibility timeout).
      const runner = { poller: run.poller, log: run.runnerLogTail.slice(-3000) };
      expect({ drained: summary.queueDrained, ...runner }).toEqual({ drained: true, ...runner });
      expect(run.poller?.succeeded).toBeGreaterThanOrEqual(UPLOADS);
    });
  });
}
