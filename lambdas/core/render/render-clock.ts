/**
 * The time a render may take, shared by its pipelines: sharp stops a pipeline after whole seconds
 * (`.timeout({ seconds })`), so each one is given what is left of the render's time when it starts.
 *
 * A backstop, not the bound: libvips checks its stop signal as rows are written, so a pipeline stops some time after
 * its limit (a median 9 and blur 100 on 9 MP of noise under a 1 s limit stopped after about 3 s on 2 cores), and
 * the AVIF and PNG encoders do not heed it at all. What bounds a render is the work budget checked when its URL is
 * signed (render-cost.ts); this catches an estimate that fell short, before the function's own timeout.
 */

/**
 * A render that ran out of its time: libvips was told to stop and did. A 503: the spec was within the budget, so
 * this is the estimate falling short (or a slow machine), not the client's fault.
 */
export class RenderTimeoutError extends Error {
  override readonly name = 'RenderTimeoutError';
}

export interface Clock {
  /** Whole seconds left for the next pipeline (at least 1; sharp counts in seconds), or a timeout if none is left. */
  seconds(): number;
  timedOut(detail?: string): RenderTimeoutError;
}

export function deadlineOf(limitMs: number): Clock {
  const deadline = Date.now() + limitMs;
  const timedOut = (detail?: string) =>
    new RenderTimeoutError(
      `the render ran out of its ${(limitMs / 1000).toFixed(1)} s${detail ? ` (${detail.split('\n')[0]})` : ''}`,
    );
  return {
    seconds: () => {
      const left = deadline - Date.now();
      if (left <= 0) throw timedOut();
      return Math.max(1, Math.floor(left / 1000));
    },
    timedOut,
  };
}
